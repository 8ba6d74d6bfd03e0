// SQL text for the PostgreSQL backend, built from schemas and bound
// queries.
//
//   Sql sql = SelectSql(schema, query);
//   VIEWER_ASSIGN_OR_RETURN(Result rows, conn.Run(sql, &context));
//
// Values never appear in the text: every operand is a `$n` parameter with
// its type, bound in the binary format (value_codec.h). Identifiers come
// from validated schemas ([a-z0-9_], engine/schema.h) and are
// double-quoted. Text is compared and sorted with COLLATE "C" (bytewise),
// whatever the database's default collation; equality needs no collation
// (PostgreSQL's deterministic collations compare equal only equal bytes),
// so it can use an index of any collation. Prefix matching is a range,
// never LIKE. A text operand that no stored text can hold (not UTF-8, or
// with NUL bytes: engine/store.h) is compared with the column's bytes
// (bytea) instead, exactly and without an index. Results are ordered
// NULLS FIRST ascending and NULLS LAST descending, then by id.
//
// Thread safety: pure functions.
#ifndef VIEWER_POSTGRES_BACKEND_INTERNAL_SQL_BUILDER_H_
#define VIEWER_POSTGRES_BACKEND_INTERNAL_SQL_BUILDER_H_

#include <libpq-fe.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/query.h"
#include "engine/schema.h"
#include "engine/value.h"

namespace viewer::postgres_internal {

struct Sql {
  std::string text;
  std::vector<Value> params;  // $1, $2, ... in order
  std::vector<Oid> types;     // the type of each parameter

  // Adds a parameter of type `type`; returns its placeholder, "$n".
  std::string Param(Value value, Oid type);
};

// A column assignment of an UPDATE: schema column index and new value.
using SetList = std::vector<std::pair<size_t, Value>>;

// "name" with double quotes. `identifier` must be a validated name.
std::string Quote(absl::string_view identifier);
// "ix_<table>_<column>", SQLAlchemy's name for an index=True column.
std::string IndexName(const TableSchema& table, size_t column);

// CREATE TABLE in the original application's shape (postgres_store.h):
// id BIGSERIAL NOT NULL with PRIMARY KEY (id), NOT NULL where the schema
// says so, DEFAULT '1'/'0' for a boolean with a constant default, and a
// UNIQUE constraint for a column that is unique but not indexed.
std::string CreateTableSql(const TableSchema& table);
// CREATE [UNIQUE] INDEX ix_<table>_<column> for each indexed column
// (UNIQUE when the column is also unique).
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
// Counts per value of `column`, NULL's group first, then bytewise.
Sql CountBySql(const TableSchema& table, size_t column,
               const std::vector<BoundFilter>& where);
// INSERT naming every column, RETURNING id. `row[0]` NULL gives the row
// max(id)+1 over the rows the statement sees (1 in an empty table).
Sql InsertSql(const TableSchema& table, std::vector<Value> row);
// UPDATE table SET ... WHERE ...; `set` must not be empty.
Sql UpdateSql(const TableSchema& table, const SetList& set,
              const std::vector<BoundFilter>& where);
Sql DeleteSql(const TableSchema& table, const std::vector<BoundFilter>& where);

// Appends " WHERE ..." for `where` (nothing when empty) to `sql`.
void AppendWhere(const TableSchema& table,
                 const std::vector<BoundFilter>& where, Sql* sql);

// The least valid UTF-8 string greater than every string that starts with
// `prefix` (valid UTF-8), bytewise: `prefix` with its last code point
// replaced by the next one (past the surrogates), after dropping trailing
// U+10FFFF; nullopt when there is none. On valid UTF-8 it bounds exactly
// the strings PrefixUpperBound (engine/query.h) bounds, but it is itself
// valid UTF-8, which a text parameter must be: PrefixUpperBound("a\x7f")
// is "a\x80".
std::optional<std::string> TextPrefixUpperBound(absl::string_view prefix);

}  // namespace viewer::postgres_internal

#endif  // VIEWER_POSTGRES_BACKEND_INTERNAL_SQL_BUILDER_H_
