// One table of the in-memory engine: packed row versions (row_format.h),
// a primary index from id straight to each row's newest version, one
// ColumnIndex per UNIQUE or indexed column, and byte accounting.
//
// A row's versions form a chain, newest first. The newest is pointed at by
// the primary index; each older one is reached through `older_`, a map
// from a version to the next older, which holds nothing for the rows that
// have no old version (nearly all of them).
//
// An update keeps the row's newest version where it is when the new
// values fit in its block: the old values move to a fresh block placed
// second in the chain, and the new ones are written in place. Index
// entries of unchanged keys then need no change at all; only a changed
// key's entry is moved (to the old values' block) and the new key's entry
// added. When the new values do not fit, they go in a new block pushed on
// top, and the unchanged keys' entries are moved to it.
//
// Thread safety: reads (Get, Select, Count, ForEachMatch, CountVisible)
// may run on any number of threads at once; each holds `latch_` shared.
// Every change of structure or values (Insert, Update, Undo*, Prune) is
// made by the thread holding the store's write slot, holding `latch_`
// exclusively, so readers never see a half-made change. Stamps (End,
// Stamp) are atomic stores the writer makes without the latch (version.h
// says why that is safe). The writer's own reads (NextId, WriterVisible)
// take no latch: readers never change anything.
//
// Invariants:
//   1. Every index entry points at the newest version of its row holding
//      its key (column_index.h); a version stays allocated while an
//      entry points at it.
//   2. primary_ maps an id to a non-empty chain's newest version; older_
//      holds exactly the links of those chains.
//   3. unsettled_ is the number of versions that are not settled
//      (version.h): pending, or ended. When it is 0 every row is a single
//      committed version, visible to any view reading at or after
//      changed_at_, the last commit that stamped this table; then an index
//      range's entries are exactly its visible rows, and counts read the
//      index alone.
//   4. bytes_ is the sum of HeldBytes of every version and every primary
//      page, plus the charge of every index entry, history link and blob.
#ifndef VIEWER_ENGINE_INTERNAL_MVCC_TABLE_H_
#define VIEWER_ENGINE_INTERNAL_MVCC_TABLE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "engine/internal/column_index.h"
#include "engine/internal/latch.h"
#include "engine/internal/primary_index.h"
#include "engine/internal/reader_lines.h"
#include "engine/internal/row_format.h"
#include "engine/internal/version.h"
#include "engine/query.h"
#include "engine/schema.h"

namespace viewer::internal {

// The store-wide byte budget shared by all tables: written by the writer
// on every change, so on a line of its own.
struct alignas(64) ByteBudget {
  std::atomic<int64_t> used{0};
  int64_t limit = 0;  // 0: no limit
};

// A column an update sets.
struct SetColumn {
  size_t column;
  const Value* value;
};

// What an update did, for its undo and its commit: `head` holds the new
// values, `old` the previous ones. In place: `head` is the block that held
// the previous values and `old` their copy, second in the chain.
struct UpdateRecord {
  Version* head;
  Version* old;
  bool in_place;
};

// A visible row met by a scan: read only the columns needed.
class RowView {
 public:
  RowView(const RowFormat* format, const Version* v)
      : format_(format), v_(v) {}
  int64_t id() const { return format_->Id(v_); }
  KeyRef Key(size_t column) const { return format_->Key(v_, column); }
  Value Get(size_t column) const { return format_->Get(v_, column); }
  std::vector<Value> Decode() const { return format_->Decode(v_); }

 private:
  const RowFormat* format_;
  const Version* v_;
};

class MvccTable {
 public:
  // Called for each visible matching row; return false to stop. The view
  // is valid only during the call.
  using RowFn = absl::FunctionRef<bool(const RowView&)>;

  // The table's latch is table `index` of `lines`; `lines` and `budget`
  // must outlive it.
  MvccTable(const TableSchema* schema, ByteBudget* budget, ReaderLines* lines,
            size_t index);
  MvccTable(const MvccTable&) = delete;
  MvccTable& operator=(const MvccTable&) = delete;
  ~MvccTable();

  const TableSchema& schema() const { return *schema_; }

  // ---- Reads (mvcc_scan.cc) ----

  // Row `id` as `view` sees it; nullopt when it sees none.
  std::optional<Row> Get(int64_t id, ReadView view) const
      ABSL_LOCKS_EXCLUDED(latch_);
  // The visible rows matching `q.where`, in the query's order then by id,
  // after `q.offset`, at most `q.limit`.
  std::vector<Row> Select(const BoundQuery& q, ReadView view) const
      ABSL_LOCKS_EXCLUDED(latch_);
  // How many visible rows match `where`; from the index alone when one
  // covers every filter and the table is settled (invariant 3).
  int64_t Count(const std::vector<BoundFilter>& where, ReadView view) const
      ABSL_LOCKS_EXCLUDED(latch_);
  // Visits visible rows matching `where` in an unspecified order.
  void ForEachMatch(const std::vector<BoundFilter>& where, ReadView view,
                    RowFn fn) const ABSL_LOCKS_EXCLUDED(latch_);
  // Rows visible to `view`.
  int64_t CountVisible(ReadView view) const { return Count({}, view); }
  // Whether `view` counts from the index alone (invariant 3; for tests).
  bool CountsFromIndex(ReadView view) const { return Settled(view); }
  int64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  // Versions held, live and old (for tests of reclamation).
  int64_t VersionCount() const ABSL_LOCKS_EXCLUDED(latch_);

  // ---- Writer only (mvcc_table.cc) ----

  // max(id)+1 over rows `view` sees, 1 if none.
  int64_t NextId(ReadView view) const;
  // The version of `id` the writer sees, or nullptr. Valid until the
  // writer changes this row.
  Version* WriterVisible(int64_t id, ReadView view) const;
  // Adds `row` (row[0] is its id, which `view` does not see) as a pending
  // version. kAlreadyExists if another row `view` sees holds one of its
  // UNIQUE values; kResourceExhausted if the budget would be passed by
  // more than `allowance` bytes. On error nothing changed.
  absl::StatusOr<Version*> Insert(const std::vector<Value>& row,
                                  ReadView view, int64_t allowance);
  // Sets `set` (by column, ascending) on `current`, the writer-visible
  // version of its row; errors as Insert.
  absl::StatusOr<UpdateRecord> Update(Version* current,
                                      absl::Span<const SetColumn> set,
                                      ReadView view, int64_t allowance);
  // Marks `v`, the writer-visible version of its row, ended by the writer.
  void End(Version* v);
  // At least the bytes freed once the deleted row whose newest version is
  // `v` is reclaimed: `v`, its index entries and its history link.
  int64_t BytesFreedByDeleting(const Version* v) const;

  // Undo, newest change first: removes an inserted version; restores
  // an update; un-ends `v`.
  void UndoInsert(Version* v);
  void UndoUpdate(const UpdateRecord& u);
  void UndoEnd(Version* v);

  // Commit: first Committing(ts) on each table touched, then Stamp on each
  // version touched: pending marks become `ts`. Returns true when it
  // stamped an end (the version is garbage once no snapshot sees it).
  void Committing(uint64_t ts) {
    changed_at_.store(ts, std::memory_order_release);
  }
  bool Stamp(Version* v, uint64_t ts);

  // Frees the versions of `id` that no view at or after `horizon` can see.
  void Prune(int64_t id, uint64_t horizon) ABSL_LOCKS_EXCLUDED(latch_);

 private:
  struct Plan;
  using Chain = absl::InlinedVector<Version*, 4>;

  // Bytes charged per link in older_: a 16-byte slot and a control byte
  // of an absl::flat_hash_map, about half full.
  static constexpr int64_t kLinkBytes = 32;

  // ---- mvcc_scan.cc ----
  Plan MakePlan(const std::vector<BoundFilter>& where,
                const std::vector<BoundOrder>& order) const
      ABSL_SHARED_LOCKS_REQUIRED(latch_);
  // Visits the visible rows of `plan` matching `where`, in its order.
  void Execute(const Plan& plan, const std::vector<BoundFilter>& where,
               ReadView view, RowFn fn) const
      ABSL_SHARED_LOCKS_REQUIRED(latch_);
  // Rows of `plan`, counted from the index alone (invariant 3).
  int64_t CountEntries(const Plan& plan) const
      ABSL_SHARED_LOCKS_REQUIRED(latch_);
  bool Settled(ReadView view) const;

  // ---- chains ----
  const Version* FirstVisible(const Version* v, ReadView view) const
      ABSL_SHARED_LOCKS_REQUIRED(latch_);
  Version* Older(const Version* v) const ABSL_SHARED_LOCKS_REQUIRED(latch_) {
    if (older_.empty()) return nullptr;
    auto it = older_.find(v);
    return it == older_.end() ? nullptr : it->second;
  }
  Chain ChainOf(Version* head) const ABSL_SHARED_LOCKS_REQUIRED(latch_);
  void Link(const Version* newer, Version* older)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(latch_);
  void Unlink(const Version* newer) ABSL_EXCLUSIVE_LOCKS_REQUIRED(latch_);

  // ---- mvcc_table.cc ----
  absl::Status CheckUnique(absl::Span<const Cell> row, const Version* old,
                           ReadView view) const;
  absl::Status Reserve(int64_t needed, int64_t allowance) const;
  const ColumnIndex& index(size_t column) const
      ABSL_SHARED_LOCKS_REQUIRED(latch_) {
    return *indexes_[column];
  }
  ColumnIndex& mutable_index(size_t column)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(latch_) {
    return *indexes_[column];
  }
  // Bytes of the index entries a version with `cells` adds where its keys
  // differ from `old`'s (all of them without `old`).
  int64_t NewEntryBytes(absl::Span<const Cell> cells,
                        const Version* old) const;
  // Bytes of the blobs in `cells` that `old` does not hold.
  int64_t NewBlobBytes(absl::Span<const Cell> cells,
                       const Version* old) const;
  static int64_t BlobBytes(const Value::BlobRef& blob);
  // Charges the blobs `v` does not share with `older`, and marks them.
  void ChargeNewBlobs(Version* v, const Version* older);
  void Charge(int64_t delta);
  // Stamps with the count of unsettled versions kept (invariant 3).
  void Restamp(Version* v, uint64_t begin, uint64_t end);
  void Adopt(Version* v);
  void Discard(Version* v);  // uncharges and frees; blobs' charges kept
  // Points the entries of `v`'s keys that `old` (or nothing) lacks at `v`.
  void PointEntries(Version* v, const Version* old)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(latch_);
  // For each key of `gone`, the newest version of its chain, about to
  // leave it, that `same` does not hold in the same column: its entry is
  // moved to the newest of `rest` (the older versions) holding the key, or
  // erased.
  void ReleaseEntries(const Version* gone, absl::Span<Version* const> rest,
                      const Version* same)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(latch_);
  // For each key of `gone`, an old version about to be freed, that none of
  // `kept` (the newer versions staying) holds: erases its entry.
  void DropEntries(const Version* gone, absl::Span<Version* const> kept)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(latch_);
  // Uncharges the blobs charged to `v`.
  void UnchargeBlobs(const Version* v);
  // The two ways of Update, after its checks (see the top of this file).
  UpdateRecord UpdateInPlace(Version* current, Version* copy,
                             absl::Span<const SetColumn> set)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(latch_);
  UpdateRecord UpdateOnTop(Version* current, Version* fresh)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(latch_);

  // The members are grouped by who writes them, each group on lines of
  // its own, so that a writer's store never takes a line from under a
  // reader that only reads the next member.

  // Fixed at construction; read by every reader.
  const TableSchema* const schema_;
  const RowFormat format_;
  ByteBudget* const budget_;
  // Columns (besides id) that have an index, and the bytes charged per
  // entry of each column's index (0 without one).
  std::vector<size_t> indexed_columns_;
  std::vector<int64_t> entry_bytes_;

  // Written by the writer on every change; read by counts and Stats.
  alignas(64) std::atomic<int64_t> bytes_{0};
  std::atomic<int64_t> unsettled_{0};
  std::atomic<uint64_t> changed_at_{0};

  mutable Latch latch_;  // its state is on the ReaderLines' lines

  // Read by every lookup, changed when rows come or go.
  alignas(64) PrimaryIndex primary_ ABSL_GUARDED_BY(latch_);
  // indexes_[c] is the index of column c, or null.
  std::vector<std::unique_ptr<ColumnIndex>> indexes_ ABSL_GUARDED_BY(latch_);
  // Changed by every update; read only to reach an old version.
  alignas(64) absl::flat_hash_map<const Version*, Version*> older_
      ABSL_GUARDED_BY(latch_);
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_MVCC_TABLE_H_
