// The PostgreSQL backend of the storage contract (engine/store.h): the
// original Python application's production database, shared by any number
// of viewer processes.
//
//   PostgresOptions options;
//   options.url = "postgresql://viewer:secret@db.example.com/viewer";
//   options.catalog = AppCatalog();
//   absl::StatusOr<std::unique_ptr<PostgresStore>> store =
//       PostgresStore::Open(std::move(options));
//   if (!store.ok()) return store.status();  // one line, never the password
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
//                           (*store)->Begin(TransactionMode::kReadOnly));
//
// Layout. The tables live in the connection's current schema (the first
// existing one of its search_path, normally "public"). On a schema without
// viewer's tables Open creates them in the original application's shape:
// the same table and column names, `id` a SERIAL-style primary key with
// its own sequence (BIGSERIAL, since the contract's ids and integers are 64
// bits), VARCHAR COLLATE "C" for text, BYTEA, BIGINT, BOOLEAN (DEFAULT '1'
// where the schema's default is true), TIMESTAMP WITHOUT TIME ZONE (UTC),
// indexes named ix_<table>_<column> (UNIQUE for unique columns) and a
// UNIQUE constraint for a unique column that is not indexed. A schema
// holding some of viewer's tables is checked: each existing table must have
// every column of its schema with a compatible type (the original's
// INTEGER, VARCHAR(n) and TEXT are accepted) and a single-column unique
// index for each unique column; missing tables are created and nothing
// existing is altered, so opening a database that already fits writes
// nothing to it. A schema with other tables and none of viewer's is
// refused. Every such refusal is one kFailedPrecondition naming what does
// not fit.
//
// Semantics. Identical to the other backends: text is compared and sorted
// bytewise (COLLATE "C"), NULLs sort first ascending and last descending,
// `id` breaks ties, new ids are max(id)+1 (a deleted highest id is used
// again); after a transaction that inserted rows commits, each such
// table's id sequence is moved to its max(id), so plain INSERTs by other
// programs (the original application) still get fresh ids. Columns of a
// database the original made may be narrower than the contract (INTEGER,
// VARCHAR(n)): a value that does not fit is kInvalidArgument naming the
// column, and changes nothing.
//
// Errors. As engine/store.h says, with these additions: a lost or refused
// connection is kUnavailable (the request may be retried; a new connection
// is made for the next transaction); a serialization failure or deadlock
// with another program is kAborted. Messages name the server as
// Describe() does, never with the password.
//
// Thread safety: a PostgresStore may be used from any number of threads at
// once. Each Transaction owns one connection from the store's pool while it
// is open and is used by one thread at a time. Read-write transactions
// queue for the store's write slot, then take a transaction-scoped advisory
// lock keyed by the schema, both within busy_timeout, else kUnavailable
// "database is locked": one writer at a time across every process using the
// same schema. A writer runs at READ COMMITTED, so every statement after the
// lock sees everything committed before it. A read-only transaction runs
// REPEATABLE READ, READ ONLY, and reads once in Begin, so its snapshot is
// fixed before Begin returns; it never waits for the writer. Every
// transaction must be destroyed before the store.
#ifndef VIEWER_POSTGRES_BACKEND_POSTGRES_STORE_H_
#define VIEWER_POSTGRES_BACKEND_POSTGRES_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/clock.h"
#include "engine/schema.h"
#include "engine/store.h"

namespace viewer {

namespace postgres_internal {
class ConnectionPool;
class WriteSlot;
struct Layout;
}  // namespace postgres_internal

struct PostgresOptions {
  // Where to connect, in any form libpq accepts: a URL
  // ("postgresql://user:password@host:port/dbname?sslmode=require",
  // "postgres://..."; a Unix socket folder as ?host=/path) or
  // "key=value" pairs. Unset parts come from libpq's PG* environment
  // variables and defaults.
  std::string url;
  // The tables to create, or to check in an existing database.
  Catalog catalog;
  // Where "now" comes from for defaults and updates; not owned, must
  // outlive the store.
  Clock* clock = SystemClock::Get();
  // How long Begin waits for the write slot and for the advisory lock held
  // by another process's writer before kUnavailable "database is locked".
  absl::Duration busy_timeout = absl::Seconds(5);
  // Idle connections kept open for reuse (at least 1 is kept).
  int pool_size = 4;
  // Connections open at once, idle or in use; 0: no bound. Past it, Begin
  // waits up to busy_timeout for one (then kUnavailable).
  int max_connections = 0;
  // Seconds libpq waits for the server to answer a new connection, unless
  // the URL says otherwise (connect_timeout).
  int connect_timeout_seconds = 10;
  // False: a schema lacking some of the catalog's tables is refused
  // (kFailedPrecondition) instead of getting them, so Open writes nothing
  // (for a database that is only read, e.g. viewer --load).
  bool create_missing_tables = true;
};

class PostgresStore final : public Store {
 public:
  // Connects, checks the server (UTF8 database encoding) and brings the
  // schema in line with `options.catalog` as described above. Errors:
  // kInvalidArgument for bad options or catalog, or a URL libpq cannot
  // parse; kUnavailable when the server cannot be reached;
  // kUnauthenticated for a refused password; kNotFound for a database
  // that does not exist; kFailedPrecondition for a database that does not
  // fit (layout, encoding, no schema to create tables in); kUnavailable
  // when another process's writer holds the lock past busy_timeout while
  // tables must be created.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      PostgresOptions options);

  // Closes every connection; all transactions must be gone (aborts if not).
  ~PostgresStore() override;

  absl::StatusOr<std::unique_ptr<Transaction>> Begin(
      TransactionMode mode) override;
  // Rows per table (one snapshot for all) and, as bytes,
  // pg_total_relation_size (the table with its indexes and TOAST data).
  // byte_limit is always 0.
  absl::StatusOr<StoreStats> Stats() override;
  const Catalog& catalog() const override { return options_.catalog; }
  // "postgresql://user@host:port/dbname (PostgreSQL 15.4)", with the
  // schema when it is not "public"; never the password.
  std::string Describe() const override;

 private:
  explicit PostgresStore(PostgresOptions options);

  const PostgresOptions options_;
  std::string description_;  // set once by Open
  std::unique_ptr<postgres_internal::Layout> layout_;
  std::unique_ptr<postgres_internal::WriteSlot> write_slot_;
  std::unique_ptr<postgres_internal::ConnectionPool> pool_;
};

}  // namespace viewer

#endif  // VIEWER_POSTGRES_BACKEND_POSTGRES_STORE_H_
