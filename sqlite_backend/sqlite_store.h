// The SQLite backend of the storage contract (engine/store.h): the disk store,
// a file in the original Python application's SQLAlchemy layout
// (docs/design.md, "The SQLite backend"), so a secureapp.db made by either
// program opens in the other.
//
//   SqliteOptions options;
//   options.path = "/var/lib/viewer/secureapp.db";
//   options.catalog = AppCatalog();
//   absl::StatusOr<std::unique_ptr<SqliteStore>> store =
//       SqliteStore::Open(std::move(options));
//   if (!store.ok()) return store.status();
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
//                           (*store)->Begin(TransactionMode::kReadOnly));
//
// On disk: one table per TableSchema, `id INTEGER NOT NULL PRIMARY KEY`
// (a rowid alias: new ids are max(id)+1), columns typed INTEGER, VARCHAR,
// BLOB, BOOLEAN (0/1) or DATETIME (UTC text "YYYY-MM-DD HH:MM:SS.ffffff"),
// NOT NULL as in the schema, `ix_<table>_<column>` indexes (UNIQUE ones for
// unique indexed columns) and an inline UNIQUE for unique, unindexed
// columns. The file is in WAL mode with synchronous=NORMAL.
//
// Opening an existing file creates the tables and indexes it lacks and
// checks that each existing table has every column of its schema and a
// unique index for each unique column (kFailedPrecondition naming table and
// column otherwise); it never alters an existing table (extra columns are
// left alone and never read), and opening a file that already matches
// writes nothing to it.
//
// Thread safety: a SqliteStore may be used from any number of threads at
// once. Each Transaction owns one SQLite connection, taken from the store's
// pool when it begins and returned, clean, when it commits or rolls back;
// a Transaction is used by one thread at a time. Read-write transactions
// queue for the store's single write slot and then take SQLite's write
// lock with BEGIN IMMEDIATE, both within busy_timeout, else kUnavailable
// "database is locked"; this also holds against other processes using the
// same file. A read-only transaction runs BEGIN and then a read, so its
// snapshot is fixed before Begin returns: it sees exactly what was committed
// before, and WAL mode lets it run alongside the writer without either
// waiting. Every transaction must be destroyed before the store.
//
// ":memory:" (for benchmarks only): SQLite gives every connection to
// ":memory:" a database of its own, so the store then keeps exactly one
// connection and every transaction, reader or writer, waits for it (up to
// busy_timeout, then kUnavailable). Readers and the writer therefore
// exclude each other there; the snapshot rules above still hold.
#ifndef VIEWER_SQLITE_BACKEND_SQLITE_STORE_H_
#define VIEWER_SQLITE_BACKEND_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/clock.h"
#include "engine/schema.h"
#include "engine/store.h"

namespace viewer {

namespace sqlite_internal {
class ConnectionPool;
class WriteSlot;
}  // namespace sqlite_internal

struct SqliteOptions {
  // The database file; ":memory:" for a private, single-connection database
  // (benchmarks only, see above).
  std::string path;
  // The tables to create, or to check in an existing file.
  Catalog catalog;
  // Where "now" comes from for defaults and updates; not owned, must
  // outlive the store.
  Clock* clock = SystemClock::Get();
  // How long Begin waits for the write slot and SQLite's write lock (and,
  // in ":memory:", any Begin for the one connection) before kUnavailable
  // "database is locked".
  absl::Duration busy_timeout = absl::Seconds(5);
  // Idle connections kept open for reuse (at least 1 is kept).
  int pool_size = 4;
  // Create the file when it does not exist; else that is kFailedPrecondition.
  bool create_if_missing = true;
  // With path ":memory:": the database starts as a copy of these bytes, a
  // SQLite file image (sqlite3_deserialize), so a file can be read without
  // SQLite opening it (it would create -wal and -shm files next to it).
  // An image of a WAL-mode file is read as of its last checkpoint.
  std::shared_ptr<const std::string> image;
};

class SqliteStore final : public Store {
 public:
  // Opens (or creates) the database and brings its schema in line with
  // `options.catalog` as described above. Errors: kInvalidArgument for bad
  // options or catalog; kFailedPrecondition for a file that cannot be
  // opened (or is missing, without create_if_missing), cannot be put in WAL
  // mode, or does not fit the catalog; kUnavailable when another process
  // holds the write lock past busy_timeout; others from SQLite.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      SqliteOptions options);

  // Closes every connection; all transactions must be gone (aborts if not).
  ~SqliteStore() override;

  absl::StatusOr<std::unique_ptr<Transaction>> Begin(
      TransactionMode mode) override;
  // Rows per table from a fresh read transaction; bytes per table are the
  // pages of the table and its indexes (dbstat), or, when this SQLite lacks
  // dbstat, the sum of its values' lengths. byte_limit is always 0.
  absl::StatusOr<StoreStats> Stats() override;
  const Catalog& catalog() const override { return options_.catalog; }
  // "sqlite:<path>".
  std::string Describe() const override;

  // True when Stats() measures bytes with the dbstat virtual table.
  bool uses_dbstat() const { return has_dbstat_; }

 private:
  explicit SqliteStore(SqliteOptions options);

  const SqliteOptions options_;
  const bool in_memory_;
  bool has_dbstat_ = false;  // set once by Open
  std::unique_ptr<sqlite_internal::WriteSlot> write_slot_;
  std::unique_ptr<sqlite_internal::ConnectionPool> pool_;
};

}  // namespace viewer

#endif  // VIEWER_SQLITE_BACKEND_SQLITE_STORE_H_
