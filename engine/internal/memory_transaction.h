// A transaction of the in-memory engine (see memory_store.h).
//
// A read-only transaction is a registered snapshot timestamp. A read-write
// transaction holds the store's single write slot; its changes are pending
// versions listed in its undo log, and a savepoint is a position in that
// log. Each statement is atomic: on error the log is rolled back to where
// the statement began.
//
// Thread safety: one thread at a time, like every Transaction.
#ifndef VIEWER_ENGINE_INTERNAL_MEMORY_TRANSACTION_H_
#define VIEWER_ENGINE_INTERNAL_MEMORY_TRANSACTION_H_

#include <vector>

#include "engine/internal/version.h"
#include "engine/memory_store.h"
#include "engine/store.h"

namespace viewer::internal {

class MemoryTransaction final : public Transaction {
 public:
  // `snapshot` is the registered snapshot of a read-only transaction, or
  // the last commit (slot -1) for the writer.
  MemoryTransaction(MemoryStore* store, TransactionMode mode,
                    SnapshotRegistry::Handle snapshot);
  ~MemoryTransaction() override;

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
  // One change, undone newest first: a version inserted, a version ended,
  // or an update (what MvccTable::Update did).
  struct UndoEntry {
    enum Kind : uint8_t { kInsert, kEnd, kUpdate };
    Kind kind;
    uint32_t table;
    int64_t id;
    UpdateRecord change;  // kInsert, kEnd: `head` only
  };

  bool writer() const { return mode() == TransactionMode::kReadWrite; }
  // Runs `write` (an MvccTable write given an allowance) and, when the
  // byte budget refuses it, first frees unseen old versions, then lets it
  // use the room this transaction's deletes will free.
  template <typename Write>
  auto WithRoom(Write write) -> decltype(write(int64_t{0}));
  // Updates the writer-visible version `current` of row `id`; atomic.
  absl::Status UpdateRow(size_t table, int64_t id, Version* current,
                         const BoundAssignments& set);
  // Ids of the rows matching `where` that the writer sees, ascending.
  std::vector<int64_t> MatchingIds(size_t table,
                                   const std::vector<BoundFilter>& where);
  // Undoes the log back to `size` entries, newest first.
  void UndoTo(size_t size);
  // Ends the transaction's hold on the store (snapshot or write slot).
  void Finish();

  MemoryStore* const store_;
  const SnapshotRegistry::Handle snapshot_;
  const ReadView view_;
  std::vector<UndoEntry> undo_;
  std::vector<size_t> savepoints_;  // undo_ sizes, one per open savepoint
  bool finished_ = false;
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_MEMORY_TRANSACTION_H_
