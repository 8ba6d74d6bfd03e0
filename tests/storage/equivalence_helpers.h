// Small helpers shared by the phase 3 and phase 5 equivalence tests
// (phase3_*_equivalence_test.cc, phase5_*_equivalence_test.cc): values,
// queries and column lookups over the application tables (AppCatalog()),
// so that test bodies read like the rows and queries they compare.
//
//   auto r = OnBoth([](Transaction& txn) {
//     return txn.Insert("server", Entity("s1", "def"));
//   });
//   auto rows = ReadBoth([](Transaction& txn) {
//     return txn.Select("server", Q({}, {Desc("name")}, /*limit=*/2));
//   });
//   EXPECT_THAT(Ids(*rows.a), ElementsAre(1));
//
// T, I and B (text, integer and blob values) come from contract_fixture.h,
// so that the storage tests have one definition of each.
#ifndef VIEWER_TESTS_STORAGE_EQUIVALENCE_HELPERS_H_
#define VIEWER_TESTS_STORAGE_EQUIVALENCE_HELPERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "app/schemas.h"
#include "engine/query.h"
#include "engine/value.h"
#include "gtest/gtest.h"
#include "tests/storage/contract_fixture.h"

namespace viewer::testing {

inline Value Bool(bool v) { return Value::Boolean(v); }
inline Value At(Timestamp t) { return Value::Time(t); }

// The harness clock's starting time (StoreHarness).
inline constexpr Timestamp kStart{1'700'000'000'000'000};

// Position of `column` in `table` (AppCatalog()); a failed expectation and
// 0 if there is no such column.
inline size_t Col(absl::string_view table, absl::string_view column) {
  const TableSchema* t = AppCatalog().Find(table);
  EXPECT_NE(t, nullptr) << table;
  std::optional<size_t> c = t ? t->Find(column) : std::nullopt;
  EXPECT_TRUE(c.has_value()) << table << "." << column;
  return c.value_or(0);
}

// The text of `column` in each row ("<NULL>" for NULL).
inline std::vector<std::string> Texts(const std::vector<Row>& rows,
                                      absl::string_view table,
                                      absl::string_view column) {
  std::vector<std::string> out;
  const size_t c = Col(table, column);
  for (const Row& r : rows) {
    out.push_back(r[c].is_null() ? "<NULL>" : std::string(r[c].bytes()));
  }
  return out;
}

// The id of each row.
inline std::vector<int64_t> Ids(const std::vector<Row>& rows) {
  std::vector<int64_t> out;
  for (const Row& r : rows) out.push_back(r.id());
  return out;
}

inline Query Q(std::vector<Filter> where, std::vector<Order> order = {},
               std::optional<int64_t> limit = std::nullopt,
               int64_t offset = 0) {
  Query q;
  q.where = std::move(where);
  q.order_by = std::move(order);
  q.limit = limit;
  q.offset = offset;
  return q;
}

inline Order Asc(std::string c) { return Order{std::move(c), false}; }
inline Order Desc(std::string c) { return Order{std::move(c), true}; }

// A row of a table with a name and a definition: server, alias, variable
// or secret.
inline Assignments Entity(const std::string& name, const std::string& def) {
  return {{"name", T(name)}, {"definition", T(def)}};
}

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_STORAGE_EQUIVALENCE_HELPERS_H_
