// One libpq connection with its prepared statements, and libpq results as
// RAII handles.
//
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
//                           Connection::Open(target));
//   VIEWER_RETURN_IF_ERROR(conn->Command("BEGIN"));
//   VIEWER_ASSIGN_OR_RETURN(Result rows, conn->Run(sql, &schema, &layout));
//   for (int i = 0; i < rows.rows(); ++i) ...
//
// Every statement with parameters is prepared once per connection, keyed
// by its text, and then only executed; parameters and results are in the
// binary format (value_codec.h). Every error goes through errors.h.
//
// Thread safety: a Connection is used by one thread at a time (the
// transaction holding it, or the pool while it is idle); handing it to
// another thread needs a happens-before edge (the pool's mutex gives one).
//
// Invariants:
//   1. Every name in prepared_ is a statement prepared on this connection
//      with exactly that text.
//   2. prepared_ holds at most kMaxPrepared statements.
#ifndef VIEWER_POSTGRES_BACKEND_INTERNAL_CONNECTION_H_
#define VIEWER_POSTGRES_BACKEND_INTERNAL_CONNECTION_H_

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/schema.h"
#include "postgres_backend/internal/layout.h"
#include "postgres_backend/internal/sql_builder.h"

namespace viewer::postgres_internal {

// A PGresult, cleared when the handle dies. Move-only.
class Result {
 public:
  explicit Result(PGresult* result = nullptr) : result_(result) {}
  Result(Result&& other) noexcept
      : result_(std::exchange(other.result_, nullptr)) {}
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result() { PQclear(result_); }

  const PGresult* get() const { return result_; }
  int rows() const { return PQntuples(result_); }
  // Rows an INSERT, UPDATE or DELETE changed.
  int64_t affected() const;

 private:
  PGresult* result_;
};

// Where and how to connect.
struct ConnectTarget {
  std::string url;                   // anything libpq's conninfo accepts
  int connect_timeout_seconds = 10;  // unless `url` says otherwise
};

class Connection {
 public:
  // Connects. The session always uses client_encoding UTF8 and names
  // itself "viewer". Errors are ConnectError's (errors.h), or
  // kInvalidArgument for a URL libpq cannot parse; no message holds the
  // password.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const ConnectTarget& target);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();  // closes the connection

  // Runs `sql`, which takes no parameters (BEGIN, SAVEPOINT, ...; several
  // statements separated by ";" run in one round trip).
  absl::Status Command(const std::string& sql);
  // Runs `sql` as a prepared statement. `table` and `layout` (may be null)
  // say what it is about, for constraint messages.
  absl::StatusOr<Result> Run(const Sql& sql, const TableSchema* table = nullptr,
                             const TableLayout* layout = nullptr);

  // Runs, in one round trip (libpq's pipeline mode), the parameterless
  // commands `before`, then each of `statements` as prepared statements
  // (prepared there too when new), then the commands `after`. The first
  // that fails ends the run (the server skips the rest); its error is
  // returned, and the transaction is then in the state that error left it
  // in. Returns the result of the last of `statements`, which must not be
  // empty.
  absl::StatusOr<Result> Pipeline(const std::vector<std::string>& before,
                                  const std::vector<const Sql*>& statements,
                                  const std::vector<std::string>& after,
                                  const TableSchema* table = nullptr,
                                  const TableLayout* layout = nullptr);

  // True once the connection is lost (or was left in pipeline mode by a
  // failure): it is then useless.
  bool Broken() const {
    return PQstatus(conn_) == CONNECTION_BAD ||
           PQpipelineStatus(conn_) != PQ_PIPELINE_OFF;
  }
  // PQTRANS_IDLE outside a transaction, PQTRANS_INTRANS inside one,
  // PQTRANS_INERROR inside a failed one, PQTRANS_UNKNOWN when lost.
  PGTransactionStatusType TransactionStatus() const {
    return PQtransactionStatus(conn_);
  }
  // A server parameter reported at connection time ("server_version",
  // "server_encoding", ...); empty when unknown.
  std::string Parameter(const char* name) const;
  // This connection's server as a URL without the password:
  // "postgresql://user@host:port/dbname", or for a Unix socket folder
  // "postgresql:///dbname?host=/folder&port=5432&user=user".
  std::string Describe() const;

 private:
  // Past this many prepared statements, all are dropped, so that query
  // shapes the cache has not seen cannot grow it without bound.
  static constexpr size_t kMaxPrepared = 256;

  explicit Connection(PGconn* conn) : conn_(conn) {}
  absl::StatusOr<std::string> Prepare(const Sql& sql, const TableSchema* table,
                                      const TableLayout* layout);

  PGconn* const conn_;
  absl::flat_hash_map<std::string, std::string> prepared_;  // text -> name
  int64_t next_name_ = 0;
};

// `url` with any password in it replaced by "***", for messages about a
// URL that could not be parsed.
std::string RedactPassword(absl::string_view url);

}  // namespace viewer::postgres_internal

#endif  // VIEWER_POSTGRES_BACKEND_INTERNAL_CONNECTION_H_
