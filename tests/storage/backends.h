// Stores for tests: one harness per backend, so that one test body runs
// against every backend (TEST_P over AllBackends()), and pairs of backends
// for tests that run the same operations on two stores and compare them
// (TEST_P over AllPairs()). The backends themselves are listed in
// backend_kinds.h: a backend added there joins every suite.
//
//   class MyTest : public ::testing::TestWithParam<BackendKind> {};
//   TEST_P(MyTest, Works) {
//     StoreHarness h(GetParam(), TestCatalog());
//     ASSERT_OK_AND_ASSIGN(auto txn,
//     h.store().Begin(TransactionMode::kReadWrite));
//   }
//   INSTANTIATE_TEST_SUITE_P(Backends, MyTest, AllBackends(),
//   BackendParamName);
#ifndef VIEWER_TESTS_STORAGE_BACKENDS_H_
#define VIEWER_TESTS_STORAGE_BACKENDS_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "engine/clock.h"
#include "engine/store.h"
#include "gtest/gtest.h"
#include "tests/storage/backend_kinds.h"
#include "tests/temp_dir.h"

namespace viewer::testing {

using HarnessOptions = BackendOptions;

// A store of one backend, with its own manual clock and temporary folder
// (and, for PostgreSQL, its own schema). If the store cannot be opened
// (say, no PostgreSQL server could be started), the constructor throws
// std::runtime_error with the reason, which GoogleTest reports as the
// test's failure.
class StoreHarness {
 public:
  StoreHarness(BackendKind kind, const Catalog& catalog,
               HarnessOptions options = {});
  ~StoreHarness();

  BackendKind kind() const { return kind_; }
  Store& store() { return *store_; }
  ManualClock& clock() { return clock_; }
  const std::string& dir() const { return dir_.path(); }

  // Begins a transaction and fails the test (returning null) if it cannot.
  std::unique_ptr<Transaction> Write();
  std::unique_ptr<Transaction> Read();

 private:
  BackendKind kind_;
  TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<Store> store_;
};

inline ::testing::internal::ParamGenerator<BackendKind> AllBackends() {
  return ::testing::ValuesIn(kBackends);
}

// Prints "memory", "sqlite" or "postgres" in test names and failures.
inline void PrintTo(BackendKind kind, std::ostream* os) {
  *os << BackendName(kind);
}

inline std::string BackendParamName(
    const ::testing::TestParamInfo<BackendKind>& info) {
  return BackendName(info.param);
}

// Two backends a comparison test runs side by side: the reference
// semantics (SQLite) and one other backend.
struct BackendPair {
  BackendKind a;
  BackendKind b;
};

// The reference backend paired with every other backend: agreement with
// one reference is agreement between all.
std::vector<BackendPair> BackendPairs();

inline ::testing::internal::ParamGenerator<BackendPair> AllPairs() {
  return ::testing::ValuesIn(BackendPairs());
}

// "sqlite_vs_memory" in test names and failures.
std::string PairName(const BackendPair& pair);

inline void PrintTo(const BackendPair& pair, std::ostream* os) {
  *os << PairName(pair);
}

inline std::string PairParamName(
    const ::testing::TestParamInfo<BackendPair>& info) {
  return PairName(info.param);
}

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_STORAGE_BACKENDS_H_
