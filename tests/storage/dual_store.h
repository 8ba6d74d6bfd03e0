// Two stores side by side, each of its own backend (a BackendPair: the
// reference backend and one other, see backends.h), holding the nine
// application tables, with their clocks advanced together. A comparison
// test applies the same operations to both and compares every result field
// by field, errors included (code and message).
//
//   class Example : public DualStoreTest {};
//   TEST_P(Example, CreatesServers) {
//     auto results = OnBoth([](Transaction& txn) {
//       return txn.Insert("server", {{"name", Value::Text("s")},
//                                    {"definition", Value::Text("d")}});
//     });
//     ExpectSame(results);
//   }
//   INSTANTIATE_TEST_SUITE_P(Backends, Example, AllPairs(), PairParamName);
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

// One result from each store of a pair: `a` from the reference backend,
// `b` from the other.
template <typename T>
struct Both {
  T a;
  T b;
};

// Equal results: both ok with equal values, or the same error.
template <typename T>
::testing::AssertionResult SameResult(const absl::StatusOr<T>& a,
                                      const absl::StatusOr<T>& b) {
  if (a.ok() != b.ok() ||
      (!a.ok() && (a.status().code() != b.status().code() ||
                   a.status().message() != b.status().message()))) {
    return ::testing::AssertionFailure()
           << "a: " << a.status() << "\n  b: " << b.status();
  }
  if (a.ok() && !(*a == *b)) {
    return ::testing::AssertionFailure()
           << "a: " << ::testing::PrintToString(*a)
           << "\n  b: " << ::testing::PrintToString(*b);
  }
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult SameResult(const absl::Status& a,
                                             const absl::Status& b) {
  if (a.code() != b.code() || a.message() != b.message()) {
    return ::testing::AssertionFailure() << "a: " << a << "\n  b: " << b;
  }
  return ::testing::AssertionSuccess();
}

// The stores of `pair` (a is the reference backend, b the other); tests
// derive from this and from WithParamInterface (see DualStoreTest).
class DualStoreBase : public ::testing::Test {
 protected:
  explicit DualStoreBase(BackendPair pair)
      : pair_(pair), a_(pair.a, AppCatalog()), b_(pair.b, AppCatalog()) {}

  // Runs `fn` on each store in its own read-write transaction, committed
  // afterwards; returns both results.
  template <typename Fn>
  auto OnBoth(Fn fn) -> Both<decltype(fn(std::declval<Transaction&>()))> {
    using R = decltype(fn(std::declval<Transaction&>()));
    return Both<R>{Run(a_, fn), Run(b_, fn)};
  }

  // Runs `fn` on each store inside a read-only transaction.
  template <typename Fn>
  auto ReadBoth(Fn fn) -> Both<decltype(fn(std::declval<Transaction&>()))> {
    auto a = a_.Read();
    auto b = b_.Read();
    return {fn(*a), fn(*b)};
  }

  template <typename T>
  void ExpectSame(const Both<T>& r) {
    EXPECT_TRUE(SameResult(r.a, r.b)) << PairNames();
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
      EXPECT_TRUE(SameResult(r.a, r.b))
          << PairNames() << ", table " << t.name();
    }
  }

  void Advance(absl::Duration d) {
    a_.clock().Advance(d);
    b_.clock().Advance(d);
  }

  // "a = sqlite, b = memory", for failure messages.
  std::string PairNames() const {
    return "a = " + BackendName(pair_.a) + ", b = " + BackendName(pair_.b);
  }

  const BackendPair pair_;
  StoreHarness a_;
  StoreHarness b_;

 private:
  template <typename Fn>
  static auto Run(StoreHarness& h, Fn& fn) {
    auto txn = h.Write();
    auto result = fn(*txn);
    if (txn->is_open()) EXPECT_OK(txn->Commit());
    return result;
  }
};

// The usual fixture: parameterized by the pair alone.
class DualStoreTest : public DualStoreBase,
                      public ::testing::WithParamInterface<BackendPair> {
 protected:
  DualStoreTest() : DualStoreBase(GetParam()) {}
};

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_STORAGE_DUAL_STORE_H_
