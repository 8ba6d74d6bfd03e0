#include "tests/storage/contract_fixture.h"

namespace viewer::testing {

const Catalog& ContractCatalog() {
  using CT = ColumnType;
  static const Catalog* catalog = new Catalog(std::vector<TableSchema>{
      TableSchema(
          "thing",
          {
              Column("name", CT::kText).NotNull().Unique().Indexed(),
              Column("note", CT::kText),
              Column("tag", CT::kText).Indexed(),
              Column("data", CT::kBlob),
              Column("count", CT::kInteger),
              Column("score", CT::kInteger).Indexed(),
              Column("flag", CT::kBoolean).NotNull().Default(
                  Value::Boolean(true)),
              Column("at", CT::kTimestamp).DefaultNow().Indexed(),
              Column("updated", CT::kTimestamp).DefaultNow().NowOnUpdate(),
          }),
      TableSchema("other",
                  {
                      Column("code", CT::kText).Unique(),
                      Column("payload", CT::kBlob).NotNull(),
                      Column("kind", CT::kText).Default(Value::Text("plain")),
                  }),
  });
  return *catalog;
}

int64_t ContractTest::AddThing(const std::string& name, Assignments extra) {
  auto txn = h_.Write();
  if (txn == nullptr) return -1;
  extra.insert(extra.begin(), {"name", Value::Text(name)});
  auto id = txn->Insert("thing", extra);
  EXPECT_TRUE(id.ok()) << id.status();
  EXPECT_OK(txn->Commit());
  return id.ok() ? *id : -1;
}

std::vector<Row> ContractTest::All(const std::string& table) {
  auto txn = h_.Read();
  if (txn == nullptr) return {};
  auto rows = txn->Select(table, Query{});
  EXPECT_TRUE(rows.ok()) << rows.status();
  return rows.ok() ? *rows : std::vector<Row>{};
}

std::vector<std::string> ContractTest::Names(const Query& query) {
  auto txn = h_.Read();
  if (txn == nullptr) return {};
  auto rows = txn->Select("thing", query);
  EXPECT_TRUE(rows.ok()) << rows.status();
  std::vector<std::string> names;
  if (rows.ok()) {
    for (const Row& r : *rows) names.push_back(r[kName].text());
  }
  return names;
}

}  // namespace viewer::testing
