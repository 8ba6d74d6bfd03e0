// The fixture of the phase 5 equivalence tests
// (phase5_transactions_equivalence_test.cc,
// phase5_values_equivalence_test.cc): inserts checked on both stores, a
// transaction open on each store at once (Writers(), Readers(), In()), and
// the committed server names of both.
//
//   TEST_P(Phase5, Example) {
//     AddServer("s1", "def", 1);
//     Txns w = Writers();
//     auto r = In(w, [](Transaction& txn) { return txn.Rollback(); });
//     EXPECT_THAT(CommittedNames(), ElementsAre("s1"));
//   }
#ifndef VIEWER_TESTS_STORAGE_PHASE5_FIXTURE_H_
#define VIEWER_TESTS_STORAGE_PHASE5_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/status_macros.h"
#include "engine/store.h"
#include "gtest/gtest.h"
#include "tests/storage/dual_store.h"
#include "tests/storage/equivalence_helpers.h"

namespace viewer::testing {

// Server names in `txn`, by name.
inline absl::StatusOr<std::vector<std::string>> Names(Transaction& txn) {
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          txn.Select("server", Q({}, {Asc("name")})));
  std::vector<std::string> out;
  for (const Row& r : rows) out.push_back(r[Col("server", "name")].text());
  return out;
}

using Txns = Both<std::unique_ptr<Transaction>>;

class Phase5 : public DualStoreTest {
 protected:
  void AddServer(const std::string& name, const std::string& def,
                 int64_t want_id) {
    AddRow("server", Entity(name, def), want_id);
  }
  void AddRow(const std::string& table, Assignments values, int64_t want_id) {
    auto r =
        OnBoth([&](Transaction& txn) { return txn.Insert(table, values); });
    ExpectSame(r);
    EXPECT_EQ(r.a.value_or(-1), want_id) << r.a.status();
  }
  Txns Writers() { return {a_.Write(), b_.Write()}; }
  Txns Readers() { return {a_.Read(), b_.Read()}; }
  // Runs `fn` on each store's transaction of `txns` (a first).
  template <typename Fn>
  static auto In(Txns& txns, Fn fn)
      -> Both<decltype(fn(std::declval<Transaction&>()))> {
    return {fn(*txns.a), fn(*txns.b)};
  }
  // The server names committed on both stores, checked equal.
  std::vector<std::string> CommittedNames() {
    auto r = ReadBoth(Names);
    ExpectSame(r);
    return r.a.value_or(std::vector<std::string>{"<error>"});
  }
};

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_STORAGE_PHASE5_FIXTURE_H_
