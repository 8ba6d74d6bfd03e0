#include "app/schemas.h"

#include <cstdio>
#include <cstdlib>

namespace viewer {
namespace {

using T = ColumnType;

// server, alias, variable and secret share one shape.
std::vector<Column> EntityColumns(bool definition_required,
                                  bool with_definition_cid) {
  std::vector<Column> cols;
  cols.push_back(Column("name", T::kText).NotNull().Unique().Indexed());
  Column definition("definition", T::kText);
  if (definition_required) definition.NotNull();
  cols.push_back(definition);
  if (with_definition_cid) {
    cols.push_back(Column("definition_cid", T::kText).Indexed());
  }
  cols.push_back(Column("created_at", T::kTimestamp).DefaultNow());
  cols.push_back(
      Column("updated_at", T::kTimestamp).DefaultNow().NowOnUpdate());
  cols.push_back(
      Column("enabled", T::kBoolean).NotNull().Default(Value::Boolean(true)));
  return cols;
}

Catalog Build() {
  std::vector<TableSchema> tables;
  tables.emplace_back(kCidTable,
                      std::vector<Column>{
                          Column("path", T::kText).NotNull().Unique().Indexed(),
                          Column("file_data", T::kBlob).NotNull(),
                          Column("file_size", T::kInteger),
                          Column("created_at", T::kTimestamp).DefaultNow(),
                      });
  tables.emplace_back(
      kPageViewTable,
      std::vector<Column>{
          Column("path", T::kText).NotNull(),
          Column("method", T::kText).Default(Value::Text("GET")),
          Column("user_agent", T::kText),
          Column("ip_address", T::kText),
          Column("viewed_at", T::kTimestamp).DefaultNow().Indexed(),
      });
  tables.emplace_back(kServerTable, EntityColumns(true, true));
  tables.emplace_back(kAliasTable, EntityColumns(false, false));
  tables.emplace_back(
      kInteractionTable,
      std::vector<Column>{
          Column("entity_type", T::kText).NotNull().Indexed(),
          Column("entity_name", T::kText).NotNull().Indexed(),
          Column("action", T::kText).NotNull(),
          Column("message", T::kText),
          Column("content", T::kText).NotNull(),
          Column("created_at", T::kTimestamp).NotNull().DefaultNow().Indexed(),
      });
  tables.emplace_back(kVariableTable, EntityColumns(true, false));
  tables.emplace_back(kSecretTable, EntityColumns(true, false));
  tables.emplace_back(
      kInvocationTable,
      std::vector<Column>{
          Column("server_name", T::kText).NotNull(),
          Column("result_cid", T::kText).NotNull().Indexed(),
          Column("servers_cid", T::kText),
          Column("variables_cid", T::kText),
          Column("secrets_cid", T::kText),
          Column("request_details_cid", T::kText),
          Column("invocation_cid", T::kText).Indexed(),
          Column("external_calls_cid", T::kText),
          Column("invoked_at", T::kTimestamp).DefaultNow().Indexed(),
      });
  tables.emplace_back(
      kExportTable,
      std::vector<Column>{
          Column("cid", T::kText).NotNull().Indexed(),
          Column("created_at", T::kTimestamp).DefaultNow().Indexed(),
      });
  return Catalog(std::move(tables));
}

// Build() made exactly the tables kAppTables lists, in that order: a
// table added to one and not the other is a programming error, caught at
// the first use of the catalog.
const Catalog* Checked(const Catalog* catalog) {
  bool same = catalog->tables().size() == kAppTableCount;
  for (size_t i = 0; same && i < kAppTableCount; ++i) {
    same = catalog->tables()[i].name() == kAppTables[i];
  }
  if (!same) {
    std::fprintf(stderr, "app: AppCatalog() and kAppTables disagree\n");
    std::abort();
  }
  return catalog;
}

}  // namespace

const Catalog& AppCatalog() {
  static const Catalog* catalog = Checked(new Catalog(Build()));
  return *catalog;
}

}  // namespace viewer
