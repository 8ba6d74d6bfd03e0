#include "postgres_backend/internal/sql_builder.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/store.h"
#include "postgres_backend/internal/value_codec.h"

namespace viewer::postgres_internal {
namespace {

absl::string_view Comparison(Op op) {
  switch (op) {
    case Op::kEq:
      return " = ";
    case Op::kNe:
      return " <> ";
    case Op::kLt:
      return " < ";
    case Op::kLe:
      return " <= ";
    case Op::kGt:
      return " > ";
    case Op::kGe:
      return " >= ";
    default:
      return "";
  }
}

// The column as an ordered operand: text compares bytewise.
std::string Ordered(const Column& col) {
  std::string out = Quote(col.name);
  if (col.type == ColumnType::kText) absl::StrAppend(&out, " COLLATE \"C\"");
  return out;
}

std::string PrefixCondition(const Column& col, const Value& prefix, Sql* sql) {
  const std::string c = Ordered(col);
  const Oid type = ParamType(col.type);
  std::string out = absl::StrCat(c, " >= ", sql->Param(prefix, type));
  std::optional<std::string> hi = col.type == ColumnType::kText
                                      ? TextPrefixUpperBound(prefix.bytes())
                                      : PrefixUpperBound(prefix.bytes());
  if (hi) {
    absl::StrAppend(&out, " AND ", c, " < ",
                    sql->Param(SameKind(prefix, *std::move(hi)), type));
  }
  return out;
}

// Whether `f` has a TEXT operand no stored text can equal (not UTF-8, or
// holding NUL: engine/store.h), which PostgreSQL refuses as a text
// parameter.
bool HasUnstorableText(const Column& col, const BoundFilter& f) {
  if (col.type != ColumnType::kText) return false;
  auto bad = [](const Value& v) {
    return !v.is_null() && !IsStorableText(v.text());
  };
  if (f.op == Op::kIn)
    return std::any_of(f.values.begin(), f.values.end(), bad);
  return f.op != Op::kIsNull && f.op != Op::kIsNotNull && bad(f.value);
}

// `f` (HasUnstorableText) on the column's bytes: bytea compares bytewise,
// exactly as the contract compares text. No index serves it; only an
// operand no stored value holds gets here.
std::string BytesCondition(const Column& col, const BoundFilter& f, Sql* sql) {
  const std::string c =
      absl::StrCat("pg_catalog.convert_to(", Quote(col.name), ", 'UTF8')");
  auto bytes = [](const Value& v) {
    return Value::Blob(std::string(v.bytes()));
  };
  if (f.op == Op::kIn) {
    std::vector<Value> listed;
    for (const Value& v : f.values) {
      if (!v.is_null()) listed.push_back(bytes(v));
    }
    return absl::StrCat(
        c, " = ANY(",
        sql->Param(Value::Blob(EncodeArray(ColumnType::kBlob, listed)),
                   ArrayType(ColumnType::kBlob)),
        ")");
  }
  if (f.op == Op::kPrefix) {
    std::string out =
        absl::StrCat(c, " >= ", sql->Param(bytes(f.value), kByteaOid));
    std::optional<std::string> hi = PrefixUpperBound(f.value.bytes());
    if (hi) {
      absl::StrAppend(&out, " AND ", c, " < ",
                      sql->Param(Value::Blob(*std::move(hi)), kByteaOid));
    }
    return out;
  }
  return absl::StrCat(c, Comparison(f.op),
                      sql->Param(bytes(f.value), kByteaOid));
}

// One filter as a SQL condition; adds its operands to `sql`'s parameters.
std::string Condition(const TableSchema& table, const BoundFilter& f,
                      Sql* sql) {
  const Column& col = table.column(f.column);
  if (HasUnstorableText(col, f)) return BytesCondition(col, f, sql);
  const std::string c = Quote(col.name);
  switch (f.op) {
    case Op::kIsNull:
      return absl::StrCat(c, " IS NULL");
    case Op::kIsNotNull:
      return absl::StrCat(c, " IS NOT NULL");
    case Op::kIn: {
      // One array parameter whatever the list's length, so one prepared
      // statement serves every list. A NULL in the list can never match.
      std::vector<Value> listed;
      for (const Value& v : f.values) {
        if (!v.is_null()) listed.push_back(v);
      }
      if (listed.empty()) return "FALSE";
      return absl::StrCat(c, " = ANY(",
                          sql->Param(Value::Blob(EncodeArray(col.type, listed)),
                                     ArrayType(col.type)),
                          ")");
    }
    case Op::kPrefix:
      if (f.value.is_null()) return "FALSE";
      return PrefixCondition(col, f.value, sql);
    case Op::kEq:
    case Op::kNe:
      // A NULL operand binds as NULL: the comparison is NULL, which WHERE
      // treats as false, as the contract's three-valued logic wants.
      return absl::StrCat(c, Comparison(f.op),
                          sql->Param(f.value, ParamType(col.type)));
    default:
      return absl::StrCat(Ordered(col), Comparison(f.op),
                          sql->Param(f.value, ParamType(col.type)));
  }
}

absl::string_view SqlType(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
      return "BIGINT";
    case ColumnType::kText:
      return "VARCHAR COLLATE \"C\"";
    case ColumnType::kBlob:
      return "BYTEA";
    case ColumnType::kBoolean:
      return "BOOLEAN";
    case ColumnType::kTimestamp:
      return "TIMESTAMP WITHOUT TIME ZONE";
  }
  return "BYTEA";
}

// Appends `cp` (a scalar value, not a surrogate) in UTF-8.
void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

std::string Sql::Param(Value value, Oid type) {
  params.push_back(std::move(value));
  types.push_back(type);
  return absl::StrCat("$", params.size());
}

std::string Quote(absl::string_view identifier) {
  return absl::StrCat("\"", identifier, "\"");
}

std::string IndexName(const TableSchema& table, size_t column) {
  return absl::StrCat("ix_", table.name(), "_", table.column(column).name);
}

std::string CreateTableSql(const TableSchema& table) {
  std::vector<std::string> defs;
  defs.push_back(absl::StrCat(Quote("id"), " BIGSERIAL NOT NULL"));
  for (size_t c = 1; c < table.size(); ++c) {
    const Column& col = table.column(c);
    std::string def = absl::StrCat(Quote(col.name), " ", SqlType(col.type));
    // The original's enabled columns carry server_default "1", so that
    // plain INSERTs of other programs get it too.
    if (col.type == ColumnType::kBoolean &&
        col.default_kind == DefaultKind::kConstant &&
        !col.default_value.is_null()) {
      absl::StrAppend(
          &def, col.default_value.boolean() ? " DEFAULT '1'" : " DEFAULT '0'");
    }
    if (col.not_null) absl::StrAppend(&def, " NOT NULL");
    defs.push_back(std::move(def));
  }
  defs.push_back(absl::StrCat("PRIMARY KEY (", Quote("id"), ")"));
  for (size_t c = 1; c < table.size(); ++c) {
    const Column& col = table.column(c);
    if (col.unique && !col.indexed) {
      defs.push_back(absl::StrCat("UNIQUE (", Quote(col.name), ")"));
    }
  }
  return absl::StrCat("CREATE TABLE ", Quote(table.name()), " (\n  ",
                      absl::StrJoin(defs, ",\n  "), "\n)");
}

std::vector<std::string> CreateIndexSql(const TableSchema& table) {
  std::vector<std::string> out;
  for (size_t c = 1; c < table.size(); ++c) {
    const Column& col = table.column(c);
    if (!col.indexed) continue;
    out.push_back(absl::StrCat("CREATE ", col.unique ? "UNIQUE " : "", "INDEX ",
                               Quote(IndexName(table, c)), " ON ",
                               Quote(table.name()), " (", Quote(col.name),
                               ")"));
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
    conditions.push_back(Condition(table, f, sql));
  }
  absl::StrAppend(&sql->text, " WHERE ", absl::StrJoin(conditions, " AND "));
}

Sql SelectSql(const TableSchema& table, const BoundQuery& query) {
  Sql sql;
  sql.text =
      absl::StrCat("SELECT ", ColumnList(table), " FROM ", Quote(table.name()));
  AppendWhere(table, query.where, &sql);
  std::vector<std::string> keys;
  for (const BoundOrder& o : query.order_by) {
    keys.push_back(
        absl::StrCat(Ordered(table.column(o.column)),
                     o.descending ? " DESC NULLS LAST" : " ASC NULLS FIRST"));
  }
  keys.push_back(absl::StrCat(Quote("id"), " ASC"));
  absl::StrAppend(&sql.text, " ORDER BY ", absl::StrJoin(keys, ", "));
  if (query.limit || query.offset != 0) {
    // LIMIT NULL is no limit.
    std::string limit = sql.Param(
        query.limit ? Value::Integer(*query.limit) : Value::Null(), kInt8Oid);
    std::string offset = sql.Param(Value::Integer(query.offset), kInt8Oid);
    absl::StrAppend(&sql.text, " LIMIT ", limit, " OFFSET ", offset);
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

Sql CountBySql(const TableSchema& table, size_t column,
               const std::vector<BoundFilter>& where) {
  const std::string col = Quote(table.column(column).name);
  return AggregateSql(
      table, absl::StrCat(col, ", COUNT(*)"), where,
      absl::StrCat(" GROUP BY ", col, " ORDER BY ",
                   Ordered(table.column(column)), " ASC NULLS FIRST"));
}

Sql InsertSql(const TableSchema& table, std::vector<Value> row) {
  Sql sql;
  std::vector<std::string> marks;
  for (size_t c = 0; c < table.size(); ++c) {
    marks.push_back(
        sql.Param(std::move(row[c]), ParamType(table.column(c).type)));
  }
  // The writer holds the store's lock, so no other viewer can take the
  // same max(id)+1 before this transaction ends.
  marks[0] =
      absl::StrCat("COALESCE(", marks[0], ", (SELECT COALESCE(MAX(",
                   Quote("id"), "), 0) + 1 FROM ", Quote(table.name()), "))");
  sql.text = absl::StrCat(
      "INSERT INTO ", Quote(table.name()), " (", ColumnList(table),
      ") VALUES (", absl::StrJoin(marks, ", "), ") RETURNING ", Quote("id"));
  return sql;
}

Sql UpdateSql(const TableSchema& table, const SetList& set,
              const std::vector<BoundFilter>& where) {
  Sql sql;
  std::vector<std::string> assignments;
  for (const auto& [column, value] : set) {
    const Column& col = table.column(column);
    assignments.push_back(absl::StrCat(Quote(col.name), " = ",
                                       sql.Param(value, ParamType(col.type))));
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

std::optional<std::string> TextPrefixUpperBound(absl::string_view prefix) {
  std::string hi(prefix);
  while (!hi.empty()) {
    // The last code point starts at the last byte that is not 10xxxxxx.
    size_t start = hi.size() - 1;
    while (start > 0 &&
           (static_cast<unsigned char>(hi[start]) & 0xC0) == 0x80) {
      --start;
    }
    const auto lead = static_cast<unsigned char>(hi[start]);
    const size_t len = hi.size() - start;
    const size_t want = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (len != want) return PrefixUpperBound(prefix);  // not UTF-8 after all
    uint32_t cp = len == 1 ? lead : lead & (0x7F >> len);
    for (size_t i = start + 1; i < hi.size(); ++i) {
      cp = (cp << 6) | (static_cast<unsigned char>(hi[i]) & 0x3F);
    }
    hi.resize(start);
    ++cp;
    if (cp == 0xD800) cp = 0xE000;  // no string holds a surrogate
    if (cp <= 0x10FFFF) {
      AppendUtf8(cp, &hi);
      return hi;
    }
    // U+10FFFF has no successor: the bound is the previous code point's.
  }
  return std::nullopt;
}

}  // namespace viewer::postgres_internal
