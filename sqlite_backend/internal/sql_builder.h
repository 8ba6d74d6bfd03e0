// SQL text for the SQLite backend, built from schemas and bound queries.
//
//   Sql sql = SelectSql(schema, query);
//   VIEWER_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql.text, &schema));
//   VIEWER_RETURN_IF_ERROR(stmt.Bind(std::move(sql.params)));
//
// Values never appear in the text: every operand is a `?` parameter, in the
// order of `params`. Identifiers come from validated schemas ([a-z0-9_],
// engine/schema.h) and are double-quoted. Prefix matching is a byte range,
// never LIKE or GLOB (which are case-insensitive and have wildcards).
//
// Thread safety: pure functions.
#ifndef VIEWER_SQLITE_BACKEND_INTERNAL_SQL_BUILDER_H_
#define VIEWER_SQLITE_BACKEND_INTERNAL_SQL_BUILDER_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/query.h"
#include "engine/schema.h"
#include "engine/value.h"

namespace viewer::sqlite_internal {

struct Sql {
  std::string text;
  std::vector<Value> params;
};

// A column assignment of an UPDATE: schema column index and new value.
using SetList = std::vector<std::pair<size_t, Value>>;

// "name" with double quotes. `identifier` must be a validated name.
std::string Quote(absl::string_view identifier);
// The declared SQL type of a column, as SQLAlchemy wrote it for the
// original application: INTEGER, VARCHAR, BLOB, BOOLEAN, DATETIME.
absl::string_view SqlType(ColumnType type);
// "ix_<table>_<column>", SQLAlchemy's name for an index=True column.
std::string IndexName(const TableSchema& table, size_t column);

// CREATE TABLE IF NOT EXISTS with id INTEGER NOT NULL PRIMARY KEY (a rowid
// alias, no AUTOINCREMENT), NOT NULL where the schema says so, and an inline
// UNIQUE for a column that is unique but not indexed. No DEFAULT clauses:
// the contract layer fills every value before an insert.
std::string CreateTableSql(const TableSchema& table);
// CREATE [UNIQUE] INDEX IF NOT EXISTS ix_<table>_<column> for each indexed
// column (UNIQUE when the column is also unique).
std::vector<std::string> CreateIndexSql(const TableSchema& table);

// The quoted column list "id", "c1", ... in schema order.
std::string ColumnList(const TableSchema& table);

// SELECT every column, filtered, ordered by the query's order then id
// ascending, with LIMIT/OFFSET as parameters.
Sql SelectSql(const TableSchema& table, const BoundQuery& query);
// SELECT <expr> FROM table WHERE ... then `suffix` (e.g. GROUP BY).
Sql AggregateSql(const TableSchema& table, absl::string_view expr,
                 const std::vector<BoundFilter>& where,
                 absl::string_view suffix = "");
// INSERT naming every column; `row[0]` NULL lets SQLite pick the id.
Sql InsertSql(const TableSchema& table, std::vector<Value> row);
// UPDATE table SET ... WHERE ...; `set` must not be empty.
Sql UpdateSql(const TableSchema& table, const SetList& set,
              const std::vector<BoundFilter>& where);
Sql DeleteSql(const TableSchema& table, const std::vector<BoundFilter>& where);

// SELECT the payload of every row of `table`: the bytes of TEXT and BLOB
// values plus 8 per other non-NULL value (Value::PayloadSize). Stats uses it
// when the installed SQLite has no dbstat table.
std::string PayloadBytesSql(const TableSchema& table);

// Appends " WHERE ..." for `where` (nothing when empty) to `sql`.
void AppendWhere(const TableSchema& table,
                 const std::vector<BoundFilter>& where, Sql* sql);

}  // namespace viewer::sqlite_internal

#endif  // VIEWER_SQLITE_BACKEND_INTERNAL_SQL_BUILDER_H_
