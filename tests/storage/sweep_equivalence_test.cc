// The column sweep: for every column of every application table, the same
// rows (sweep_data.h) in two backends, then every filter operator with
// every operand, every order with limits and offsets, every aggregate and
// every write of that column, each result and error compared between the
// two. One test per column and kind, so a failure names the table and
// column. Each test also checks that its comparisons had something to
// compare (filters that keep some rows and drop others, orders of several
// rows), so that none passes on empty results.
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/schemas.h"
#include "gtest/gtest.h"
#include "tests/storage/dual_store.h"
#include "tests/storage/sweep_data.h"

namespace viewer::testing {
namespace {

struct TableColumn {
  size_t table;
  size_t column;
};

void PrintTo(const TableColumn& tc, std::ostream* os) {
  const TableSchema& t = AppCatalog().tables()[tc.table];
  *os << t.name() << "." << t.column(tc.column).name;
}

std::vector<TableColumn> AllColumns() {
  std::vector<TableColumn> out;
  const auto& tables = AppCatalog().tables();
  for (size_t t = 0; t < tables.size(); ++t) {
    for (size_t c = 0; c < tables[t].size(); ++c) out.push_back({t, c});
  }
  return out;
}

using SweepParam = std::tuple<BackendPair, TableColumn>;

class SweepTest : public DualStoreBase,
                  public ::testing::WithParamInterface<SweepParam> {
 protected:
  SweepTest()
      : DualStoreBase(std::get<0>(GetParam())),
        schema_(AppCatalog().tables()[std::get<1>(GetParam()).table]),
        c_(std::get<1>(GetParam()).column),
        table_(schema_.name()),
        column_(schema_.column(c_).name) {}

  void SetUp() override {
    auto r = OnBoth([&](Transaction& txn) -> absl::Status {
      for (const Assignments& row : SweepRows(schema_)) {
        absl::Status s = txn.Insert(table_, row).status();
        if (!s.ok()) return s;
      }
      return absl::OkStatus();
    });
    ASSERT_TRUE(SameResult(r.a, r.b)) << PairNames();
    ASSERT_OK(r.a);
  }

  // Reads with `fn` on both stores; expects the same result or error.
  template <typename Fn>
  auto Read(const std::string& what, Fn fn) {
    auto r = ReadBoth(fn);
    EXPECT_TRUE(SameResult(r.a, r.b))
        << PairNames() << "\n  " << table_ << "." << column_ << ": " << what;
    return r.a;
  }

  // As Read, when only the comparison matters.
  template <typename Fn>
  void Compare(const std::string& what, Fn fn) {
    static_cast<void>(Read(what, fn));
  }

  std::vector<Filter> Filters() const;

  const TableSchema& schema_;
  const size_t c_;
  const std::string table_;
  const std::string column_;
};

std::vector<Filter> SweepTest::Filters() const {
  std::vector<Filter> out;
  const std::vector<Value> operands = SweepOperands(schema_, c_);
  for (const Value& v : operands) {
    for (Op op : {Op::kEq, Op::kNe, Op::kLt, Op::kLe, Op::kGt, Op::kGe}) {
      Filter f;
      f.column = column_;
      f.op = op;
      f.value = v;
      out.push_back(f);
    }
  }
  out.push_back(Filter::IsNull(column_));
  out.push_back(Filter::IsNotNull(column_));
  out.push_back(Filter::In(column_, {}));
  out.push_back(Filter::In(column_, {Value::Null()}));
  for (size_t i = 0; i + 1 < operands.size(); i += 2) {
    out.push_back(Filter::In(column_, {operands[i], operands[i + 1]}));
  }
  out.push_back(Filter::In(column_, operands));
  const ColumnType type = schema_.column(c_).type;
  if (type == ColumnType::kText || type == ColumnType::kBlob) {
    for (const Value& p : SweepPrefixes(schema_, c_)) {
      out.push_back(Filter::Prefix(column_, p));
    }
  } else {
    // A prefix on any other column is an error, the same on both.
    out.push_back(Filter::Prefix(column_, Value::Text("1")));
  }
  return out;
}

TEST_P(SweepTest, Filters) {
  int some_but_not_all = 0;
  for (const Filter& f : Filters()) {
    const std::string what = f.DebugString();
    auto rows = Read(
        what, [&](Transaction& t) { return t.Select(table_, {.where = {f}}); });
    Compare(what + " (count)",
            [&](Transaction& t) { return t.Count(table_, {f}); });
    Compare(what + " AND id >= 3, by the column descending, 3 rows",
            [&](Transaction& t) {
              return t.Select(
                  table_, {.where = {f, Filter::Ge("id", Value::Integer(3))},
                           .order_by = {{column_, true}},
                           .limit = 3});
            });
    if (rows.ok() && !rows->empty() && rows->size() < kSweepRows) {
      ++some_but_not_all;
    }
  }
  EXPECT_GT(some_but_not_all, 3) << table_ << "." << column_;
}

TEST_P(SweepTest, Orders) {
  int ordered = 0;
  const std::string other = schema_.column(c_ == 1 ? 2 : 1).name;
  const std::vector<std::vector<Order>> orders = {
      {{column_, false}},
      {{column_, true}},
      {{column_, false}, {other, true}},
      {{other, false}, {column_, true}},
      {{column_, true}, {"id", true}}};
  for (const auto& order : orders) {
    for (auto [limit, offset] :
         std::vector<std::pair<std::optional<int64_t>, int64_t>>{
             {std::nullopt, 0},
             {3, 0},
             {3, 2},
             {0, 0},
             {100, 5},
             {std::nullopt, 11},
             {1, 20}}) {
      Query q{.order_by = order, .limit = limit, .offset = offset};
      auto rows = Read(q.DebugString(),
                       [&](Transaction& t) { return t.Select(table_, q); });
      if (rows.ok() && rows->size() >= 2) ++ordered;
      q.where = {Filter::IsNotNull(column_)};
      Compare(q.DebugString(),
              [&](Transaction& t) { return t.Select(table_, q); });
    }
  }
  EXPECT_GT(ordered, 10) << table_ << "." << column_;
}

TEST_P(SweepTest, Aggregates) {
  const std::vector<Value> operands = SweepOperands(schema_, c_);
  const std::vector<std::vector<Filter>> wheres = {
      {},
      {Filter::IsNotNull(column_)},
      {Filter::Le("id", Value::Integer(5))},
      {Filter::Eq(column_, operands[0])},
      {Filter::Gt(column_, operands[1])}};
  int groups = 0;
  for (const auto& where : wheres) {
    std::string what = "where";
    for (const Filter& f : where) absl::StrAppend(&what, " ", f.DebugString());
    Compare("count " + what,
            [&](Transaction& t) { return t.Count(table_, where); });
    Compare("count distinct " + what, [&](Transaction& t) {
      return t.CountDistinct(table_, column_, where);
    });
    // An error (not an INTEGER column, or past int64) must be the same.
    Compare("sum " + what,
            [&](Transaction& t) { return t.Sum(table_, column_, where); });
    auto by = Read("count by " + what, [&](Transaction& t) {
      return t.CountBy(table_, column_, where);
    });
    if (by.ok() && by->size() >= 2) ++groups;
  }
  EXPECT_GT(groups, 0) << table_ << "." << column_;
}

// One write of the column, as it reads in a failure message.
struct SweepWrite {
  std::string what;
  std::function<absl::Status(Transaction&)> run;
};

// Updates setting the column to `v`, an insert of row 1's values with
// `v` in the column, deletes by `v`.
std::vector<SweepWrite> WritesOf(const TableSchema& schema, size_t c,
                                 const Value& v) {
  const std::string& table = schema.name();
  const std::string& column = schema.column(c).name;
  const std::string set = absl::StrCat(column, " = ", v.DebugString());
  return {
      {"update ids <= 3, " + set,
       [=](Transaction& t) {
         return t
             .UpdateWhere(table, {Filter::Le("id", Value::Integer(3))},
                          {{column, v}})
             .status();
       }},
      {"update id 5, " + set,
       [=](Transaction& t) {
         return t.Update(table, 5, {{column, v}});
       }},
      {"insert row 1's values with " + set,
       [=, &schema](Transaction& t) {
         Assignments row = SweepRows(schema)[0];
         row.erase(row.begin());  // a new id, unless the column is id
         for (auto& [name, value] : row) {
           if (name == column) value = v;
         }
         if (c == 0) row.push_back({"id", v});
         return t.Insert(table, row).status();
       }},
      {"delete where " + set,
       [=](Transaction& t) {
         return t.DeleteWhere(table, {Filter::Eq(column, v)}).status();
       }},
      {"delete where " + column + " < " + v.DebugString(),
       [=](Transaction& t) {
         return t.DeleteWhere(table, {Filter::Lt(column, v)}).status();
       }},
  };
}

// Every write of the column with every operand, inside one transaction per
// store, each undone with RollbackTo: results and whole tables compared
// after each.
TEST_P(SweepTest, Writes) {
  auto a = a_.Write();
  auto b = b_.Write();
  ASSERT_TRUE(a != nullptr && b != nullptr);
  auto both = [&](const std::string& what,
                  const std::function<absl::Status(Transaction&)>& fn) {
    const absl::Status x = fn(*a);
    const absl::Status y = fn(*b);
    EXPECT_TRUE(SameResult(x, y))
        << PairNames() << "\n  " << table_ << "." << column_ << ": " << what;
    EXPECT_TRUE(SameResult(a->Select(table_, {}), b->Select(table_, {})))
        << PairNames() << "\n  the table after " << what;
    return x;
  };
  int done = 0;
  for (const Value& v : SweepOperands(schema_, c_)) {
    for (const SweepWrite& w : WritesOf(schema_, c_, v)) {
      EXPECT_OK(both("savepoint",
                     [](Transaction& t) { return t.Savepoint("sweep"); }));
      if (both(w.what, w.run).ok()) ++done;
      EXPECT_OK(both("rollback to the savepoint",
                     [](Transaction& t) { return t.RollbackTo("sweep"); }));
    }
  }
  EXPECT_GT(done, 0) << table_ << "." << column_;
  EXPECT_OK(a->Rollback());
  EXPECT_OK(b->Rollback());
  ExpectSameContents();
}

INSTANTIATE_TEST_SUITE_P(
    Compare, SweepTest,
    ::testing::Combine(AllPairs(), ::testing::ValuesIn(AllColumns())),
    [](const ::testing::TestParamInfo<SweepParam>& info) {
      const TableColumn tc = std::get<1>(info.param);
      const TableSchema& t = AppCatalog().tables()[tc.table];
      return absl::StrCat(PairName(std::get<0>(info.param)), "_", t.name(), "_",
                          t.column(tc.column).name);
    });

}  // namespace
}  // namespace viewer::testing
