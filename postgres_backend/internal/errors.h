// The one place where PostgreSQL errors become absl::Status.
//
//   PGresult* r = PQexecPrepared(...);
//   if (PQresultStatus(r) != PGRES_TUPLES_OK) {
//     return StatementError(r, conn, &schema, &layout);
//   }
//
// Constraint failures get the contract's exact messages (engine/store.h:
// UniqueViolation, NotNullViolation), a writer lock wait past the busy
// timeout gets DatabaseLocked(), so callers see the same code and text as
// on the other backends. A lost connection is kUnavailable. Other errors
// keep PostgreSQL's message and SQLSTATE.
//
// Thread safety: pure functions of their arguments.
#ifndef VIEWER_POSTGRES_BACKEND_INTERNAL_ERRORS_H_
#define VIEWER_POSTGRES_BACKEND_INTERNAL_ERRORS_H_

#include <libpq-fe.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/schema.h"
#include "postgres_backend/internal/layout.h"

namespace viewer::postgres_internal {

// The error of a statement that failed: `result` is what libpq returned
// (null when it returned nothing: out of memory or a lost connection).
// `table` and `layout` (both may be null) are what the statement was about;
// they let a constraint name or column name be mapped to the schema.
absl::Status StatementError(const PGresult* result, PGconn* conn,
                            const TableSchema* table,
                            const TableLayout* layout);

// The error of a connection attempt that failed, as one line starting
// with `server` (a description without the password): kUnauthenticated for
// a refused password, kNotFound for a database that does not exist,
// kUnavailable otherwise (no server there, server starting or shutting
// down, too many connections, ...).
absl::Status ConnectError(PGconn* conn, absl::string_view server);

// kUnavailable "lost the connection to PostgreSQL: <detail>".
absl::Status ConnectionLost(absl::string_view detail);

// libpq's error text as one line: no trailing newline, lines joined by
// "; ", the spaces PostgreSQL puts after "FATAL:" or "ERROR:" squeezed.
std::string OneLine(absl::string_view message);

}  // namespace viewer::postgres_internal

#endif  // VIEWER_POSTGRES_BACKEND_INTERNAL_ERRORS_H_
