// How contract Values are stored in SQLite, the original application's
// layout (docs/design.md, "The SQLite backend"):
//
//   INTEGER    -> INTEGER
//   TEXT       -> TEXT, any bytes, bound with an explicit length
//   BLOB       -> BLOB; a zero-length blob stays a BLOB, never NULL
//   BOOLEAN    -> INTEGER 0 or 1
//   TIMESTAMP  -> TEXT "YYYY-MM-DD HH:MM:SS.ffffff" (UTC)
//
// Reading converts by the column's declared type in the schema, not by what
// SQLite happens to hold, so a file written by another program that holds
// something else is reported (kDataLoss) instead of being misread.
//
// Thread safety: stateless; the statement passed in must be used by one
// thread at a time.
#ifndef VIEWER_SQLITE_BACKEND_INTERNAL_VALUE_CODEC_H_
#define VIEWER_SQLITE_BACKEND_INTERNAL_VALUE_CODEC_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "engine/schema.h"
#include "engine/value.h"

struct sqlite3_stmt;

namespace viewer::sqlite_internal {

// Binds `value` to parameter `index` (1-based) of `stmt`. TEXT and BLOB
// bytes are not copied: `value` must stay alive and unchanged until the
// parameter is bound again or the statement is finalized. Returns SQLite's
// result code.
int BindValue(sqlite3_stmt* stmt, int index, const Value& value);

// Reads result column `index` of the current row of `stmt` as a value of
// `table`'s column `column`. NULL reads as NULL whatever the type. A stored
// value that does not convert is kDataLoss naming table, column and
// `row_id` (nullopt for an aggregate such as a group key or a sum).
absl::StatusOr<Value> ReadValue(sqlite3_stmt* stmt, int index,
                                const TableSchema& table, size_t column,
                                std::optional<int64_t> row_id);

}  // namespace viewer::sqlite_internal

#endif  // VIEWER_SQLITE_BACKEND_INTERNAL_VALUE_CODEC_H_
