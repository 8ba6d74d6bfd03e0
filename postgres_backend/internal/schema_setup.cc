#include "postgres_backend/internal/schema_setup.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/status_macros.h"
#include "engine/store.h"
#include "postgres_backend/internal/sql_builder.h"
#include "postgres_backend/internal/value_codec.h"

namespace viewer::postgres_internal {
namespace {

struct ExistingColumn {
  Oid type = 0;
  int64_t typmod = -1;
};

struct ExistingTable {
  absl::flat_hash_map<std::string, ExistingColumn> columns;
  // Single-column unique indexes: index name -> column name.
  absl::flat_hash_map<std::string, std::string> unique_indexes;
  std::string sequence;  // of column "id"; empty when none
};

// Tables of the schema by name, sorted (for messages).
using Existing = absl::btree_map<std::string, ExistingTable>;

Sql OneParam(std::string text, int64_t value) {
  Sql sql;
  sql.text = std::move(text);
  sql.Param(Value::Integer(value), kInt8Oid);
  return sql;
}

std::string TextAt(const Result& r, int row, int field) {
  return ReadText(r.get(), row, field).value_or("");
}

absl::StatusOr<Existing> Introspect(Connection& conn, int64_t schema_oid) {
  Existing out;
  VIEWER_ASSIGN_OR_RETURN(
      Result cols,
      conn.Run(
          OneParam("SELECT c.relname::text, a.attname::text, a.atttypid::int8,"
                   " a.atttypmod::int8 FROM pg_catalog.pg_class c"
                   " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
                   " WHERE c.relnamespace = $1::oid AND c.relkind IN ('r', 'p')"
                   " AND a.attnum > 0 AND NOT a.attisdropped",
                   schema_oid)));
  for (int i = 0; i < cols.rows(); ++i) {
    VIEWER_ASSIGN_OR_RETURN(int64_t type, ReadInteger(cols.get(), i, 2));
    VIEWER_ASSIGN_OR_RETURN(int64_t typmod, ReadInteger(cols.get(), i, 3));
    out[TextAt(cols, i, 0)].columns[TextAt(cols, i, 1)] =
        ExistingColumn{static_cast<Oid>(type), typmod};
  }
  VIEWER_ASSIGN_OR_RETURN(
      Result unique,
      conn.Run(OneParam(
          "SELECT c.relname::text, i.relname::text, a.attname::text"
          " FROM pg_catalog.pg_index x"
          " JOIN pg_catalog.pg_class c ON c.oid = x.indrelid"
          " JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid"
          " JOIN pg_catalog.pg_attribute a"
          "   ON a.attrelid = c.oid AND a.attnum = x.indkey[0]"
          " WHERE c.relnamespace = $1::oid AND x.indisunique"
          " AND x.indnatts = 1 AND x.indpred IS NULL AND x.indexprs IS NULL",
          schema_oid)));
  // Each statement sees what was committed when it began (READ COMMITTED):
  // a table another process committed after the first one is left out
  // here too, and is taken for missing (the caller then waits for that
  // process's lock and looks again), rather than seen without columns.
  for (int i = 0; i < unique.rows(); ++i) {
    auto table = out.find(TextAt(unique, i, 0));
    if (table == out.end()) continue;
    table->second.unique_indexes[TextAt(unique, i, 1)] = TextAt(unique, i, 2);
  }
  VIEWER_ASSIGN_OR_RETURN(
      Result seqs,
      conn.Run(
          OneParam("SELECT c.relname::text, pg_catalog.pg_get_serial_sequence("
                   "pg_catalog.quote_ident(n.nspname) || '.' ||"
                   " pg_catalog.quote_ident(c.relname), 'id')"
                   " FROM pg_catalog.pg_class c"
                   " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                   " WHERE c.relnamespace = $1::oid AND c.relkind IN ('r', 'p')"
                   " AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a"
                   "   WHERE a.attrelid = c.oid AND a.attname = 'id'"
                   "   AND a.attnum > 0 AND NOT a.attisdropped)",
                   schema_oid)));
  for (int i = 0; i < seqs.rows(); ++i) {
    auto table = out.find(TextAt(seqs, i, 0));
    if (table == out.end()) continue;
    table->second.sequence = TextAt(seqs, i, 1);
  }
  return out;
}

bool Fits(ColumnType type, Oid pg) {
  switch (type) {
    case ColumnType::kInteger:
      return pg == kInt8Oid || pg == kInt4Oid || pg == kInt2Oid;
    case ColumnType::kText:
      return pg == kTextOid || pg == kVarcharOid;
    case ColumnType::kBlob:
      return pg == kByteaOid;
    case ColumnType::kBoolean:
      return pg == kBoolOid;
    case ColumnType::kTimestamp:
      return pg == kTimestampOid || pg == kTimestamptzOid;
  }
  return false;
}

absl::Status Mismatch(absl::string_view server, const TableSchema& table,
                      const Column& col, absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("existing table ", table.name(), " in ", server, " ", what,
                   " ", table.name(), ".", col.name,
                   "; the database's layout does not match the schema"));
}

bool HasUniqueIndex(const ExistingTable& t, absl::string_view column) {
  return std::any_of(t.unique_indexes.begin(), t.unique_indexes.end(),
                     [&](const auto& entry) { return entry.second == column; });
}

absl::Status CheckTable(const TableSchema& table, const ExistingTable& t,
                        absl::string_view server) {
  for (const Column& col : table.columns()) {
    auto it = t.columns.find(col.name);
    if (it == t.columns.end()) {
      return Mismatch(server, table, col, "has no column");
    }
    if (!Fits(col.type, it->second.type)) {
      return Mismatch(server, table, col,
                      absl::StrCat("has a column of the wrong type (viewer "
                                   "stores ",
                                   ColumnTypeName(col.type), ") in"));
    }
  }
  for (size_t c = 0; c < table.size(); ++c) {
    const Column& col = table.column(c);
    if ((c == 0 || col.unique) && !HasUniqueIndex(t, col.name)) {
      return Mismatch(server, table, col, "has no unique index on");
    }
  }
  return absl::OkStatus();
}

// Checks every catalog table that exists; returns those that do not.
absl::StatusOr<std::vector<const TableSchema*>> Check(
    const Catalog& catalog, const Existing& existing, absl::string_view schema,
    absl::string_view server) {
  std::vector<const TableSchema*> missing;
  for (const TableSchema& table : catalog.tables()) {
    auto it = existing.find(table.name());
    if (it == existing.end()) {
      missing.push_back(&table);
      continue;
    }
    VIEWER_RETURN_IF_ERROR(CheckTable(table, it->second, server));
  }
  if (missing.size() == catalog.tables().size() && !existing.empty()) {
    std::vector<std::string> names;
    for (const auto& [name, t] : existing) names.push_back(name);
    if (names.size() > 5) {
      names.resize(5);
      names.push_back("...");
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "schema \"", schema, "\" in ", server, " holds other tables (",
        absl::StrJoin(names, ", "),
        ") and none of viewer's; it is not viewer's database, so viewer "
        "does not add its tables to it"));
  }
  return missing;
}

TableLayout LayoutOf(const TableSchema& table, const ExistingTable& t) {
  TableLayout out;
  for (const Column& col : table.columns()) {
    const ExistingColumn& e = t.columns.at(col.name);
    ColumnLayout c;
    c.type = e.type;
    // A VARCHAR(n)'s typmod is n plus the 4-byte header.
    if (e.type == kVarcharOid && e.typmod >= 4) {
      c.max_chars = static_cast<int>(e.typmod - 4);
    }
    out.columns.push_back(c);
  }
  for (const auto& [index, column] : t.unique_indexes) {
    std::optional<size_t> c = table.Find(column);
    if (c) out.unique_index_column[index] = *c;
  }
  out.sequence = t.sequence;
  return out;
}

absl::Status Create(Connection& conn, const TableSchema& table) {
  VIEWER_RETURN_IF_ERROR(conn.Command(CreateTableSql(table)));
  for (const std::string& sql : CreateIndexSql(table)) {
    VIEWER_RETURN_IF_ERROR(conn.Command(sql));
  }
  return absl::OkStatus();
}

absl::StatusOr<Layout> SetUpInTransaction(Connection& conn,
                                          const Catalog& catalog,
                                          absl::string_view server,
                                          absl::Duration busy_timeout,
                                          bool create_missing) {
  Sql schema_sql;
  schema_sql.text =
      "SELECT n.oid::int8, n.nspname::text FROM pg_catalog.pg_namespace n"
      " WHERE n.nspname = pg_catalog.current_schema()";
  VIEWER_ASSIGN_OR_RETURN(Result schema, conn.Run(schema_sql));
  if (schema.rows() != 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        server,
        " has no schema to keep viewer's tables in: its search_path "
        "names no schema that exists"));
  }
  Layout layout;
  VIEWER_ASSIGN_OR_RETURN(int64_t schema_oid, ReadInteger(schema.get(), 0, 0));
  layout.schema = TextAt(schema, 0, 1);
  // "view" in the high half; the schema in the low half, so each schema
  // (each set of viewer's tables) has writers of its own.
  layout.lock_key = (int64_t{0x76696577} << 32) | schema_oid;

  VIEWER_ASSIGN_OR_RETURN(Existing existing, Introspect(conn, schema_oid));
  VIEWER_ASSIGN_OR_RETURN(std::vector<const TableSchema*> missing,
                          Check(catalog, existing, layout.schema, server));
  if (!missing.empty() && !create_missing) {
    return absl::FailedPreconditionError(absl::StrCat(
        "schema \"", layout.schema, "\" in ", server, " has no table ",
        missing.front()->name(),
        ": it holds no viewer database (opened to read only, so nothing "
        "was created)"));
  }
  if (!missing.empty()) {
    // Another process may be creating them right now: wait for it, then
    // look again before creating what is still missing.
    VIEWER_RETURN_IF_ERROR(TakeWriterLock(conn, layout.lock_key, busy_timeout));
    VIEWER_ASSIGN_OR_RETURN(existing, Introspect(conn, schema_oid));
    VIEWER_ASSIGN_OR_RETURN(missing,
                            Check(catalog, existing, layout.schema, server));
    for (const TableSchema* table : missing) {
      VIEWER_RETURN_IF_ERROR(Create(conn, *table));
    }
    VIEWER_ASSIGN_OR_RETURN(existing, Introspect(conn, schema_oid));
  }
  for (const TableSchema& table : catalog.tables()) {
    layout.tables.push_back(LayoutOf(table, existing.at(table.name())));
  }
  return layout;
}

}  // namespace

absl::Status TakeWriterLock(Connection& conn, int64_t key,
                            absl::Duration timeout, bool begin) {
  // lock_timeout 0 would mean "wait for ever".
  const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(timeout));
  Sql set;
  set.text = "SELECT pg_catalog.set_config('lock_timeout', $1, true)";
  set.Param(Value::Text(absl::StrCat(ms, "ms")), kTextOid);
  const Sql lock = OneParam("SELECT pg_catalog.pg_advisory_xact_lock($1)", key);
  std::vector<std::string> before;
  if (begin) before.push_back("BEGIN ISOLATION LEVEL READ COMMITTED");
  return conn.Pipeline(before, {&set, &lock}, {}).status();
}

absl::StatusOr<Layout> SetUpSchema(Connection& conn, const Catalog& catalog,
                                   absl::string_view server,
                                   absl::Duration busy_timeout,
                                   bool create_missing) {
  VIEWER_RETURN_IF_ERROR(conn.Command("BEGIN ISOLATION LEVEL READ COMMITTED"));
  absl::StatusOr<Layout> layout =
      SetUpInTransaction(conn, catalog, server, busy_timeout, create_missing);
  if (!layout.ok()) {
    (void)conn.Command("ROLLBACK");
    return layout.status();
  }
  VIEWER_RETURN_IF_ERROR(conn.Command("COMMIT"));
  return layout;
}

}  // namespace viewer::postgres_internal
