// One SQLite connection with its cache of prepared statements.
//
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
//                           Connection::Open(path, /*create=*/true, timeout));
//   VIEWER_ASSIGN_OR_RETURN(Statement stmt,
//                           conn->Prepare("SELECT ...", &schema));
//   VIEWER_RETURN_IF_ERROR(stmt.Bind({Value::Integer(7)}));
//   VIEWER_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
//
// Statements are cached per connection, keyed by their SQL text; a
// Statement handle borrows the cached sqlite3_stmt and resets it when the
// handle dies, so the next Prepare of the same text reuses it. Every error
// goes through SqliteError (errors.h).
//
// Thread safety: a Connection and its Statements are used by one thread at
// a time (the transaction holding the connection, or the pool while it is
// idle), which is why connections are opened SQLITE_OPEN_NOMUTEX. Handing
// a connection to another thread needs a happens-before edge (the pool's
// mutex gives one).
//
// Invariants:
//   1. Every cached statement is either in use by exactly one live
//      Statement handle, or reset with its bindings cleared.
//   2. The Connection outlives every Statement it handed out.
#ifndef VIEWER_SQLITE_BACKEND_INTERNAL_CONNECTION_H_
#define VIEWER_SQLITE_BACKEND_INTERNAL_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "engine/schema.h"
#include "engine/value.h"

struct sqlite3;
struct sqlite3_stmt;

namespace viewer::sqlite_internal {

class Connection;

// A prepared statement in use. Move-only; resets the statement (or
// finalizes it, if it is not cached) when destroyed.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds parameters 1..n. The statement keeps `params` (and so the bytes
  // SQLite points at) alive until it is destroyed.
  absl::Status Bind(std::vector<Value> params);
  // Runs to the next row: true when a row is ready, false when done.
  absl::StatusOr<bool> Step();
  // Steps until done, ignoring rows.
  absl::Status Run();

  sqlite3_stmt* get() const { return stmt_; }

 private:
  friend class Connection;
  Statement(sqlite3_stmt* stmt, bool* in_use, const TableSchema* table)
      : stmt_(stmt), in_use_(in_use), table_(table) {}

  sqlite3_stmt* stmt_;        // null once moved from
  bool* in_use_;              // the cache entry's flag; null: not cached
  const TableSchema* table_;  // error context; may be null
  std::vector<Value> params_;
};

class Connection {
 public:
  // Opens `path` read-write (creating the file when `create`), with
  // extended result codes, `busy_timeout`, synchronous=NORMAL and
  // double-quoted string literals disabled (so a misspelt "column" is an
  // error, not a string).
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& path, bool create, absl::Duration busy_timeout);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();  // finalizes cached statements and closes

  // A prepared statement for `sql`, from the cache when possible. `table`
  // (may be null, must outlive the Statement) names the table for
  // constraint messages.
  absl::StatusOr<Statement> Prepare(absl::string_view sql,
                                    const TableSchema* table = nullptr);
  // Prepares, binds `params` and steps `sql` to the end.
  absl::Status Exec(absl::string_view sql, std::vector<Value> params = {},
                    const TableSchema* table = nullptr);

  // True while a transaction is open on this connection (not autocommit).
  bool InTransaction() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const;
  int64_t LastInsertRowid() const;
  void SetBusyTimeout(absl::Duration timeout);

  sqlite3* db() const { return db_; }

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  // Past this many cached statements, idle ones are finalized, so that
  // queries with many shapes (IN lists of varying length) cannot grow the
  // cache without bound.
  static constexpr size_t kMaxCached = 256;

  explicit Connection(sqlite3* db) : db_(db) {}
  void TrimCache();

  sqlite3* const db_;
  absl::flat_hash_map<std::string, std::unique_ptr<Cached>> cache_;
};

}  // namespace viewer::sqlite_internal

#endif  // VIEWER_SQLITE_BACKEND_INTERNAL_CONNECTION_H_
