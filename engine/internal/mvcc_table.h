// One table of the in-memory engine: version chains in a primary
// absl::btree_map, one (key, id) btree_set per UNIQUE or indexed column,
// and byte accounting.
//
// Thread safety: reads (Get, ForEach*, CountVisible) may run on any number
// of threads at once; each holds `latch_` shared for the duration of the
// call. Mutations (Push, End, Undo*, Stamp*, Prune) are made only by the
// thread holding the store's write slot, and each holds `latch_`
// exclusively for its duration, so readers never see a half-made change.
// The writer's own reads (NextId, WriterVisible, CheckUnique) take no
// latch: readers never mutate, so reading beside them is safe.
//
// Invariants:
//   1. Index entry (k, id) exists in the index of column c iff some version
//      in the chain of `id` has value k in column c.
//   2. A chain in `rows_` is never empty.
//   3. bytes_ is the sum of charged_bytes of every version, plus
//      kChainBytes per chain and the charge of every index entry.
// btree iterators are invalidated by inserts and erases: no iterator is
// kept across a mutation; writers first collect ids, then mutate.
#ifndef VIEWER_ENGINE_INTERNAL_MVCC_TABLE_H_
#define VIEWER_ENGINE_INTERNAL_MVCC_TABLE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/mutex.h"
#include "engine/internal/column_index.h"
#include "engine/internal/latch.h"
#include "engine/internal/version.h"
#include "engine/query.h"
#include "engine/schema.h"

namespace viewer::internal {

// The store-wide byte budget shared by all tables.
struct ByteBudget {
  std::atomic<int64_t> used{0};
  int64_t limit = 0;  // 0: no limit
};


class MvccTable {
 public:
  // Called for each visible matching row, in scan order; return false to
  // stop. The row is valid only during the call.
  using RowFn = absl::FunctionRef<bool(const std::vector<Value>&)>;

  MvccTable(const TableSchema* schema, ByteBudget* budget);
  MvccTable(const MvccTable&) = delete;
  MvccTable& operator=(const MvccTable&) = delete;

  const TableSchema& schema() const { return *schema_; }

  // ---- Reads ----

  // A copy of row `id` as `view` sees it; nullopt when it sees none.
  std::optional<std::vector<Value>> Get(int64_t id, ReadView view) const
      ABSL_LOCKS_EXCLUDED(latch_);
  // Visits the visible rows matching `q.where`. When `q` has an order the
  // rows come in that order (then id) and `q.offset`/`q.limit` are applied;
  // returns the rows copied.
  std::vector<Row> Select(const BoundQuery& q, ReadView view) const
      ABSL_LOCKS_EXCLUDED(latch_);
  // Visits visible rows matching `where` in an unspecified order.
  void ForEachMatch(const std::vector<BoundFilter>& where, ReadView view,
                    RowFn fn) const ABSL_LOCKS_EXCLUDED(latch_);
  // Rows visible to `view`.
  int64_t CountVisible(ReadView view) const ABSL_LOCKS_EXCLUDED(latch_);
  int64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  // Versions held, all chains (for tests of reclamation).
  int64_t VersionCount() const ABSL_LOCKS_EXCLUDED(latch_);

  // ---- Writer only ----

  // max(id)+1 over rows `view` sees, 1 if none.
  int64_t NextId(ReadView view) const ABSL_LOCKS_EXCLUDED(latch_);
  // The version of `id` the writer sees, or nullptr. The pointer stays
  // valid until the writer itself mutates this row.
  Version* WriterVisible(int64_t id, ReadView view) const
      ABSL_LOCKS_EXCLUDED(latch_);
  // kAlreadyExists if another row `view` sees holds one of `row`'s
  // non-NULL values in a UNIQUE column (id included).
  absl::Status CheckUnique(const std::vector<Value>& row, ReadView view) const
      ABSL_LOCKS_EXCLUDED(latch_);
  // Makes `*values` the new pending head of chain (*values)[0]; ends
  // `predecessor` (the writer-visible head) when given. Takes the values on
  // success. Fails with kResourceExhausted if the budget would be passed
  // by more than `allowance` bytes, changing nothing and leaving `*values`
  // as they were.
  absl::StatusOr<Version*> Push(std::vector<Value>* values,
                                Version* predecessor, int64_t allowance)
      ABSL_LOCKS_EXCLUDED(latch_);
  // Marks `v` ended by the writer.
  void End(Version* v) ABSL_LOCKS_EXCLUDED(latch_);
  // At least the bytes freed once the deleted row whose newest version is
  // `v` is reclaimed: `v`, its chain and its index entries.
  int64_t BytesFreedByDeleting(const Version& v) const;

  // Undo: removes the pending head `v` of chain `id`; or un-ends `v`.
  void UndoPush(int64_t id, Version* v) ABSL_LOCKS_EXCLUDED(latch_);
  void UndoEnd(Version* v) ABSL_LOCKS_EXCLUDED(latch_);

  // Commit: stamps pending marks with `ts`. Caller holds latch() exclusive.
  static void StampBegin(Version* v, uint64_t ts) { v->begin = ts; }
  static void StampEnd(Version* v, uint64_t ts) { v->end = ts; }
  Latch& latch() const ABSL_LOCK_RETURNED(latch_) { return latch_; }

  // Frees the versions of `id` that no view at or after `horizon` can see.
  void Prune(int64_t id, uint64_t horizon) ABSL_LOCKS_EXCLUDED(latch_);

 private:
  struct Plan;

  Plan MakePlan(const BoundQuery& q) const;
  // Visits candidates of `plan` in its order; `fn` gets visible versions
  // matching every filter. Returns early when fn returns false.
  void Execute(const Plan& plan, const std::vector<BoundFilter>& where,
               ReadView view, RowFn fn) const
      ABSL_SHARED_LOCKS_REQUIRED(latch_);
  const Version* VisibleLocked(int64_t id, ReadView view) const
      ABSL_SHARED_LOCKS_REQUIRED(latch_);

  int64_t ChargeFor(const Version& v) const;
  void Charge(int64_t delta);
  void AddIndexEntries(const Version& v, const Chain* chain)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(latch_);
  // Removes index entries of `gone` not held by any version in `chain`.
  void DropIndexEntries(const Version& gone, const Version* chain)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(latch_);
  int64_t IndexEntryCharge(size_t column, const Value& key) const;

  const TableSchema* const schema_;
  ByteBudget* const budget_;
  std::atomic<int64_t> bytes_{0};
  // Columns (besides id) that have a secondary index.
  std::vector<size_t> indexed_columns_;

  mutable Latch latch_;
  absl::btree_map<int64_t, std::unique_ptr<Chain>> rows_
      ABSL_GUARDED_BY(latch_);
  // indexes_[c] is the index of column c, or null.
  std::vector<std::unique_ptr<ColumnIndex>> indexes_
      ABSL_GUARDED_BY(latch_);
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_MVCC_TABLE_H_
