#include "sqlite_backend/internal/errors.h"

#include <sqlite3.h>

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "engine/store.h"

namespace viewer::sqlite_internal {
namespace {

// SQLite names the failing constraint after a fixed prefix, as
// "<table>.<column>" (several, comma separated, for a multi-column index) or
// as "index '<name>'" for an index on expressions. Returns the schema
// column the message names first, or nullopt when it names none of
// `table`'s columns; the caller then keeps SQLite's own text.
std::optional<size_t> NamedColumn(absl::string_view message,
                                  absl::string_view prefix,
                                  const TableSchema& table) {
  if (!absl::ConsumePrefix(&message, prefix)) return std::nullopt;
  message = message.substr(0, message.find(", "));
  if (absl::ConsumePrefix(&message, "index '") &&
      absl::ConsumeSuffix(&message, "'")) {
    // Our own index names are ix_<table>_<column> (sql_builder.h).
    if (!absl::ConsumePrefix(&message, absl::StrCat("ix_", table.name(), "_")))
      return std::nullopt;
    return table.Find(message);
  }
  if (!absl::ConsumePrefix(&message, absl::StrCat(table.name(), "."))) {
    return std::nullopt;
  }
  return table.Find(message);
}

// A constraint failure, which SQLite words as `prefix` then the column:
// `contract(*table, column)` when it names a column of `table`, else
// SQLite's own text with `code`.
absl::Status ConstraintFailed(absl::string_view message,
                              absl::string_view prefix,
                              const TableSchema* table,
                              absl::Status (*contract)(const TableSchema&,
                                                       size_t),
                              absl::StatusCode code) {
  std::optional<size_t> c =
      table ? NamedColumn(message, prefix, *table) : std::nullopt;
  if (c) return contract(*table, *c);
  return absl::Status(code, message);
}

absl::Status Other(absl::StatusCode code, int rc, absl::string_view message) {
  return absl::Status(code,
                      absl::StrCat("sqlite: ", message, " (code ", rc, ")"));
}

}  // namespace

absl::Status SqliteError(int rc, absl::string_view message,
                         const TableSchema* table) {
  switch (rc) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return absl::OkStatus();
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      // A taken explicit id is reported by SQLite as "UNIQUE constraint
      // failed: t.id" too, which maps to column 0 here.
      return ConstraintFailed(message, "UNIQUE constraint failed: ", table,
                              UniqueViolation,
                              absl::StatusCode::kAlreadyExists);
    case SQLITE_CONSTRAINT_NOTNULL:
      return ConstraintFailed(message, "NOT NULL constraint failed: ", table,
                              NotNullViolation,
                              absl::StatusCode::kInvalidArgument);
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      // CHECK and other constraints a file made elsewhere may carry.
      return absl::InvalidArgumentError(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DatabaseLocked();
    case SQLITE_ERROR:
      // SUM() reports overflow as a plain SQLITE_ERROR with this text.
      if (message == "integer overflow") return IntegerOverflow();
      return Other(absl::StatusCode::kInternal, rc, message);
    case SQLITE_NOMEM:
    case SQLITE_FULL:
      return Other(absl::StatusCode::kResourceExhausted, rc, message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Other(absl::StatusCode::kDataLoss, rc, message);
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Other(absl::StatusCode::kFailedPrecondition, rc, message);
    case SQLITE_INTERRUPT:
      return Other(absl::StatusCode::kCancelled, rc, message);
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
      return Other(absl::StatusCode::kInvalidArgument, rc, message);
    default:
      // SQLITE_IOERR, SQLITE_MISUSE, SQLITE_RANGE, ...: nothing a caller can
      // fix by changing its request.
      return Other(absl::StatusCode::kInternal, rc, message);
  }
}

}  // namespace viewer::sqlite_internal
