// Bringing a database file in line with a Catalog, the way SqliteStore::Open
// does it: create what is missing, check what exists, alter nothing.
//
//   VIEWER_RETURN_IF_ERROR(SetUpSchema(conn, catalog, path));
//
// Thread safety: uses `conn` only, from the calling thread.
#ifndef VIEWER_SQLITE_BACKEND_INTERNAL_SCHEMA_SETUP_H_
#define VIEWER_SQLITE_BACKEND_INTERNAL_SCHEMA_SETUP_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/schema.h"
#include "sqlite_backend/internal/connection.h"

namespace viewer::sqlite_internal {

// In one write transaction (so two processes opening a new file at once
// cannot interleave): creates each missing table and each missing
// ix_<table>_<column> index; checks that each existing table has every
// column of its schema and that every unique column is enforced by a
// single-column unique index. `path` is for messages only. On error,
// nothing is changed; a layout mismatch is kFailedPrecondition naming
// table and column.
absl::Status SetUpSchema(Connection& conn, const Catalog& catalog,
                         absl::string_view path);

}  // namespace viewer::sqlite_internal

#endif  // VIEWER_SQLITE_BACKEND_INTERNAL_SCHEMA_SETUP_H_
