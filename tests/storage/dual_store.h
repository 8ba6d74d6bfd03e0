// Two stores side by side, the memory engine and SQLite, holding the nine
// application tables, with their clocks advanced together. An equivalence
// test applies the same operations to both and compares every result field
// by field, errors included (code and message).
//
//   TEST_F(DualStoreTest, CreatesServers) {
//     auto results = OnBoth([](Transaction& txn) {
//       return txn.Insert("server", {{"name", Value::Text("s")},
//                                    {"definition", Value::Text("d")}});
//     });
//     ExpectSame(results);
//   }
#ifndef VIEWER_TESTS_STORAGE_DUAL_STORE_H_
#define VIEWER_TESTS_STORAGE_DUAL_STORE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "app/schemas.h"
#include "engine/store.h"
#include "gtest/gtest.h"
#include "tests/printers.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {

template <typename T>
struct Both {
  T memory;
  T disk;
};

// Equal results: both ok with equal values, or the same error.
template <typename T>
::testing::AssertionResult SameResult(const absl::StatusOr<T>& m,
                                      const absl::StatusOr<T>& d) {
  if (m.ok() != d.ok() ||
      (!m.ok() && (m.status().code() != d.status().code() ||
                   m.status().message() != d.status().message()))) {
    return ::testing::AssertionFailure()
           << "memory: " << m.status() << "\n  disk: " << d.status();
  }
  if (m.ok() && !(*m == *d)) {
    return ::testing::AssertionFailure()
           << "memory: " << ::testing::PrintToString(*m)
           << "\n  disk: " << ::testing::PrintToString(*d);
  }
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult SameResult(const absl::Status& m,
                                             const absl::Status& d) {
  if (m.code() != d.code() || m.message() != d.message()) {
    return ::testing::AssertionFailure()
           << "memory: " << m << "\n  disk: " << d;
  }
  return ::testing::AssertionSuccess();
}

// The store compared with the memory engine ("disk" below): SQLite, or
// the backend named by VIEWER_DUAL_STORE_BACKEND (tests/storage and
// tests/app build these tests once more against PostgreSQL).
#ifndef VIEWER_DUAL_STORE_BACKEND
#define VIEWER_DUAL_STORE_BACKEND kSqlite
#endif

class DualStoreTest : public ::testing::Test {
 protected:
  DualStoreTest()
      : memory_(BackendKind::kMemory, AppCatalog()),
        disk_(BackendKind::VIEWER_DUAL_STORE_BACKEND, AppCatalog()) {}

  // Runs `fn` on each store in its own read-write transaction, committed
  // afterwards; returns both results.
  template <typename Fn>
  auto OnBoth(Fn fn) -> Both<decltype(fn(std::declval<Transaction&>()))> {
    using R = decltype(fn(std::declval<Transaction&>()));
    return Both<R>{Run(memory_, fn), Run(disk_, fn)};
  }

  // Runs `fn` on each store inside a read-only transaction.
  template <typename Fn>
  auto ReadBoth(Fn fn) -> Both<decltype(fn(std::declval<Transaction&>()))> {
    auto m = memory_.Read();
    auto d = disk_.Read();
    return {fn(*m), fn(*d)};
  }

  template <typename T>
  void ExpectSame(const Both<T>& r) {
    EXPECT_TRUE(SameResult(r.memory, r.disk));
  }

  // Select and Count on each store in a read-only transaction; expects the
  // same result (or error) from both.
  Both<absl::StatusOr<std::vector<Row>>> Select(const std::string& table,
                                                const Query& q) {
    auto r = ReadBoth([&](Transaction& txn) { return txn.Select(table, q); });
    ExpectSame(r);
    return r;
  }
  Both<absl::StatusOr<int64_t>> Count(const std::string& table,
                                      std::vector<Filter> where = {}) {
    auto r =
        ReadBoth([&](Transaction& txn) { return txn.Count(table, where); });
    ExpectSame(r);
    return r;
  }

  // Every table's full contents, compared row by row.
  void ExpectSameContents() {
    for (const TableSchema& t : AppCatalog().tables()) {
      auto r = ReadBoth([&](Transaction& txn) {
        return txn.Select(t.name(), Query{});
      });
      EXPECT_TRUE(SameResult(r.memory, r.disk)) << "table " << t.name();
    }
  }

  void Advance(absl::Duration d) {
    memory_.clock().Advance(d);
    disk_.clock().Advance(d);
  }

  StoreHarness memory_;
  StoreHarness disk_;

 private:
  template <typename Fn>
  static auto Run(StoreHarness& h, Fn& fn) {
    auto txn = h.Write();
    auto result = fn(*txn);
    if (txn->is_open()) EXPECT_OK(txn->Commit());
    return result;
  }
};

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_STORAGE_DUAL_STORE_H_
