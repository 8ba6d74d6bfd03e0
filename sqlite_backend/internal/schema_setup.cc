#include "sqlite_backend/internal/schema_setup.h"

#include <sqlite3.h>

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"
#include "sqlite_backend/internal/sql_builder.h"

namespace viewer::sqlite_internal {
namespace {

// The column names of existing table `table`; empty when there is no such
// table.
absl::StatusOr<absl::flat_hash_set<std::string>> ExistingColumns(
    Connection& conn, const TableSchema& table) {
  VIEWER_ASSIGN_OR_RETURN(
      Statement stmt, conn.Prepare("SELECT name FROM pragma_table_info(?)"));
  VIEWER_RETURN_IF_ERROR(stmt.Bind({Value::Text(table.name())}));
  absl::flat_hash_set<std::string> names;
  while (true) {
    VIEWER_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return names;
    const unsigned char* name = sqlite3_column_text(stmt.get(), 0);
    names.insert(name ? reinterpret_cast<const char*>(name) : "");
  }
}

// Whether some full (not partial) unique index covers exactly `column`.
// Without one, SQLite would accept duplicates the memory engine refuses; a
// file made elsewhere could have a same-named index that is not unique.
absl::StatusOr<bool> UniqueEnforced(Connection& conn, const TableSchema& table,
                                    size_t column) {
  VIEWER_ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("SELECT COUNT(*) FROM pragma_index_list(?1) AS l"
                   " WHERE l.\"unique\" = 1 AND l.partial = 0"
                   " AND (SELECT COUNT(*) FROM pragma_index_info(l.name)) = 1"
                   " AND (SELECT name FROM pragma_index_info(l.name)) = ?2"));
  VIEWER_RETURN_IF_ERROR(stmt.Bind(
      {Value::Text(table.name()), Value::Text(table.column(column).name)}));
  VIEWER_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  return has_row && sqlite3_column_int64(stmt.get(), 0) > 0;
}

absl::Status Mismatch(absl::string_view path, const TableSchema& table,
                      const Column& col, absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("existing table ", table.name(), " in ", path, " ", what,
                   " ", table.name(), ".", col.name,
                   "; the file's layout does not match the schema"));
}

absl::Status SetUpTable(Connection& conn, const TableSchema& table,
                        absl::string_view path) {
  VIEWER_ASSIGN_OR_RETURN(absl::flat_hash_set<std::string> existing,
                          ExistingColumns(conn, table));
  if (existing.empty()) {
    VIEWER_RETURN_IF_ERROR(conn.Exec(CreateTableSql(table)));
  }
  for (const Column& col : table.columns()) {
    if (!existing.empty() && !existing.contains(col.name)) {
      return Mismatch(path, table, col, "has no column");
    }
  }
  for (const std::string& sql : CreateIndexSql(table)) {
    absl::Status s = conn.Exec(sql, {}, &table);
    if (!s.ok()) {
      // Duplicates in a file made elsewhere block a UNIQUE index: that is
      // the file not fitting the schema, not a failed insert.
      absl::StatusCode code = s.code() == absl::StatusCode::kAlreadyExists
                                  ? absl::StatusCode::kFailedPrecondition
                                  : s.code();
      return absl::Status(
          code, absl::StrCat("cannot create an index of ", table.name(), " in ",
                             path, ": ", s.message()));
    }
  }
  for (size_t c = 1; c < table.size(); ++c) {
    if (!table.column(c).unique) continue;
    VIEWER_ASSIGN_OR_RETURN(bool enforced, UniqueEnforced(conn, table, c));
    if (!enforced) {
      return Mismatch(path, table, table.column(c), "has no unique index on");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SetUpSchema(Connection& conn, const Catalog& catalog,
                         absl::string_view path) {
  VIEWER_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  for (const TableSchema& table : catalog.tables()) {
    absl::Status s = SetUpTable(conn, table, path);
    if (!s.ok()) {
      (void)conn.Exec("ROLLBACK");
      return s;
    }
  }
  return conn.Exec("COMMIT");
}

}  // namespace viewer::sqlite_internal
