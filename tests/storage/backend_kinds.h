// The storage backends that every store test, comparison and property runs
// on, and how to open an empty store of each, without GoogleTest (the
// property tests use this list too). Adding a backend is one line in
// kBackends, one in BackendName and its case in OpenBackend; every suite
// built on this list then runs on it and compares it with the others.
//
//   for (BackendKind kind : kBackends) {
//     VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Store> store,
//         OpenBackend(kind, AppCatalog(), &clock, dir, {}));
//   }
#ifndef VIEWER_TESTS_STORAGE_BACKEND_KINDS_H_
#define VIEWER_TESTS_STORAGE_BACKEND_KINDS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/clock.h"
#include "engine/store.h"

namespace viewer::testing {

enum class BackendKind { kMemory, kSqlite, kPostgres };

// Every backend, in the order comparisons name them.
inline constexpr BackendKind kBackends[] = {
    BackendKind::kMemory, BackendKind::kSqlite, BackendKind::kPostgres};

// The backend whose semantics the contract follows where it is silent
// (SQLite's): comparison tests hold every other backend to it.
inline constexpr BackendKind kReferenceBackend = BackendKind::kSqlite;

// "memory", "sqlite", "postgres": used in test names and failure messages.
std::string BackendName(BackendKind kind);

struct BackendOptions {
  // How long a second writer waits for the write slot.
  absl::Duration busy_timeout = absl::Milliseconds(200);
  // Memory backend byte limit; 0: none. Other backends have no limit.
  int64_t byte_limit = 0;
};

// An empty store of `kind` holding `catalog`, its files (if any) in the
// existing folder `dir`, its "now" from `clock` (not owned). Opening again
// with the same `dir` gives a second handle on the same data where the
// backend has such a thing (see SharesData). A PostgreSQL store lives in a
// schema named after `dir` in the test run's cluster
// (tools/pg_cluster/pg_cluster.h), started on first use; ReleaseBackend
// drops it.
absl::StatusOr<std::unique_ptr<Store>> OpenBackend(
    BackendKind kind, const Catalog& catalog, Clock* clock,
    const std::string& dir, const BackendOptions& options);

// True when two OpenBackend calls with one `dir` open the same data, as two
// processes sharing a database would: SQLite and PostgreSQL yes, memory no.
bool SharesData(BackendKind kind);

// Frees what OpenBackend(kind, ..., dir, ...) made outside `dir` (the
// PostgreSQL schema), once every store opened on `dir` is closed. Nothing
// to do for the others: their data dies with the store or with `dir`.
void ReleaseBackend(BackendKind kind, const std::string& dir);

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_STORAGE_BACKEND_KINDS_H_
