// The PostgreSQL half of a Transaction: the Do* hooks of engine/store.h as
// SQL statements on one connection that the transaction owns while it is
// open. Created only by PostgresStore::Begin, after BEGIN (and, for a
// writer, the writers' lock; for a reader, its first read).
//
// PostgreSQL aborts a whole transaction when one statement fails, where the
// contract wants the transaction as it was before that statement. So every
// statement that writes runs under an internal savepoint, rolled back when
// the statement fails; savepoint, statement and release go in one round
// trip (Connection::Pipeline). A read that fails (which only a lost connection
// or the server running out of something can make happen) leaves the
// transaction unusable: every later call reports that first error.
//
// After a writer's inserts, Commit moves each table's id sequence up to
// its max(id) (never down) before COMMIT, so other programs' plain INSERTs
// still get fresh ids.
//
// Thread safety: as any Transaction, used by one thread at a time.
#ifndef VIEWER_POSTGRES_BACKEND_INTERNAL_POSTGRES_TRANSACTION_H_
#define VIEWER_POSTGRES_BACKEND_INTERNAL_POSTGRES_TRANSACTION_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "engine/store.h"
#include "postgres_backend/internal/connection.h"
#include "postgres_backend/internal/layout.h"
#include "postgres_backend/internal/pool.h"
#include "postgres_backend/internal/sql_builder.h"

namespace viewer::postgres_internal {

class PostgresTransaction final : public Transaction {
 public:
  // Takes `conn`, inside an open transaction; `slot` is the write slot
  // this transaction holds (null for a reader). Both go back when the
  // transaction ends. `pool`, `slot`, `layout`, `catalog` and `clock` must
  // outlive it.
  PostgresTransaction(TransactionMode mode, const Catalog* catalog,
                      Clock* clock, const Layout* layout, ConnectionPool* pool,
                      std::unique_ptr<Connection> conn, WriteSlot* slot);
  ~PostgresTransaction() override;

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
  const TableLayout& table_layout(size_t table) const {
    return layout_->tables[table];
  }
  // The first error that left the transaction unusable, if any.
  absl::Status CheckAlive() const;
  // Runs a statement that reads; notes an error that ends the transaction.
  absl::StatusOr<Result> Read(const Sql& sql, size_t table);
  // Runs a statement that writes, under the statement savepoint.
  absl::StatusOr<Result> Write(const Sql& sql, size_t table);
  // Runs a parameterless command (savepoints, COMMIT); notes its failure.
  absl::Status Command(const std::string& sql);
  // After a failed statement: if the transaction can no longer go on
  // (connection lost, transaction aborted), remember why.
  absl::Status Noted(absl::Status status);
  // kInvalidArgument unless every value of `row` (schema order, or the
  // assigned columns) fits its column in the database.
  absl::Status CheckFits(size_t table, size_t column, const Value& v) const;
  // Reads every row of a SELECT ColumnList(table) statement.
  absl::StatusOr<std::vector<Row>> ReadRows(const Sql& sql, size_t table);
  // The statement that moves the id sequence of every table this
  // transaction inserted into, if any.
  std::optional<Sql> AdvanceSequencesSql() const;
  // Returns the connection to the pool and the write slot.
  void Finish();

  const Layout* const layout_;
  ConnectionPool* const pool_;
  std::unique_ptr<Connection> conn_;  // null once finished
  WriteSlot* slot_;                   // null for readers and once finished
  absl::Status lost_;                 // not ok: the transaction is unusable
  absl::btree_set<size_t> inserted_;  // tables this transaction inserted into
};

}  // namespace viewer::postgres_internal

#endif  // VIEWER_POSTGRES_BACKEND_INTERNAL_POSTGRES_TRANSACTION_H_
