#include "http/session.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/demo_seed.h"
#include "app/entities.h"
#include "app/schemas.h"
#include "app/store_copy.h"
#include "app/store_files.h"
#include "engine/memory_store.h"
#include "engine/status_macros.h"
#include "http/server.h"
#include "postgres_backend/postgres_store.h"
#include "sqlite_backend/sqlite_store.h"

namespace viewer {
namespace {

MemoryOptions MemoryOptionsFor(const Config& config) {
  MemoryOptions options;
  options.catalog = AppCatalog();
  options.byte_limit = static_cast<int64_t>(config.max_memory_bytes);
  return options;
}

absl::StatusOr<int64_t> CountAllEntities(Store& store) {
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          store.Begin(TransactionMode::kReadOnly));
  int64_t total = 0;
  for (EntityKind kind : kAllEntityKinds) {
    VIEWER_ASSIGN_OR_RETURN(int64_t n, CountEntities(*txn, kind));
    total += n;
  }
  return total;
}

// --load postgresql://...: a memory store holding a copy of that database,
// which is only read.
absl::StatusOr<std::unique_ptr<Store>> LoadPostgresIntoMemory(
    const Config& config) {
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Store> from,
                          OpenStoreAtUrl(config.load_path, /*create=*/false));
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Store> to,
                          MemoryStore::Open(MemoryOptionsFor(config)));
  VIEWER_RETURN_IF_ERROR(CopyStore(*from, *to));
  return to;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenStoreAtUrl(const std::string& url,
                                                      bool create,
                                                      int connections) {
  if (IsPostgresUrl(url)) {
    PostgresOptions options;
    options.url = url;
    options.pool_size = std::max(1, connections);
    options.catalog = AppCatalog();
    options.create_missing_tables = create;
    VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store,
                            PostgresStore::Open(std::move(options)));
    return std::unique_ptr<Store>(std::move(store));
  }
  SqliteOptions options;
  VIEWER_ASSIGN_OR_RETURN(options.path, DatabasePathFromUrl(url));
  if (!create && access(options.path.c_str(), F_OK) != 0) {
    return absl::NotFoundError(absl::StrCat("no SQLite file ", options.path));
  }
  options.catalog = AppCatalog();
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store,
                          SqliteStore::Open(std::move(options)));
  return std::unique_ptr<Store>(std::move(store));
}

absl::StatusOr<SessionStore> OpenSessionStore(const Config& config) {
  SessionStore opened{.mode = config.mode};
  if (config.in_memory() && IsPostgresUrl(config.load_path)) {
    VIEWER_ASSIGN_OR_RETURN(opened.store, LoadPostgresIntoMemory(config));
  } else if (config.in_memory() && !config.load_path.empty()) {
    VIEWER_ASSIGN_OR_RETURN(
        opened.store,
        LoadIntoMemory(config.load_path, MemoryOptionsFor(config)));
  } else if (config.in_memory()) {
    VIEWER_ASSIGN_OR_RETURN(opened.store,
                            MemoryStore::Open(MemoryOptionsFor(config)));
  } else if (config.mode == StoreMode::kPostgres) {
    VIEWER_ASSIGN_OR_RETURN(opened.store,
                            OpenStoreAtUrl(config.database_url, true,
                                           WorkerThreads(config.threads)));
  } else {
    SqliteOptions options;
    options.path = config.database_path;
    options.catalog = AppCatalog();
    VIEWER_ASSIGN_OR_RETURN(opened.store,
                            SqliteStore::Open(std::move(options)));
  }
  return opened;
}

absl::StatusOr<int64_t> SeedSession(const Config& config, Store& store,
                                    const CidDirectory* cids) {
  if (config.seed != "demo") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown seed '", config.seed, "'"));
  }
  VIEWER_ASSIGN_OR_RETURN(int64_t before, CountAllEntities(store));
  {
    VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                            store.Begin(TransactionMode::kReadWrite));
    VIEWER_RETURN_IF_ERROR(SeedDemo(*txn, cids));
    VIEWER_RETURN_IF_ERROR(txn->Commit());
  }
  VIEWER_ASSIGN_OR_RETURN(int64_t after, CountAllEntities(store));
  return after - before;
}

absl::Status CheckDumpTarget(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("--dump-db-on-exit ", path, " is a folder; name a file"));
  }
  const std::filesystem::path parent =
      std::filesystem::path(path).parent_path();
  const std::string dir = parent.empty() ? std::string(".") : parent.string();
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--dump-db-on-exit ", path, ": the folder ", dir, " does not exist"));
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("--dump-db-on-exit ", path, ": cannot write in ", dir,
                     " (", std::strerror(errno), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<DumpReport> SessionDumper::Dump() {
  MutexLock lock(&mutex_);
  const absl::Time start = absl::Now();
  DumpReport report;
  VIEWER_ASSIGN_OR_RETURN(StoreStats stats, store_->Stats());
  for (const TableStats& t : stats.tables) report.rows += t.rows;
  VIEWER_RETURN_IF_ERROR(DumpToSqliteFile(*store_, path_));
  report.milliseconds = absl::ToDoubleMilliseconds(absl::Now() - start);
  struct stat st;
  if (stat(path_.c_str(), &st) == 0) report.bytes = st.st_size;
  return report;
}

}  // namespace viewer
