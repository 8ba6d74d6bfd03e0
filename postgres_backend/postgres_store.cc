#include "postgres_backend/postgres_store.h"

#include <algorithm>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/status_macros.h"
#include "postgres_backend/internal/connection.h"
#include "postgres_backend/internal/layout.h"
#include "postgres_backend/internal/pool.h"
#include "postgres_backend/internal/postgres_transaction.h"
#include "postgres_backend/internal/schema_setup.h"
#include "postgres_backend/internal/sql_builder.h"
#include "postgres_backend/internal/value_codec.h"

namespace viewer {

using postgres_internal::Connection;
using postgres_internal::ConnectionPool;
using postgres_internal::ConnectTarget;
using postgres_internal::Layout;
using postgres_internal::PostgresTransaction;
using postgres_internal::Result;
using postgres_internal::Sql;
using postgres_internal::WriteSlot;

namespace {

// Opens a connection whose session reads and writes timestamps in UTC (a
// timestamptz column of an existing database converts with it).
absl::StatusOr<std::unique_ptr<Connection>> OpenConnection(
    const ConnectTarget& target) {
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                          Connection::Open(target));
  VIEWER_RETURN_IF_ERROR(conn->Command("SET TimeZone = 'UTC'"));
  return conn;
}

// The database must store text as UTF-8 and send timestamps as integers.
absl::Status CheckServer(const Connection& conn, absl::string_view server) {
  const std::string encoding = conn.Parameter("server_encoding");
  if (encoding != "UTF8") {
    return absl::FailedPreconditionError(absl::StrCat(
        server, " stores text as ", encoding.empty() ? "unknown" : encoding,
        "; viewer needs a database created with ENCODING 'UTF8'"));
  }
  if (conn.Parameter("integer_datetimes") != "on") {
    return absl::FailedPreconditionError(
        absl::StrCat(server,
                     " does not store timestamps as integers; viewer needs "
                     "PostgreSQL 10 or later"));
  }
  return absl::OkStatus();
}

}  // namespace

PostgresStore::PostgresStore(PostgresOptions options)
    : options_(std::move(options)),
      write_slot_(std::make_unique<WriteSlot>()) {}

PostgresStore::~PostgresStore() = default;

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    PostgresOptions options) {
  if (options.url.empty()) {
    return absl::InvalidArgumentError("PostgresOptions.url is empty");
  }
  if (options.clock == nullptr) {
    return absl::InvalidArgumentError("PostgresOptions.clock is null");
  }
  if (options.pool_size < 0 || options.max_connections < 0 ||
      options.busy_timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "PostgresOptions.pool_size, max_connections and busy_timeout must "
        "not be negative");
  }
  VIEWER_RETURN_IF_ERROR(options.catalog.Validate());
  auto store = absl::WrapUnique(new PostgresStore(std::move(options)));
  const PostgresOptions& opts = store->options_;
  const ConnectTarget target{opts.url, opts.connect_timeout_seconds};

  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                          OpenConnection(target));
  const std::string server = conn->Describe();
  VIEWER_RETURN_IF_ERROR(CheckServer(*conn, server));
  VIEWER_ASSIGN_OR_RETURN(Layout layout,
                          postgres_internal::SetUpSchema(
                              *conn, opts.catalog, server, opts.busy_timeout,
                              opts.create_missing_tables));
  store->description_ = absl::StrCat(
      server,
      layout.schema == "public" ? "" : absl::StrCat(" schema ", layout.schema),
      " (PostgreSQL ", conn->Parameter("server_version"), ")");
  store->layout_ = std::make_unique<Layout>(std::move(layout));
  store->pool_ = std::make_unique<ConnectionPool>(
      [target] { return OpenConnection(target); }, std::max(1, opts.pool_size),
      static_cast<size_t>(opts.max_connections));
  store->pool_->Adopt(std::move(conn));
  return store;
}

absl::StatusOr<std::unique_ptr<Transaction>> PostgresStore::Begin(
    TransactionMode mode) {
  const absl::Time deadline = absl::Now() + options_.busy_timeout;
  const bool writer = mode == TransactionMode::kReadWrite;
  if (writer && !write_slot_->Acquire(options_.busy_timeout)) {
    return DatabaseLocked();
  }
  WriteSlot* slot = writer ? write_slot_.get() : nullptr;
  absl::Status status;
  // A pooled connection may have been lost while idle (the server
  // restarted): then try once more, with a new connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    absl::StatusOr<std::unique_ptr<Connection>> conn =
        pool_->Acquire(deadline - absl::Now());
    if (!conn.ok()) {
      status = conn.status();
      break;
    }
    if (writer) {
      status = postgres_internal::TakeWriterLock(
          **conn, layout_->lock_key, deadline - absl::Now(), /*begin=*/true);
    } else {
      // The snapshot of REPEATABLE READ is taken by the first statement
      // that reads; read now, so it is fixed before Begin returns.
      status = (*conn)->Command(
          "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT 1");
    }
    if (status.ok()) {
      return std::make_unique<PostgresTransaction>(
          mode, &options_.catalog, options_.clock, layout_.get(), pool_.get(),
          *std::move(conn), slot);
    }
    const bool lost = (*conn)->Broken();
    pool_->Release(*std::move(conn));
    if (!lost) break;
  }
  if (slot) slot->Release();
  return status;
}

absl::StatusOr<StoreStats> PostgresStore::Stats() {
  // One statement outside any transaction: all counts come from one
  // snapshot.
  Sql sql;
  std::vector<std::string> terms;
  for (const TableSchema& table : options_.catalog.tables()) {
    const std::string name = postgres_internal::Quote(table.name());
    const std::string p =
        sql.Param(Value::Text(name), postgres_internal::kTextOid);
    terms.push_back(absl::StrCat("(SELECT COUNT(*) FROM ", name,
                                 "), pg_catalog.pg_total_relation_size(", p,
                                 "::regclass)"));
  }
  sql.text = absl::StrCat("SELECT ", absl::StrJoin(terms, ", "));
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                          pool_->Acquire(options_.busy_timeout));
  absl::StatusOr<Result> r = conn->Run(sql);
  pool_->Release(std::move(conn));
  VIEWER_RETURN_IF_ERROR(r.status());
  StoreStats stats;
  int field = 0;
  for (const TableSchema& table : options_.catalog.tables()) {
    TableStats ts;
    ts.table = table.name();
    VIEWER_ASSIGN_OR_RETURN(
        ts.rows, postgres_internal::ReadInteger(r->get(), 0, field++));
    VIEWER_ASSIGN_OR_RETURN(
        ts.bytes, postgres_internal::ReadInteger(r->get(), 0, field++));
    stats.bytes_used += ts.bytes;
    stats.tables.push_back(std::move(ts));
  }
  return stats;
}

std::string PostgresStore::Describe() const { return description_; }

}  // namespace viewer
