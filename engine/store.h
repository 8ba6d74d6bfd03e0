// The storage contract: a Store hands out Transactions; everything the
// application stores goes through these two classes. Both backends (the
// in-memory MVCC engine, engine/memory_store.h, and SQLite,
// sqlite_backend/sqlite_store.h) implement it with identical results and
// identical errors (docs/design.md, "The storage contract").
//
//   absl::StatusOr<std::unique_ptr<Transaction>> txn =
//       store->Begin(TransactionMode::kReadWrite);
//   if (!txn.ok()) return txn.status();
//   VIEWER_ASSIGN_OR_RETURN(int64_t id,
//       (*txn)->Insert("server", {{"name", Value::Text("hello")},
//                                 {"definition", Value::Text("Hi")}}));
//   VIEWER_RETURN_IF_ERROR((*txn)->Commit());
//
// Error codes (the same code and message on both backends):
//   kAlreadyExists       "UNIQUE constraint failed: server.name"
//   kInvalidArgument     "NOT NULL constraint failed: server.definition",
//                        "TEXT must be UTF-8 without NUL bytes:
//                        server.name" (a TEXT value inserted or assigned;
//                        a filter's operand may hold any bytes),
//                        "value too long for an indexed column (2048
//                        bytes at most): server.name" (a TEXT or BLOB
//                        value stored in an indexed or unique column),
//                        unknown table/column, a value of the wrong type,
//                        a negative limit, ...
//   kNotFound            "no row with id 7 in server"
//   kUnavailable         "database is locked" (a writer waited past its
//                        busy timeout for the one write slot)
//   kFailedPrecondition  "no such savepoint: NAME", "transaction is
//                        finished", "transaction is read-only"
//   kResourceExhausted   the memory engine's byte limit
//   kOutOfRange          "integer overflow" from Sum
// A failed call leaves the transaction exactly as it was before the call.
//
// Thread safety: a Store may be used from many threads at once. A
// Transaction belongs to one thread at a time. Transactions must be
// destroyed before their Store.
#ifndef VIEWER_ENGINE_STORE_H_
#define VIEWER_ENGINE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/clock.h"
#include "engine/query.h"
#include "engine/schema.h"
#include "engine/value.h"

namespace viewer {

enum class TransactionMode { kReadOnly, kReadWrite };

struct TableStats {
  std::string table;
  int64_t rows = 0;   // rows visible to a transaction beginning now
  int64_t bytes = 0;  // bytes the backend holds for the table
};

struct StoreStats {
  std::vector<TableStats> tables;  // in catalog order
  int64_t bytes_used = 0;          // all tables, all versions
  int64_t byte_limit = 0;          // 0: no limit
};

class Transaction {
 public:
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Destroying an open transaction rolls it back.
  virtual ~Transaction() = default;

  TransactionMode mode() const { return mode_; }
  bool is_open() const { return open_; }

  // Inserts a row. Columns not given take their default (or NULL); a column
  // given as NULL stays NULL. "id" may be given (1 .. 2^62); otherwise the
  // row gets max(id)+1 over the rows this transaction sees. Returns the id.
  absl::StatusOr<int64_t> Insert(absl::string_view table,
                                 const Assignments& values);
  // Sets the given columns of row `id`, and every "now on update" column not
  // given to the clock's now. kNotFound if there is no such row.
  absl::Status Update(absl::string_view table, int64_t id,
                      const Assignments& values);
  // Deletes row `id`; kNotFound if there is no such row.
  absl::Status Delete(absl::string_view table, int64_t id);
  // As Update, for every row matching `where`; returns how many rows.
  absl::StatusOr<int64_t> UpdateWhere(absl::string_view table,
                                      const std::vector<Filter>& where,
                                      const Assignments& values);
  // Deletes every row matching `where`; returns how many rows.
  absl::StatusOr<int64_t> DeleteWhere(absl::string_view table,
                                      const std::vector<Filter>& where);

  // Row `id` as this transaction sees it; kNotFound if there is none.
  absl::StatusOr<Row> Get(absl::string_view table, int64_t id);
  // Rows matching the query, in its order then by id. The rows are copies
  // owned by the caller (blob bytes are shared, immutable).
  absl::StatusOr<std::vector<Row>> Select(absl::string_view table,
                                          const Query& query);
  absl::StatusOr<int64_t> Count(absl::string_view table,
                                const std::vector<Filter>& where = {});
  // Distinct non-NULL values of `column` among matching rows.
  absl::StatusOr<int64_t> CountDistinct(absl::string_view table,
                                        absl::string_view column,
                                        const std::vector<Filter>& where = {});
  // Sum of a non-NULL INTEGER column over matching rows; NULL when there is
  // none; kOutOfRange "integer overflow" past int64.
  absl::StatusOr<Value> Sum(absl::string_view table, absl::string_view column,
                            const std::vector<Filter>& where = {});
  // Matching rows counted per value of `column` (NULL is a group), ordered
  // by that value ascending, NULL first.
  absl::StatusOr<std::vector<GroupCount>> CountBy(
      absl::string_view table, absl::string_view column,
      const std::vector<Filter>& where = {});

  // Savepoints nest by name, as in SQLite. RollbackTo(n) undoes everything
  // after the most recent savepoint called n, and n stays open; Release(n)
  // folds n and every savepoint after it into their parent. An unknown name
  // is kFailedPrecondition "no such savepoint: n".
  absl::Status Savepoint(absl::string_view name);
  absl::Status RollbackTo(absl::string_view name);
  absl::Status Release(absl::string_view name);

  // Ends the transaction. After either, every call but these two (which are
  // then kFailedPrecondition too) fails with "transaction is finished".
  absl::Status Commit();
  absl::Status Rollback();

 protected:
  struct Assignment {
    size_t column;
    Value value;
  };
  using BoundAssignments = std::vector<Assignment>;

  Transaction(TransactionMode mode, const Catalog* catalog, Clock* clock)
      : mode_(mode), catalog_(catalog), clock_(clock) {}

  const Catalog& catalog() const { return *catalog_; }
  const TableSchema& schema(size_t table) const {
    return catalog_->tables()[table];
  }
  // For derived destructors: rolls back if still open.
  void RollbackIfOpen();

  // Backend hooks. Arguments are validated: tables and columns exist, value
  // kinds match, NOT NULL holds, defaults and "now" are filled in. Each hook
  // must be atomic: on error nothing it did remains.
  //
  // `row` has a value for every column; row[0] is NULL when the backend must
  // pick the id.
  virtual absl::StatusOr<int64_t> DoInsert(size_t table,
                                           std::vector<Value> row) = 0;
  virtual absl::Status DoUpdate(size_t table, int64_t id,
                                const BoundAssignments& set) = 0;
  virtual absl::Status DoDelete(size_t table, int64_t id) = 0;
  virtual absl::StatusOr<int64_t> DoUpdateWhere(
      size_t table, const std::vector<BoundFilter>& where,
      const BoundAssignments& set) = 0;
  virtual absl::StatusOr<int64_t> DoDeleteWhere(
      size_t table, const std::vector<BoundFilter>& where) = 0;
  virtual absl::StatusOr<Row> DoGet(size_t table, int64_t id) = 0;
  virtual absl::StatusOr<std::vector<Row>> DoSelect(size_t table,
                                                    const BoundQuery& q) = 0;
  virtual absl::StatusOr<int64_t> DoCount(
      size_t table, const std::vector<BoundFilter>& where) = 0;
  virtual absl::StatusOr<int64_t> DoCountDistinct(
      size_t table, size_t column, const std::vector<BoundFilter>& where) = 0;
  virtual absl::StatusOr<Value> DoSum(
      size_t table, size_t column, const std::vector<BoundFilter>& where) = 0;
  virtual absl::StatusOr<std::vector<GroupCount>> DoCountBy(
      size_t table, size_t column, const std::vector<BoundFilter>& where) = 0;
  // Savepoint depth d is the d-th open savepoint (0-based). The base class
  // keeps the names; a backend only keeps positions.
  virtual absl::Status DoSavepoint(size_t depth) = 0;
  virtual absl::Status DoRollbackTo(size_t depth) = 0;
  virtual absl::Status DoRelease(size_t depth) = 0;
  virtual absl::Status DoCommit() = 0;
  virtual void DoRollback() = 0;

 private:
  absl::Status CheckOpen() const;
  absl::Status CheckWritable() const;
  absl::StatusOr<size_t> ResolveTable(absl::string_view table) const;
  absl::StatusOr<BoundAssignments> BindUpdate(size_t table,
                                              const Assignments& values);
  absl::StatusOr<std::vector<BoundFilter>> BindFilters(
      size_t table, const std::vector<Filter>& where) const;
  absl::StatusOr<size_t> FindSavepoint(absl::string_view name) const;

  const TransactionMode mode_;
  const Catalog* const catalog_;
  Clock* const clock_;
  bool open_ = true;
  std::vector<std::string> savepoints_;  // open savepoint names, oldest first
};

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  // Begins a transaction. A read-only one sees the state committed before
  // it began and never waits. A read-write one waits for the single write
  // slot up to the store's busy timeout, then fails with kUnavailable
  // "database is locked".
  virtual absl::StatusOr<std::unique_ptr<Transaction>> Begin(
      TransactionMode mode) = 0;

  // Rows and bytes per table, as of now.
  virtual absl::StatusOr<StoreStats> Stats() = 0;

  virtual const Catalog& catalog() const = 0;

  // "memory" or "sqlite:<path>", for logs and /status.json.
  virtual std::string Describe() const = 0;
};

// The contract's messages, shared by both backends so they cannot drift.
absl::Status RowNotFound(const TableSchema& table, int64_t id);
absl::Status UniqueViolation(const TableSchema& table, size_t column);
absl::Status NotNullViolation(const TableSchema& table, size_t column);
absl::Status DatabaseLocked();
// What a stored TEXT value may hold on every backend: valid UTF-8
// (shortest forms, no surrogates, nothing past U+10FFFF) without NUL
// bytes, since PostgreSQL can store nothing else as text. Inserting or
// assigning any other TEXT value is refused with InvalidText before a
// backend sees it; bytes that are not such text belong in a BLOB. A
// filter's TEXT operand may still hold any bytes and compares bytewise
// (so "a\0" matches nothing, and the prefix "\xc3" matches "é").
bool IsStorableText(absl::string_view bytes);
absl::Status InvalidText(const TableSchema& table, size_t column);
// The most bytes a TEXT or BLOB value may have in an indexed or unique
// column, on every backend: PostgreSQL's B-tree indexes hold entries of
// about 2.7 kB at most. Longer values are refused with IndexedValueTooLong
// when stored; a filter's operand may be longer (it matches nothing).
inline constexpr size_t kMaxIndexedBytes = 2048;
absl::Status IndexedValueTooLong(const TableSchema& table, size_t column);
absl::Status IntegerOverflow();

}  // namespace viewer

#endif  // VIEWER_ENGINE_STORE_H_
