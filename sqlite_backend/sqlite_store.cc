#include "sqlite_backend/sqlite_store.h"

#include <cstring>

#include <sqlite3.h>

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"
#include "sqlite_backend/internal/connection.h"
#include "sqlite_backend/internal/pool.h"
#include "sqlite_backend/internal/schema_setup.h"
#include "sqlite_backend/internal/sql_builder.h"
#include "sqlite_backend/internal/sqlite_transaction.h"

namespace viewer {

using sqlite_internal::Connection;
using sqlite_internal::ConnectionPool;
using sqlite_internal::Quote;
using sqlite_internal::SqliteTransaction;
using sqlite_internal::Statement;
using sqlite_internal::WriteSlot;

namespace {

constexpr char kMemoryPath[] = ":memory:";

// Reads the single text value `sql` returns (e.g. a PRAGMA's answer).
absl::StatusOr<std::string> QueryText(Connection& conn, absl::string_view sql) {
  VIEWER_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  VIEWER_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::string();
  const unsigned char* text = sqlite3_column_text(stmt.get(), 0);
  return std::string(text ? reinterpret_cast<const char*>(text) : "");
}

// dbstat is a compile-time option of SQLite; the installed one may lack it.
bool HasDbstat(Connection& conn) {
  return conn.Prepare("SELECT 1 FROM dbstat LIMIT 0").ok();
}

// Replaces the (empty, in-memory) main database of `conn` with a copy of
// `image`.
absl::Status LoadImage(Connection& conn, const std::string& image) {
  constexpr absl::string_view kMagic("SQLite format 3\0", 16);
  if (image.size() < 100 || absl::string_view(image).substr(0, 16) != kMagic) {
    return absl::InvalidArgumentError("not a SQLite database image");
  }
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(image.size()));
  if (copy == nullptr) {
    return absl::ResourceExhaustedError("no memory for the database image");
  }
  memcpy(copy, image.data(), image.size());
  // Bytes 18 and 19 say "WAL" (2) or "rollback journal" (1); an in-memory
  // database cannot be in WAL mode, and the file's content as of its last
  // checkpoint is a valid rollback-mode database.
  if (copy[18] == 2) copy[18] = 1;
  if (copy[19] == 2) copy[19] = 1;
  int rc = sqlite3_deserialize(
      conn.db(), "main", copy, static_cast<sqlite3_int64>(image.size()),
      static_cast<sqlite3_int64>(image.size()),
      SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
  if (rc != SQLITE_OK) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot read the database image: ", sqlite3_errstr(rc)));
  }
  return absl::OkStatus();
}

}  // namespace

SqliteStore::SqliteStore(SqliteOptions options)
    : options_(std::move(options)),
      in_memory_(options_.path == kMemoryPath),
      write_slot_(std::make_unique<WriteSlot>()) {}

SqliteStore::~SqliteStore() = default;

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    SqliteOptions options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("SqliteOptions.path is empty");
  }
  if (options.clock == nullptr) {
    return absl::InvalidArgumentError("SqliteOptions.clock is null");
  }
  if (options.pool_size < 0 || options.busy_timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "SqliteOptions.pool_size and busy_timeout must not be negative");
  }
  VIEWER_RETURN_IF_ERROR(options.catalog.Validate());
  auto store = absl::WrapUnique(new SqliteStore(std::move(options)));
  const SqliteOptions& opts = store->options_;

  if (opts.image != nullptr && !store->in_memory_) {
    return absl::InvalidArgumentError(
        "SqliteOptions.image needs path \":memory:\"");
  }
  VIEWER_ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> conn,
      Connection::Open(opts.path, opts.create_if_missing, opts.busy_timeout));
  if (opts.image != nullptr) {
    VIEWER_RETURN_IF_ERROR(LoadImage(*conn, *opts.image));
  }
  if (!store->in_memory_) {
    // WAL is a property of the file, kept across opens; setting it on a WAL
    // file changes nothing. It fails (answers the old mode) when another
    // process holds the file in rollback-journal mode.
    VIEWER_ASSIGN_OR_RETURN(std::string mode,
                            QueryText(*conn, "PRAGMA journal_mode=WAL"));
    if (mode != "wal") {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot put ", opts.path,
                       " in WAL mode (journal_mode is ", mode, ")"));
    }
  }
  VIEWER_RETURN_IF_ERROR(
      sqlite_internal::SetUpSchema(*conn, opts.catalog, opts.path));
  store->has_dbstat_ = HasDbstat(*conn);

  // ":memory:" is one database per connection, so that store has exactly
  // one connection, shared in turn by every transaction.
  const std::string path = opts.path;
  const absl::Duration timeout = opts.busy_timeout;
  store->pool_ = std::make_unique<ConnectionPool>(
      [path, timeout] {
        return Connection::Open(path, /*create=*/false, timeout);
      },
      std::max(1, opts.pool_size), store->in_memory_ ? 1 : 0);
  store->pool_->Adopt(std::move(conn));
  return store;
}

absl::StatusOr<std::unique_ptr<Transaction>> SqliteStore::Begin(
    TransactionMode mode) {
  const absl::Time deadline = absl::Now() + options_.busy_timeout;
  const bool writer = mode == TransactionMode::kReadWrite;
  if (writer && !write_slot_->Acquire(options_.busy_timeout)) {
    return DatabaseLocked();
  }
  WriteSlot* slot = writer ? write_slot_.get() : nullptr;
  absl::StatusOr<std::unique_ptr<Connection>> conn =
      pool_->Acquire(deadline - absl::Now());
  if (!conn.ok()) {
    if (slot) slot->Release();
    return conn.status();
  }
  absl::Status status;
  if (writer) {
    // Time spent queueing in-process counts against the same budget when
    // another process holds SQLite's write lock.
    (*conn)->SetBusyTimeout(
        std::max(deadline - absl::Now(), absl::ZeroDuration()));
    status = (*conn)->Exec("BEGIN IMMEDIATE");
    (*conn)->SetBusyTimeout(options_.busy_timeout);
  } else {
    // A deferred BEGIN takes its snapshot at the first read; read now, so
    // the snapshot is fixed before Begin returns.
    status = (*conn)->Exec("BEGIN");
    if (status.ok()) {
      status = (*conn)->Exec("SELECT 1 FROM sqlite_master LIMIT 1");
    }
  }
  if (!status.ok()) {
    pool_->Release(*std::move(conn));
    if (slot) slot->Release();
    return status;
  }
  return std::make_unique<SqliteTransaction>(mode, &options_.catalog,
                                             options_.clock, pool_.get(),
                                             *std::move(conn), slot);
}

absl::StatusOr<StoreStats> SqliteStore::Stats() {
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                          pool_->Acquire(options_.busy_timeout));
  // Release (and so roll back the read transaction) on every path.
  struct Return {
    ConnectionPool* pool;
    std::unique_ptr<Connection>* conn;
    ~Return() { pool->Release(std::move(*conn)); }
  } give_back{pool_.get(), &conn};

  VIEWER_RETURN_IF_ERROR(conn->Exec("BEGIN"));
  absl::flat_hash_map<std::string, int64_t> pages;
  if (has_dbstat_) {
    // Aggregated dbstat: one row per b-tree; an index counts for its table.
    VIEWER_ASSIGN_OR_RETURN(
        Statement stmt,
        conn->Prepare("SELECT m.tbl_name, SUM(d.pgsize) FROM dbstat('main', 1)"
                      " AS d JOIN sqlite_master AS m ON m.name = d.name"
                      " GROUP BY m.tbl_name"));
    while (true) {
      VIEWER_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      const unsigned char* name = sqlite3_column_text(stmt.get(), 0);
      pages[name ? reinterpret_cast<const char*>(name) : ""] =
          sqlite3_column_int64(stmt.get(), 1);
    }
  }
  StoreStats stats;
  for (const TableSchema& table : options_.catalog.tables()) {
    TableStats ts;
    ts.table = table.name();
    VIEWER_ASSIGN_OR_RETURN(Statement count,
                            conn->Prepare(absl::StrCat("SELECT COUNT(*) FROM ",
                                                       Quote(table.name())),
                                          &table));
    VIEWER_ASSIGN_OR_RETURN(bool has_row, count.Step());
    if (has_row) ts.rows = sqlite3_column_int64(count.get(), 0);
    if (has_dbstat_) {
      auto it = pages.find(table.name());
      ts.bytes = it == pages.end() ? 0 : it->second;
    } else {
      VIEWER_ASSIGN_OR_RETURN(
          Statement sum,
          conn->Prepare(sqlite_internal::PayloadBytesSql(table), &table));
      VIEWER_ASSIGN_OR_RETURN(bool has_sum, sum.Step());
      if (has_sum) ts.bytes = sqlite3_column_int64(sum.get(), 0);
    }
    stats.bytes_used += ts.bytes;
    stats.tables.push_back(std::move(ts));
  }
  VIEWER_RETURN_IF_ERROR(conn->Exec("COMMIT"));
  return stats;
}

std::string SqliteStore::Describe() const {
  return absl::StrCat("sqlite:", options_.path);
}

}  // namespace viewer
