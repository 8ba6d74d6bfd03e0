// The SQLite half of a Transaction: the Do* hooks of engine/store.h as SQL
// statements on one connection that the transaction owns while it is open.
// Created only by SqliteStore::Begin, after BEGIN (readers, with their
// snapshot already started) or BEGIN IMMEDIATE (writers) succeeded.
//
// Every hook is one SQL statement, so SQLite's statement-level ABORT makes
// each atomic: a failed statement leaves the transaction as it was. A few
// errors (disk full, I/O, out of memory) make SQLite roll back the whole
// transaction instead; the transaction then reports kAborted for every
// later call, rather than letting later statements run in autocommit mode.
//
// Thread safety: as any Transaction, used by one thread at a time.
#ifndef VIEWER_SQLITE_BACKEND_INTERNAL_SQLITE_TRANSACTION_H_
#define VIEWER_SQLITE_BACKEND_INTERNAL_SQLITE_TRANSACTION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "engine/store.h"
#include "sqlite_backend/internal/connection.h"
#include "sqlite_backend/internal/pool.h"
#include "sqlite_backend/internal/sql_builder.h"

namespace viewer::sqlite_internal {

class SqliteTransaction final : public Transaction {
 public:
  // Takes `conn`, inside an open SQLite transaction; `slot` is the write
  // slot this transaction holds (null for a reader). Both go back when the
  // transaction ends. `pool`, `slot`, `catalog` and `clock` must outlive it.
  SqliteTransaction(TransactionMode mode, const Catalog* catalog, Clock* clock,
                    ConnectionPool* pool, std::unique_ptr<Connection> conn,
                    WriteSlot* slot);
  ~SqliteTransaction() override;

 protected:
  absl::StatusOr<int64_t> DoInsert(size_t table,
                                   std::vector<Value> row) override;
  absl::Status DoUpdate(size_t table, int64_t id,
                        const BoundAssignments& set) override;
  absl::Status DoDelete(size_t table, int64_t id) override;
  absl::StatusOr<int64_t> DoUpdateWhere(size_t table,
                                        const std::vector<BoundFilter>& where,
                                        const BoundAssignments& set) override;
  absl::StatusOr<int64_t> DoDeleteWhere(
      size_t table, const std::vector<BoundFilter>& where) override;
  absl::StatusOr<Row> DoGet(size_t table, int64_t id) override;
  absl::StatusOr<std::vector<Row>> DoSelect(size_t table,
                                            const BoundQuery& q) override;
  absl::StatusOr<int64_t> DoCount(
      size_t table, const std::vector<BoundFilter>& where) override;
  absl::StatusOr<int64_t> DoCountDistinct(
      size_t table, size_t column,
      const std::vector<BoundFilter>& where) override;
  absl::StatusOr<Value> DoSum(size_t table, size_t column,
                              const std::vector<BoundFilter>& where) override;
  absl::StatusOr<std::vector<GroupCount>> DoCountBy(
      size_t table, size_t column,
      const std::vector<BoundFilter>& where) override;
  absl::Status DoSavepoint(size_t depth) override;
  absl::Status DoRollbackTo(size_t depth) override;
  absl::Status DoRelease(size_t depth) override;
  absl::Status DoCommit() override;
  void DoRollback() override;

 private:
  // kAborted once SQLite has rolled the transaction back on its own.
  absl::Status CheckAlive() const;
  // Runs `sql` (no rows) about `table` (may be null); notes a rollback by
  // SQLite. Returns the statement's status.
  absl::Status Exec(Sql sql, const TableSchema* table);
  // Runs a data-changing statement and returns sqlite3_changes().
  absl::StatusOr<int64_t> ExecChanges(Sql sql, size_t table);
  // Runs a query about `table` and calls `on_row` with the statement at
  // each result row, in order; stops at the first error (a step's, noted,
  // or on_row's).
  absl::Status ForEachRow(
      Sql sql, const TableSchema& table,
      absl::FunctionRef<absl::Status(sqlite3_stmt*)> on_row);
  // Reads every row of a SELECT ColumnList(table) statement.
  absl::StatusOr<std::vector<Row>> ReadRows(Sql sql, size_t table);
  // Runs a one-row aggregate and reads its first column as `column` of
  // `table` would be read.
  absl::StatusOr<Value> ReadAggregate(Sql sql, size_t table, size_t column);
  // After a failed statement: if SQLite ended the transaction, remember it.
  absl::Status Noted(absl::Status status);
  // Returns the connection to the pool and the write slot.
  void Finish();

  ConnectionPool* const pool_;
  std::unique_ptr<Connection> conn_;  // null once finished
  WriteSlot* slot_;                   // null for readers and once finished
  std::string lost_;  // non-empty: why SQLite rolled the transaction back
};

}  // namespace viewer::sqlite_internal

#endif  // VIEWER_SQLITE_BACKEND_INTERNAL_SQLITE_TRANSACTION_H_
