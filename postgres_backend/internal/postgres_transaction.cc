#include "postgres_backend/internal/postgres_transaction.h"

#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/status_macros.h"
#include "postgres_backend/internal/value_codec.h"

namespace viewer::postgres_internal {
namespace {

// The savepoint every writing statement runs under. User savepoints get
// names of their own, one per depth ("sp0", "sp1", ...): the caller's
// names never reach SQL.
constexpr char kStatementSavepoint[] = "viewer_statement";

std::vector<BoundFilter> IdIs(int64_t id) {
  return {BoundFilter{0, Op::kEq, Value::Integer(id), {}}};
}

std::string SavepointName(size_t depth) {
  return Quote(absl::StrCat("sp", depth));
}

size_t CodePoints(absl::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

PostgresTransaction::PostgresTransaction(TransactionMode mode,
                                         const Catalog* catalog, Clock* clock,
                                         const Layout* layout,
                                         ConnectionPool* pool,
                                         std::unique_ptr<Connection> conn,
                                         WriteSlot* slot)
    : Transaction(mode, catalog, clock),
      layout_(layout),
      pool_(pool),
      conn_(std::move(conn)),
      slot_(slot) {}

PostgresTransaction::~PostgresTransaction() {
  RollbackIfOpen();
  Finish();
}

void PostgresTransaction::Finish() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
  if (slot_ != nullptr) {
    slot_->Release();
    slot_ = nullptr;
  }
}

absl::Status PostgresTransaction::CheckAlive() const {
  if (!lost_.ok()) return lost_;
  if (conn_ == nullptr) {
    return absl::FailedPreconditionError("transaction is finished");
  }
  return absl::OkStatus();
}

absl::Status PostgresTransaction::Noted(absl::Status status) {
  if (!status.ok() && lost_.ok() &&
      (conn_->Broken() || conn_->TransactionStatus() != PQTRANS_INTRANS)) {
    lost_ = conn_->Broken()
                ? status
                : absl::AbortedError(absl::StrCat(
                      "transaction was rolled back by PostgreSQL after an "
                      "error: ",
                      status.message()));
  }
  return status;
}

absl::Status PostgresTransaction::Command(const std::string& sql) {
  VIEWER_RETURN_IF_ERROR(CheckAlive());
  return Noted(conn_->Command(sql));
}

absl::StatusOr<Result> PostgresTransaction::Read(const Sql& sql, size_t table) {
  VIEWER_RETURN_IF_ERROR(CheckAlive());
  absl::StatusOr<Result> r =
      conn_->Run(sql, &schema(table), &table_layout(table));
  if (!r.ok()) return Noted(r.status());
  return r;
}

absl::StatusOr<Result> PostgresTransaction::Write(const Sql& sql,
                                                  size_t table) {
  VIEWER_RETURN_IF_ERROR(CheckAlive());
  const std::string sp = kStatementSavepoint;
  absl::StatusOr<Result> r =
      conn_->Pipeline({absl::StrCat("SAVEPOINT ", sp)}, {&sql},
                      {absl::StrCat("RELEASE SAVEPOINT ", sp)}, &schema(table),
                      &table_layout(table));
  if (r.ok()) return r;
  // Undo the statement; the transaction goes on as it was before it.
  if (!conn_->Broken() && conn_->TransactionStatus() == PQTRANS_INERROR) {
    (void)conn_->Command(
        absl::StrCat("ROLLBACK TO SAVEPOINT ", sp, "; RELEASE SAVEPOINT ", sp));
  }
  return Noted(r.status());
}

absl::Status PostgresTransaction::CheckFits(size_t table, size_t column,
                                            const Value& v) const {
  const ColumnLayout& c = table_layout(table).columns[column];
  const TableSchema& s = schema(table);
  if (c.max_chars > 0 && v.kind() == ValueKind::kText &&
      CodePoints(v.text()) > static_cast<size_t>(c.max_chars)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "value too long for ", s.name(), ".", s.column(column).name,
        ": the database's column holds at most ", c.max_chars, " characters"));
  }
  if (v.kind() == ValueKind::kInteger &&
      (c.type == kInt4Oid || c.type == kInt2Oid)) {
    const int bits = c.type == kInt4Oid ? 32 : 16;
    const int64_t max = (int64_t{1} << (bits - 1)) - 1;
    if (v.integer() > max || v.integer() < -max - 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "integer out of range for ", s.name(), ".", s.column(column).name,
          ": the database's column holds ", bits, "-bit integers"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Row>> PostgresTransaction::ReadRows(const Sql& sql,
                                                               size_t table) {
  VIEWER_ASSIGN_OR_RETURN(Result r, Read(sql, table));
  const TableSchema& s = schema(table);
  std::vector<Row> rows(r.rows());
  for (int i = 0; i < r.rows(); ++i) {
    std::vector<Value>& values = rows[i].values;
    values.reserve(s.size());
    VIEWER_ASSIGN_OR_RETURN(Value id,
                            ReadValue(r.get(), i, 0, s, 0, std::nullopt));
    if (id.is_null()) {
      return absl::DataLossError(
          absl::StrCat("cannot read ", s.name(), ".id: stored NULL"));
    }
    values.push_back(std::move(id));
    for (size_t c = 1; c < s.size(); ++c) {
      VIEWER_ASSIGN_OR_RETURN(Value v,
                              ReadValue(r.get(), i, static_cast<int>(c), s, c,
                                        values[0].integer()));
      values.push_back(std::move(v));
    }
  }
  return rows;
}

absl::StatusOr<int64_t> PostgresTransaction::DoInsert(size_t table,
                                                      std::vector<Value> row) {
  for (size_t c = 0; c < row.size(); ++c) {
    VIEWER_RETURN_IF_ERROR(CheckFits(table, c, row[c]));
  }
  VIEWER_ASSIGN_OR_RETURN(
      Result r, Write(InsertSql(schema(table), std::move(row)), table));
  inserted_.insert(table);
  return ReadInteger(r.get(), 0, 0);
}

absl::Status PostgresTransaction::DoUpdate(size_t table, int64_t id,
                                           const BoundAssignments& set) {
  VIEWER_ASSIGN_OR_RETURN(int64_t changed, DoUpdateWhere(table, IdIs(id), set));
  if (changed == 0) return RowNotFound(schema(table), id);
  return absl::OkStatus();
}

absl::Status PostgresTransaction::DoDelete(size_t table, int64_t id) {
  VIEWER_ASSIGN_OR_RETURN(int64_t changed, DoDeleteWhere(table, IdIs(id)));
  if (changed == 0) return RowNotFound(schema(table), id);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> PostgresTransaction::DoUpdateWhere(
    size_t table, const std::vector<BoundFilter>& where,
    const BoundAssignments& set) {
  SetList list;
  list.reserve(set.size());
  for (const Assignment& a : set) {
    VIEWER_RETURN_IF_ERROR(CheckFits(table, a.column, a.value));
    list.emplace_back(a.column, a.value);
  }
  VIEWER_ASSIGN_OR_RETURN(Result r,
                          Write(UpdateSql(schema(table), list, where), table));
  return r.affected();
}

absl::StatusOr<int64_t> PostgresTransaction::DoDeleteWhere(
    size_t table, const std::vector<BoundFilter>& where) {
  VIEWER_ASSIGN_OR_RETURN(Result r,
                          Write(DeleteSql(schema(table), where), table));
  return r.affected();
}

absl::StatusOr<Row> PostgresTransaction::DoGet(size_t table, int64_t id) {
  BoundQuery q;
  q.where = IdIs(id);
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          ReadRows(SelectSql(schema(table), q), table));
  if (rows.empty()) return RowNotFound(schema(table), id);
  return std::move(rows.front());
}

absl::StatusOr<std::vector<Row>> PostgresTransaction::DoSelect(
    size_t table, const BoundQuery& q) {
  return ReadRows(SelectSql(schema(table), q), table);
}

absl::StatusOr<int64_t> PostgresTransaction::DoCount(
    size_t table, const std::vector<BoundFilter>& where) {
  VIEWER_ASSIGN_OR_RETURN(
      Result r, Read(AggregateSql(schema(table), "COUNT(*)", where), table));
  return ReadInteger(r.get(), 0, 0);
}

absl::StatusOr<int64_t> PostgresTransaction::DoCountDistinct(
    size_t table, size_t column, const std::vector<BoundFilter>& where) {
  const TableSchema& s = schema(table);
  // COUNT(DISTINCT x) skips NULLs, as the contract wants; equality of text
  // is byte equality under any deterministic collation.
  std::string expr =
      absl::StrCat("COUNT(DISTINCT ", Quote(s.column(column).name), ")");
  VIEWER_ASSIGN_OR_RETURN(Result r, Read(AggregateSql(s, expr, where), table));
  return ReadInteger(r.get(), 0, 0);
}

absl::StatusOr<Value> PostgresTransaction::DoSum(
    size_t table, size_t column, const std::vector<BoundFilter>& where) {
  const TableSchema& s = schema(table);
  // SUM of bigint is an exact numeric in PostgreSQL, which never
  // overflows; read as text, a sum that does not parse as an int64 is the
  // contract's overflow.
  std::string expr =
      absl::StrCat("SUM(", Quote(s.column(column).name), ")::text");
  VIEWER_ASSIGN_OR_RETURN(Result r, Read(AggregateSql(s, expr, where), table));
  std::optional<std::string> text = ReadText(r.get(), 0, 0);
  if (!text) return Value::Null();
  int64_t sum = 0;
  if (!absl::SimpleAtoi(*text, &sum)) return IntegerOverflow();
  return Value::Integer(sum);
}

absl::StatusOr<std::vector<GroupCount>> PostgresTransaction::DoCountBy(
    size_t table, size_t column, const std::vector<BoundFilter>& where) {
  const TableSchema& s = schema(table);
  VIEWER_ASSIGN_OR_RETURN(Result r, Read(CountBySql(s, column, where), table));
  std::vector<GroupCount> groups;
  for (int i = 0; i < r.rows(); ++i) {
    VIEWER_ASSIGN_OR_RETURN(Value key,
                            ReadValue(r.get(), i, 0, s, column, std::nullopt));
    VIEWER_ASSIGN_OR_RETURN(int64_t n, ReadInteger(r.get(), i, 1));
    groups.push_back(GroupCount{std::move(key), n});
  }
  return groups;
}

absl::Status PostgresTransaction::DoSavepoint(size_t depth) {
  return Command(absl::StrCat("SAVEPOINT ", SavepointName(depth)));
}

absl::Status PostgresTransaction::DoRollbackTo(size_t depth) {
  return Command(absl::StrCat("ROLLBACK TO SAVEPOINT ", SavepointName(depth)));
}

absl::Status PostgresTransaction::DoRelease(size_t depth) {
  return Command(absl::StrCat("RELEASE SAVEPOINT ", SavepointName(depth)));
}

std::optional<Sql> PostgresTransaction::AdvanceSequencesSql() const {
  std::vector<std::string> moves;
  Sql sql;
  for (size_t t : inserted_) {
    const std::string& seq = table_layout(t).sequence;
    if (seq.empty()) continue;
    const std::string p = sql.Param(Value::Text(seq), kTextOid);
    // GREATEST ignores NULL: a sequence never called yet, or a table now
    // empty, moves nothing it need not move.
    moves.push_back(absl::StrCat(
        "pg_catalog.setval(", p, "::regclass, GREATEST((SELECT MAX(",
        Quote("id"), ") FROM ", Quote(schema(t).name()),
        "), pg_catalog.pg_sequence_last_value(", p, "::regclass)))"));
  }
  if (moves.empty()) return std::nullopt;
  sql.text = absl::StrCat("SELECT ", absl::StrJoin(moves, ", "));
  return sql;
}

absl::Status PostgresTransaction::DoCommit() {
  absl::Status status = CheckAlive();
  if (status.ok()) {
    std::optional<Sql> advance = AdvanceSequencesSql();
    status = advance ? conn_->Pipeline({}, {&*advance}, {"COMMIT"}).status()
                     : conn_->Command("COMMIT");
    if (!status.ok() && conn_->Broken()) {
      status = absl::UnavailableError(absl::StrCat(
          status.message(),
          " (during COMMIT: the transaction may or may not have been "
          "committed)"));
    }
  }
  // The transaction is over for the caller either way; the pool rolls back
  // a connection still inside one.
  Finish();
  return status;
}

void PostgresTransaction::DoRollback() {
  if (conn_ != nullptr && !conn_->Broken() &&
      conn_->TransactionStatus() != PQTRANS_IDLE) {
    (void)conn_->Command("ROLLBACK");
  }
  Finish();
}

}  // namespace viewer::postgres_internal
