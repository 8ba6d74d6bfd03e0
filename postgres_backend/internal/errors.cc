#include "postgres_backend/internal/errors.h"

#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/store.h"

namespace viewer::postgres_internal {
namespace {

absl::string_view Field(const PGresult* result, int code) {
  const char* v = result ? PQresultErrorField(result, code) : nullptr;
  return v ? absl::string_view(v) : absl::string_view();
}

// The schema column a unique violation names: by the index or constraint
// that refused the row (the layout knows which column each covers).
std::optional<size_t> UniqueColumn(const PGresult* result,
                                   const TableSchema* table,
                                   const TableLayout* layout) {
  if (table == nullptr || layout == nullptr) return std::nullopt;
  if (Field(result, PG_DIAG_TABLE_NAME) != table->name()) return std::nullopt;
  auto it =
      layout->unique_index_column.find(Field(result, PG_DIAG_CONSTRAINT_NAME));
  if (it == layout->unique_index_column.end()) return std::nullopt;
  return it->second;
}

std::optional<size_t> NotNullColumn(const PGresult* result,
                                    const TableSchema* table) {
  if (table == nullptr) return std::nullopt;
  if (Field(result, PG_DIAG_TABLE_NAME) != table->name()) return std::nullopt;
  return table->Find(Field(result, PG_DIAG_COLUMN_NAME));
}

absl::Status Other(absl::StatusCode code, const PGresult* result,
                   absl::string_view sqlstate) {
  return absl::Status(
      code, absl::StrCat(
                "postgres: ", OneLine(Field(result, PG_DIAG_MESSAGE_PRIMARY)),
                " (SQLSTATE ", sqlstate, ")"));
}

absl::StatusCode CodeOfClass(absl::string_view sqlstate) {
  absl::string_view cls = sqlstate.substr(0, 2);
  if (cls == "08") return absl::StatusCode::kUnavailable;  // connection
  if (cls == "22" || cls == "23") return absl::StatusCode::kInvalidArgument;
  if (cls == "25" || cls == "40") return absl::StatusCode::kAborted;
  if (cls == "28" || sqlstate == "42501") {
    return absl::StatusCode::kPermissionDenied;
  }
  if (cls == "53") return absl::StatusCode::kResourceExhausted;
  if (cls == "57") return absl::StatusCode::kUnavailable;  // shutdown, cancel
  return absl::StatusCode::kInternal;
}

}  // namespace

std::string OneLine(absl::string_view message) {
  std::vector<absl::string_view> lines = absl::StrSplit(
      absl::StripTrailingAsciiWhitespace(message), '\n', absl::SkipEmpty());
  std::string out = absl::StrJoin(lines, "; ");
  return absl::StrReplaceAll(
      out, {{"FATAL:  ", "FATAL: "}, {"ERROR:  ", "ERROR: "}});
}

absl::Status ConnectionLost(absl::string_view detail) {
  return absl::UnavailableError(
      absl::StrCat("lost the connection to PostgreSQL: ", OneLine(detail)));
}

absl::Status StatementError(const PGresult* result, PGconn* conn,
                            const TableSchema* table,
                            const TableLayout* layout) {
  absl::string_view sqlstate = Field(result, PG_DIAG_SQLSTATE);
  if (result == nullptr || PQstatus(conn) == CONNECTION_BAD ||
      absl::StartsWith(sqlstate, "08")) {
    return ConnectionLost(PQerrorMessage(conn));
  }
  if (sqlstate == "23505") {
    std::optional<size_t> c = UniqueColumn(result, table, layout);
    if (c) return UniqueViolation(*table, *c);
    return Other(absl::StatusCode::kAlreadyExists, result, sqlstate);
  }
  if (sqlstate == "23502") {
    std::optional<size_t> c = NotNullColumn(result, table);
    if (c) return NotNullViolation(*table, *c);
    return Other(absl::StatusCode::kInvalidArgument, result, sqlstate);
  }
  // lock_not_available: lock_timeout ran out waiting for a lock, the
  // writers' advisory lock or a row another program holds.
  if (sqlstate == "55P03") return DatabaseLocked();
  return Other(CodeOfClass(sqlstate), result, sqlstate);
}

absl::Status ConnectError(PGconn* conn, absl::string_view server) {
  std::string message =
      conn ? OneLine(PQerrorMessage(conn)) : std::string("out of memory");
  // libpq starts with the address it tried, which `server` already names.
  if (absl::StartsWith(message, "connection to server ")) {
    size_t at = message.find(" failed: ");
    if (at != std::string::npos) message.erase(0, at + 9);
  }
  absl::StatusCode code = absl::StatusCode::kUnavailable;
  if (absl::StrContains(message, "password authentication failed") ||
      absl::StrContains(message, "no password supplied") ||
      absl::StrContains(message, "authentication failed") ||
      (absl::StrContains(message, "role \"") &&
       absl::StrContains(message, "\" does not exist"))) {
    code = absl::StatusCode::kUnauthenticated;
  } else if (absl::StrContains(message, "database \"") &&
             absl::StrContains(message, "\" does not exist")) {
    code = absl::StatusCode::kNotFound;
  }
  return absl::Status(
      code, absl::StrCat("cannot connect to ", server, ": ", message));
}

}  // namespace viewer::postgres_internal
