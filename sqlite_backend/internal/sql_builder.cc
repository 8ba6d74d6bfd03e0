#include "sqlite_backend/internal/sql_builder.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace viewer::sqlite_internal {
namespace {

// The prefix's upper bound is bound as the operand's kind (SameKind): SQLite
// orders every TEXT before any BLOB, so a bound of the other storage class
// would match everything or nothing.

absl::string_view Comparison(Op op) {
  switch (op) {
    case Op::kEq:
      return " = ?";
    case Op::kNe:
      return " != ?";
    case Op::kLt:
      return " < ?";
    case Op::kLe:
      return " <= ?";
    case Op::kGt:
      return " > ?";
    case Op::kGe:
      return " >= ?";
    default:
      return "";
  }
}

// One filter as a SQL condition; appends its operands to `params`.
std::string Condition(const TableSchema& table, const BoundFilter& f,
                      std::vector<Value>* params) {
  const std::string col = Quote(table.column(f.column).name);
  switch (f.op) {
    case Op::kIsNull:
      return absl::StrCat(col, " IS NULL");
    case Op::kIsNotNull:
      return absl::StrCat(col, " IS NOT NULL");
    case Op::kIn: {
      // A NULL in the list can never match; leaving it out keeps the list
      // short. An empty list matches nothing.
      std::vector<absl::string_view> marks;
      for (const Value& v : f.values) {
        if (v.is_null()) continue;
        params->push_back(v);
        marks.push_back("?");
      }
      if (marks.empty()) return "0";
      return absl::StrCat(col, " IN (", absl::StrJoin(marks, ", "), ")");
    }
    case Op::kPrefix: {
      if (f.value.is_null()) return "0";
      params->push_back(f.value);
      std::optional<std::string> hi = PrefixUpperBound(f.value.bytes());
      if (!hi) return absl::StrCat(col, " >= ?");
      params->push_back(SameKind(f.value, *std::move(hi)));
      return absl::StrCat(col, " >= ? AND ", col, " < ?");
    }
    default:
      // A NULL operand binds as NULL: the comparison is NULL, which WHERE
      // treats as false, as the contract's three-valued logic wants.
      params->push_back(f.value);
      return absl::StrCat(col, Comparison(f.op));
  }
}

}  // namespace

std::string Quote(absl::string_view identifier) {
  return absl::StrCat("\"", identifier, "\"");
}

absl::string_view SqlType(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
      return "INTEGER";
    case ColumnType::kText:
      return "VARCHAR";
    case ColumnType::kBlob:
      return "BLOB";
    case ColumnType::kBoolean:
      return "BOOLEAN";
    case ColumnType::kTimestamp:
      return "DATETIME";
  }
  return "BLOB";
}

std::string IndexName(const TableSchema& table, size_t column) {
  return absl::StrCat("ix_", table.name(), "_", table.column(column).name);
}

std::string CreateTableSql(const TableSchema& table) {
  std::vector<std::string> defs;
  defs.push_back(absl::StrCat(Quote("id"), " INTEGER NOT NULL PRIMARY KEY"));
  for (size_t c = 1; c < table.size(); ++c) {
    const Column& col = table.column(c);
    std::string def = absl::StrCat(Quote(col.name), " ", SqlType(col.type));
    if (col.not_null) absl::StrAppend(&def, " NOT NULL");
    if (col.unique && !col.indexed) absl::StrAppend(&def, " UNIQUE");
    defs.push_back(std::move(def));
  }
  return absl::StrCat("CREATE TABLE IF NOT EXISTS ", Quote(table.name()),
                      " (\n  ", absl::StrJoin(defs, ",\n  "), "\n)");
}

std::vector<std::string> CreateIndexSql(const TableSchema& table) {
  std::vector<std::string> out;
  for (size_t c = 1; c < table.size(); ++c) {
    const Column& col = table.column(c);
    if (!col.indexed) continue;
    out.push_back(
        absl::StrCat("CREATE ", col.unique ? "UNIQUE " : "",
                     "INDEX IF NOT EXISTS ", Quote(IndexName(table, c)), " ON ",
                     Quote(table.name()), " (", Quote(col.name), ")"));
  }
  return out;
}

std::string ColumnList(const TableSchema& table) {
  return absl::StrJoin(
      table.columns(), ", ",
      [](std::string* out, const Column& c) { out->append(Quote(c.name)); });
}

void AppendWhere(const TableSchema& table,
                 const std::vector<BoundFilter>& where, Sql* sql) {
  if (where.empty()) return;
  std::vector<std::string> conditions;
  for (const BoundFilter& f : where) {
    conditions.push_back(Condition(table, f, &sql->params));
  }
  absl::StrAppend(&sql->text, " WHERE ", absl::StrJoin(conditions, " AND "));
}

Sql SelectSql(const TableSchema& table, const BoundQuery& query) {
  Sql sql;
  sql.text =
      absl::StrCat("SELECT ", ColumnList(table), " FROM ", Quote(table.name()));
  AppendWhere(table, query.where, &sql);
  // SQLite sorts NULL before every value, so NULLs come first ascending and
  // last descending, as the contract says, without NULLS FIRST/LAST.
  std::vector<std::string> keys;
  for (const BoundOrder& o : query.order_by) {
    keys.push_back(absl::StrCat(Quote(table.column(o.column).name),
                                o.descending ? " DESC" : " ASC"));
  }
  keys.push_back(absl::StrCat(Quote("id"), " ASC"));
  absl::StrAppend(&sql.text, " ORDER BY ", absl::StrJoin(keys, ", "));
  if (query.limit || query.offset != 0) {
    // LIMIT -1 is SQLite's "no limit", needed to give an OFFSET alone.
    absl::StrAppend(&sql.text, " LIMIT ? OFFSET ?");
    sql.params.push_back(Value::Integer(query.limit.value_or(-1)));
    sql.params.push_back(Value::Integer(query.offset));
  }
  return sql;
}

Sql AggregateSql(const TableSchema& table, absl::string_view expr,
                 const std::vector<BoundFilter>& where,
                 absl::string_view suffix) {
  Sql sql;
  sql.text = absl::StrCat("SELECT ", expr, " FROM ", Quote(table.name()));
  AppendWhere(table, where, &sql);
  absl::StrAppend(&sql.text, suffix);
  return sql;
}

Sql InsertSql(const TableSchema& table, std::vector<Value> row) {
  std::vector<absl::string_view> marks(table.size(), "?");
  Sql sql;
  sql.text =
      absl::StrCat("INSERT INTO ", Quote(table.name()), " (", ColumnList(table),
                   ") VALUES (", absl::StrJoin(marks, ", "), ")");
  sql.params = std::move(row);
  return sql;
}

Sql UpdateSql(const TableSchema& table, const SetList& set,
              const std::vector<BoundFilter>& where) {
  Sql sql;
  std::vector<std::string> assignments;
  for (const auto& [column, value] : set) {
    assignments.push_back(
        absl::StrCat(Quote(table.column(column).name), " = ?"));
    sql.params.push_back(value);
  }
  sql.text = absl::StrCat("UPDATE ", Quote(table.name()), " SET ",
                          absl::StrJoin(assignments, ", "));
  AppendWhere(table, where, &sql);
  return sql;
}

Sql DeleteSql(const TableSchema& table, const std::vector<BoundFilter>& where) {
  Sql sql;
  sql.text = absl::StrCat("DELETE FROM ", Quote(table.name()));
  AppendWhere(table, where, &sql);
  return sql;
}

std::string PayloadBytesSql(const TableSchema& table) {
  std::vector<std::string> terms;
  for (const Column& c : table.columns()) {
    const std::string col = Quote(c.name);
    // length() of TEXT counts characters; of a BLOB cast, bytes.
    terms.push_back(absl::StrCat("CASE WHEN ", col,
                                 " IS NULL THEN 0 WHEN typeof(", col,
                                 ") IN ('text', 'blob') THEN length(CAST(", col,
                                 " AS BLOB)) ELSE 8 END"));
  }
  return absl::StrCat("SELECT COALESCE(SUM(", absl::StrJoin(terms, " + "),
                      "), 0) FROM ", Quote(table.name()));
}

}  // namespace viewer::sqlite_internal
