// Stores for tests: one harness per backend, so that one test body runs
// against every backend (TEST_P over AllBackends()). A PostgreSQL store
// lives in a fresh schema of the test run's cluster (tests/postgres/).
//
//   class MyTest : public ::testing::TestWithParam<BackendKind> {};
//   TEST_P(MyTest, Works) {
//     StoreHarness h(GetParam(), TestCatalog());
//     ASSERT_OK_AND_ASSIGN(auto txn, h.store().Begin(TransactionMode::kReadWrite));
//   }
//   INSTANTIATE_TEST_SUITE_P(Backends, MyTest, AllBackends(), BackendParamName);
#ifndef VIEWER_TESTS_STORAGE_BACKENDS_H_
#define VIEWER_TESTS_STORAGE_BACKENDS_H_

#include <memory>
#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "engine/clock.h"
#include "engine/store.h"
#include "gtest/gtest.h"
#include "tests/temp_dir.h"

namespace viewer::testing {

enum class BackendKind { kMemory, kSqlite, kPostgres };

struct HarnessOptions {
  // How long a second writer waits for the write slot.
  absl::Duration busy_timeout = absl::Milliseconds(200);
  // Memory backend byte limit; 0: none.
  int64_t byte_limit = 0;
};

class PgSchema;

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
  std::unique_ptr<PgSchema> pg_schema_;  // outlives store_
  std::unique_ptr<Store> store_;
};

inline ::testing::internal::ParamGenerator<BackendKind> AllBackends() {
  return ::testing::Values(BackendKind::kMemory, BackendKind::kSqlite,
                           BackendKind::kPostgres);
}

std::string BackendName(BackendKind kind);

// Prints "memory", "sqlite" or "postgres" in test names and failures.
inline void PrintTo(BackendKind kind, std::ostream* os) {
  *os << BackendName(kind);
}

inline std::string BackendParamName(
    const ::testing::TestParamInfo<BackendKind>& info) {
  return BackendName(info.param);
}

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_STORAGE_BACKENDS_H_
