// The fixture of the phase 3 equivalence tests
// (phase3_tables_equivalence_test.cc, phase3_queries_equivalence_test.cc):
// one-call inserts and reads on both stores, each result checked to be the
// same on both (Select and Count come from DualStoreTest), and a check
// that a rejected operation changes nothing.
//
//   TEST_P(Phase3, Example) {
//     AddOk("server", Entity("s1", "def"), 1);
//     auto rows = Select("server", Q({}, {Asc("name")}));
//     EXPECT_THAT(Ids(*rows.a), ElementsAre(1));
//   }
#ifndef VIEWER_TESTS_STORAGE_PHASE3_FIXTURE_H_
#define VIEWER_TESTS_STORAGE_PHASE3_FIXTURE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/schemas.h"
#include "engine/store.h"
#include "gtest/gtest.h"
#include "tests/storage/backends.h"
#include "tests/storage/dual_store.h"
#include "tests/storage/equivalence_helpers.h"
#include "tests/testutil.h"

namespace viewer::testing {

class Phase3 : public DualStoreTest {
 protected:
  // Inserts one row into both stores, each in its own committed
  // transaction; expects the same id (or error) from both.
  Both<absl::StatusOr<int64_t>> Add(const std::string& table,
                                    Assignments values) {
    auto r =
        OnBoth([&](Transaction& txn) { return txn.Insert(table, values); });
    ExpectSame(r);
    return r;
  }
  // Inserts and expects success with id `want` on both.
  void AddOk(const std::string& table, Assignments values, int64_t want) {
    auto r = Add(table, std::move(values));
    EXPECT_TRUE(r.a.ok()) << r.a.status();
    if (r.a.ok()) {
      EXPECT_EQ(*r.a, want);
    }
  }
  Both<absl::StatusOr<Row>> Get(const std::string& table, int64_t id) {
    auto r = ReadBoth([&](Transaction& txn) { return txn.Get(table, id); });
    ExpectSame(r);
    return r;
  }
  // Every table of one store, for "nothing changed" checks.
  std::vector<std::vector<Row>> Snapshot(StoreHarness& h) {
    std::vector<std::vector<Row>> out;
    auto txn = h.Read();
    for (const TableSchema& t : AppCatalog().tables()) {
      auto rows = txn->Select(t.name(), Query{});
      EXPECT_TRUE(rows.ok()) << rows.status();
      out.push_back(rows.ok() ? *rows : std::vector<Row>{});
    }
    return out;
  }
  // Expects `op`, run on both stores, to fail with `code` and `message`
  // and to leave both stores exactly as they were.
  template <typename Fn>
  void ExpectRejected(Fn op, absl::StatusCode code,
                      const std::string& message) {
    auto before_m = Snapshot(a_);
    auto before_d = Snapshot(b_);
    auto r = OnBoth([&](Transaction& txn) -> absl::Status {
      auto result = op(txn);
      return ::viewer::testing::GetStatus(result);
    });
    ExpectSame(r);
    EXPECT_THAT(r.a, StatusIs(code, message));
    EXPECT_EQ(Snapshot(a_), before_m);
    EXPECT_EQ(Snapshot(b_), before_d);
  }
};

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_STORAGE_PHASE3_FIXTURE_H_
