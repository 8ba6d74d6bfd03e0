#include "sqlite_backend/internal/connection.h"

#include <sqlite3.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"
#include "sqlite_backend/internal/errors.h"
#include "sqlite_backend/internal/value_codec.h"

namespace viewer::sqlite_internal {
namespace {

int TimeoutMillis(absl::Duration d) {
  int64_t ms = absl::ToInt64Milliseconds(d);
  return static_cast<int>(std::clamp<int64_t>(ms, 0, INT32_MAX));
}

absl::Status ErrorOf(sqlite3* db, int rc, const TableSchema* table) {
  return SqliteError(rc, sqlite3_errmsg(db), table);
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      table_(other.table_),
      params_(std::move(other.params_)) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (in_use_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  // The result of reset repeats the last step's error, already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

absl::Status Statement::Bind(std::vector<Value> params) {
  params_ = std::move(params);
  for (size_t i = 0; i < params_.size(); ++i) {
    int rc = BindValue(stmt_, static_cast<int>(i + 1), params_[i]);
    if (rc != SQLITE_OK) return ErrorOf(sqlite3_db_handle(stmt_), rc, table_);
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return ErrorOf(sqlite3_db_handle(stmt_), rc, table_);
}

absl::Status Statement::Run() {
  while (true) {
    VIEWER_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return absl::OkStatus();
  }
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& path, bool create, absl::Duration busy_timeout) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 hands out a handle even on failure, for the message.
    absl::Status s = SqliteError(
        rc, absl::StrCat(db ? sqlite3_errmsg(db) : "out of memory", ": ", path),
        nullptr);
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
  conn->SetBusyTimeout(busy_timeout);
  // NORMAL is durable across application crashes in WAL mode; only a power
  // loss may drop the last commits, which the original application accepted.
  VIEWER_RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous=NORMAL"));
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached->stmt);
  sqlite3_close(db_);
}

absl::StatusOr<Statement> Connection::Prepare(absl::string_view sql,
                                              const TableSchema* table) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second->in_use) {
    it->second->in_use = true;
    return Statement(it->second->stmt, &it->second->in_use, table);
  }
  sqlite3_stmt* stmt = nullptr;
  const bool cache = it == cache_.end();
  int rc =
      sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                         cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return ErrorOf(db_, rc, table);
  if (!cache) {
    // The same text is already in use further up the stack: this copy is
    // private to the handle and finalized with it.
    return Statement(stmt, nullptr, table);
  }
  if (cache_.size() >= kMaxCached) TrimCache();
  auto entry = std::make_unique<Cached>();
  entry->stmt = stmt;
  entry->in_use = true;
  bool* in_use = &entry->in_use;
  cache_.emplace(std::string(sql), std::move(entry));
  return Statement(stmt, in_use, table);
}

void Connection::TrimCache() {
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (it->second->in_use) {
      ++it;
      continue;
    }
    sqlite3_finalize(it->second->stmt);
    cache_.erase(it++);
  }
}

absl::Status Connection::Exec(absl::string_view sql, std::vector<Value> params,
                              const TableSchema* table) {
  VIEWER_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql, table));
  VIEWER_RETURN_IF_ERROR(stmt.Bind(std::move(params)));
  return stmt.Run();
}

bool Connection::InTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

int64_t Connection::LastInsertRowid() const {
  return sqlite3_last_insert_rowid(db_);
}

void Connection::SetBusyTimeout(absl::Duration timeout) {
  sqlite3_busy_timeout(db_, TimeoutMillis(timeout));
}

}  // namespace viewer::sqlite_internal
