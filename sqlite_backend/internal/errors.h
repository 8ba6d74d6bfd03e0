// The one place where SQLite result codes become absl::Status.
//
//   int rc = sqlite3_step(stmt);
//   if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
//     return SqliteError(rc, sqlite3_errmsg(db), &schema);
//   }
//
// Constraint failures get the contract's exact messages (engine/store.h:
// UniqueViolation, NotNullViolation), a busy or locked database gets
// DatabaseLocked() and SUM's overflow gets IntegerOverflow(), so callers of
// either backend see the same code and the same text (docs/design.md, "The
// storage contract").
//
// Thread safety: a pure function; call it from any thread.
#ifndef VIEWER_SQLITE_BACKEND_INTERNAL_ERRORS_H_
#define VIEWER_SQLITE_BACKEND_INTERNAL_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/schema.h"

namespace viewer::sqlite_internal {

// Translates SQLite result code `rc` (primary or extended) and SQLite's
// message for it (sqlite3_errmsg, read right after the failing call) into a
// Status. `table` is the table the failing statement was about, or nullptr;
// it lets a constraint message be mapped to a column of the schema. A
// success code (SQLITE_OK, SQLITE_ROW, SQLITE_DONE) gives OkStatus().
absl::Status SqliteError(int rc, absl::string_view message,
                         const TableSchema* table);

}  // namespace viewer::sqlite_internal

#endif  // VIEWER_SQLITE_BACKEND_INTERNAL_ERRORS_H_
