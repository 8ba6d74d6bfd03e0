#include "sqlite_backend/internal/sqlite_transaction.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"
#include "sqlite_backend/internal/value_codec.h"

namespace viewer::sqlite_internal {
namespace {

std::vector<BoundFilter> IdIs(int64_t id) {
  return {BoundFilter{0, Op::kEq, Value::Integer(id), {}}};
}

// Savepoint names are ours, one per depth: SQLite compares savepoint names
// case-insensitively and the caller's names could be anything, so they
// never reach SQL.
Sql SavepointSql(absl::string_view verb, size_t depth) {
  return Sql{absl::StrCat(verb, " sp", depth), {}};
}

}  // namespace

SqliteTransaction::SqliteTransaction(TransactionMode mode,
                                     const Catalog* catalog, Clock* clock,
                                     ConnectionPool* pool,
                                     std::unique_ptr<Connection> conn,
                                     WriteSlot* slot)
    : Transaction(mode, catalog, clock),
      pool_(pool),
      conn_(std::move(conn)),
      slot_(slot) {}

SqliteTransaction::~SqliteTransaction() {
  RollbackIfOpen();
  Finish();
}

void SqliteTransaction::Finish() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
  if (slot_ != nullptr) {
    slot_->Release();
    slot_ = nullptr;
  }
}

absl::Status SqliteTransaction::CheckAlive() const {
  if (!lost_.empty()) {
    return absl::AbortedError(absl::StrCat(
        "transaction was rolled back by SQLite after an error: ", lost_));
  }
  if (conn_ == nullptr) {
    return absl::FailedPreconditionError("transaction is finished");
  }
  return absl::OkStatus();
}

absl::Status SqliteTransaction::Noted(absl::Status status) {
  if (!status.ok() && lost_.empty() && !conn_->InTransaction()) {
    lost_ = std::string(status.message());
  }
  return status;
}

absl::Status SqliteTransaction::Exec(Sql sql, const TableSchema* table) {
  VIEWER_RETURN_IF_ERROR(CheckAlive());
  return Noted(conn_->Exec(sql.text, std::move(sql.params), table));
}

absl::StatusOr<int64_t> SqliteTransaction::ExecChanges(Sql sql, size_t table) {
  VIEWER_RETURN_IF_ERROR(Exec(std::move(sql), &schema(table)));
  return conn_->Changes();
}

absl::Status SqliteTransaction::ForEachRow(
    Sql sql, const TableSchema& table,
    absl::FunctionRef<absl::Status(sqlite3_stmt*)> on_row) {
  VIEWER_RETURN_IF_ERROR(CheckAlive());
  absl::StatusOr<Statement> stmt = conn_->Prepare(sql.text, &table);
  if (!stmt.ok()) return Noted(stmt.status());
  VIEWER_RETURN_IF_ERROR(stmt->Bind(std::move(sql.params)));
  while (true) {
    absl::StatusOr<bool> has_row = stmt->Step();
    if (!has_row.ok()) return Noted(has_row.status());
    if (!*has_row) return absl::OkStatus();
    VIEWER_RETURN_IF_ERROR(on_row(stmt->get()));
  }
}

absl::StatusOr<std::vector<Row>> SqliteTransaction::ReadRows(Sql sql,
                                                             size_t table) {
  const TableSchema& s = schema(table);
  std::vector<Row> rows;
  VIEWER_RETURN_IF_ERROR(
      ForEachRow(std::move(sql), s, [&](sqlite3_stmt* stmt) -> absl::Status {
        Row row;
        row.values.reserve(s.size());
        VIEWER_ASSIGN_OR_RETURN(Value id,
                                ReadValue(stmt, 0, s, 0, std::nullopt));
        if (id.is_null()) {
          return absl::DataLossError(
              absl::StrCat("cannot read ", s.name(), ".id: stored NULL"));
        }
        row.values.push_back(std::move(id));
        for (size_t c = 1; c < s.size(); ++c) {
          VIEWER_ASSIGN_OR_RETURN(Value v,
                                  ReadValue(stmt, static_cast<int>(c), s, c,
                                            row.values[0].integer()));
          row.values.push_back(std::move(v));
        }
        rows.push_back(std::move(row));
        return absl::OkStatus();
      }));
  return rows;
}

absl::StatusOr<Value> SqliteTransaction::ReadAggregate(Sql sql, size_t table,
                                                       size_t column) {
  const TableSchema& s = schema(table);
  std::optional<Value> value;
  VIEWER_RETURN_IF_ERROR(
      ForEachRow(std::move(sql), s, [&](sqlite3_stmt* stmt) -> absl::Status {
        if (value) return absl::OkStatus();  // one row; read the first
        VIEWER_ASSIGN_OR_RETURN(value,
                                ReadValue(stmt, 0, s, column, std::nullopt));
        return absl::OkStatus();
      }));
  if (!value) return absl::InternalError("aggregate returned no row");
  return *std::move(value);
}

absl::StatusOr<int64_t> SqliteTransaction::DoInsert(size_t table,
                                                    std::vector<Value> row) {
  VIEWER_RETURN_IF_ERROR(
      Exec(InsertSql(schema(table), std::move(row)), &schema(table)));
  return conn_->LastInsertRowid();
}

absl::Status SqliteTransaction::DoUpdate(size_t table, int64_t id,
                                         const BoundAssignments& set) {
  VIEWER_ASSIGN_OR_RETURN(int64_t changed, DoUpdateWhere(table, IdIs(id), set));
  if (changed == 0) return RowNotFound(schema(table), id);
  return absl::OkStatus();
}

absl::Status SqliteTransaction::DoDelete(size_t table, int64_t id) {
  VIEWER_ASSIGN_OR_RETURN(int64_t changed, DoDeleteWhere(table, IdIs(id)));
  if (changed == 0) return RowNotFound(schema(table), id);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteTransaction::DoUpdateWhere(
    size_t table, const std::vector<BoundFilter>& where,
    const BoundAssignments& set) {
  SetList list;
  list.reserve(set.size());
  for (const Assignment& a : set) list.emplace_back(a.column, a.value);
  return ExecChanges(UpdateSql(schema(table), list, where), table);
}

absl::StatusOr<int64_t> SqliteTransaction::DoDeleteWhere(
    size_t table, const std::vector<BoundFilter>& where) {
  return ExecChanges(DeleteSql(schema(table), where), table);
}

absl::StatusOr<Row> SqliteTransaction::DoGet(size_t table, int64_t id) {
  BoundQuery q;
  q.where = IdIs(id);
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          ReadRows(SelectSql(schema(table), q), table));
  if (rows.empty()) return RowNotFound(schema(table), id);
  return std::move(rows.front());
}

absl::StatusOr<std::vector<Row>> SqliteTransaction::DoSelect(
    size_t table, const BoundQuery& q) {
  return ReadRows(SelectSql(schema(table), q), table);
}

absl::StatusOr<int64_t> SqliteTransaction::DoCount(
    size_t table, const std::vector<BoundFilter>& where) {
  // Column 0 (id) is INTEGER, so it reads the count as an integer.
  VIEWER_ASSIGN_OR_RETURN(
      Value n,
      ReadAggregate(AggregateSql(schema(table), "COUNT(*)", where), table, 0));
  return n.integer();
}

absl::StatusOr<int64_t> SqliteTransaction::DoCountDistinct(
    size_t table, size_t column, const std::vector<BoundFilter>& where) {
  const TableSchema& s = schema(table);
  // COUNT(DISTINCT x) skips NULLs, as the contract wants.
  std::string expr =
      absl::StrCat("COUNT(DISTINCT ", Quote(s.column(column).name), ")");
  VIEWER_ASSIGN_OR_RETURN(
      Value n, ReadAggregate(AggregateSql(s, expr, where), table, 0));
  return n.integer();
}

absl::StatusOr<Value> SqliteTransaction::DoSum(
    size_t table, size_t column, const std::vector<BoundFilter>& where) {
  const TableSchema& s = schema(table);
  // SUM (not TOTAL): NULL over no values, and "integer overflow" past int64
  // (mapped to kOutOfRange by SqliteError).
  std::string expr = absl::StrCat("SUM(", Quote(s.column(column).name), ")");
  return ReadAggregate(AggregateSql(s, expr, where), table, column);
}

absl::StatusOr<std::vector<GroupCount>> SqliteTransaction::DoCountBy(
    size_t table, size_t column, const std::vector<BoundFilter>& where) {
  const TableSchema& s = schema(table);
  const std::string col = Quote(s.column(column).name);
  // SQLite sorts NULL first, so the NULL group leads, as the contract says.
  Sql sql = AggregateSql(s, absl::StrCat(col, ", COUNT(*)"), where,
                         absl::StrCat(" GROUP BY ", col, " ORDER BY ", col));
  std::vector<GroupCount> groups;
  VIEWER_RETURN_IF_ERROR(
      ForEachRow(std::move(sql), s, [&](sqlite3_stmt* stmt) -> absl::Status {
        VIEWER_ASSIGN_OR_RETURN(Value key,
                                ReadValue(stmt, 0, s, column, std::nullopt));
        VIEWER_ASSIGN_OR_RETURN(Value n,
                                ReadValue(stmt, 1, s, 0, std::nullopt));
        groups.push_back(GroupCount{std::move(key), n.integer()});
        return absl::OkStatus();
      }));
  return groups;
}

absl::Status SqliteTransaction::DoSavepoint(size_t depth) {
  return Exec(SavepointSql("SAVEPOINT", depth), nullptr);
}

absl::Status SqliteTransaction::DoRollbackTo(size_t depth) {
  return Exec(SavepointSql("ROLLBACK TO", depth), nullptr);
}

absl::Status SqliteTransaction::DoRelease(size_t depth) {
  return Exec(SavepointSql("RELEASE", depth), nullptr);
}

absl::Status SqliteTransaction::DoCommit() {
  absl::Status status = CheckAlive();
  if (status.ok()) {
    status = conn_->Exec("COMMIT");
    // The transaction is over for the caller either way; a COMMIT that
    // failed must not leave it open on a pooled connection.
    if (!status.ok() && conn_->InTransaction()) (void)conn_->Exec("ROLLBACK");
  }
  Finish();
  return status;
}

void SqliteTransaction::DoRollback() {
  if (conn_ != nullptr && conn_->InTransaction()) {
    (void)conn_->Exec("ROLLBACK");
  }
  Finish();
}

}  // namespace viewer::sqlite_internal
