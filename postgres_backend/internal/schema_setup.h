// Bringing a database's current schema in line with a Catalog, the way
// PostgresStore::Open does it (postgres_store.h): create what is missing,
// check what exists, alter nothing; and learn the Layout transactions use.
//
//   VIEWER_ASSIGN_OR_RETURN(Layout layout,
//       SetUpSchema(conn, catalog, conn.Describe(), absl::Seconds(5)));
//
// Thread safety: uses `conn` only, from the calling thread.
#ifndef VIEWER_POSTGRES_BACKEND_INTERNAL_SCHEMA_SETUP_H_
#define VIEWER_POSTGRES_BACKEND_INTERNAL_SCHEMA_SETUP_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "engine/schema.h"
#include "postgres_backend/internal/connection.h"
#include "postgres_backend/internal/layout.h"

namespace viewer::postgres_internal {

// Checks the existing tables of the connection's current schema against
// `catalog` and, when some are missing, takes the writers' advisory lock
// (waiting up to `busy_timeout`, else DatabaseLocked()), checks again and
// creates them with their indexes, all in one transaction: two processes
// opening an empty database at once cannot interleave, and on error
// nothing is created. A schema holding other tables and none of the
// catalog's is refused. Without `create_missing`, a missing table is
// refused instead of created (nothing is written). `server` names the
// database in messages. Errors:
// kFailedPrecondition naming the table and column that does not fit, or
// the schema; the connection's errors.
absl::StatusOr<Layout> SetUpSchema(Connection& conn, const Catalog& catalog,
                                   absl::string_view server,
                                   absl::Duration busy_timeout,
                                   bool create_missing = true);

// Takes the writers' transaction-scoped advisory lock `key`, waiting up
// to `timeout` (at least 1 ms), else DatabaseLocked(): inside the open
// transaction of `conn`, or, with `begin`, in a transaction it begins at
// READ COMMITTED first, all in one round trip.
absl::Status TakeWriterLock(Connection& conn, int64_t key,
                            absl::Duration timeout, bool begin = false);

}  // namespace viewer::postgres_internal

#endif  // VIEWER_POSTGRES_BACKEND_INTERNAL_SCHEMA_SETUP_H_
