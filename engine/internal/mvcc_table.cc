// MvccTable: writes, undo, reclamation and byte accounting. Reads and query
// planning are in mvcc_scan.cc.
#include "engine/internal/mvcc_table.h"

#include "absl/strings/str_cat.h"
#include "engine/store.h"

namespace viewer::internal {
namespace {

// Approximate bytes of one primary-map slot (key, pointer, node share).
constexpr int64_t kChainBytes = 32;
// Approximate bytes of btree node space per index slot beyond the entry.
constexpr int64_t kIndexSlotOverhead = 8;

}  // namespace

MvccTable::MvccTable(const TableSchema* schema, ByteBudget* budget)
    : schema_(schema), budget_(budget) {
  WriterLatchLock lock(&latch_);
  indexes_.resize(schema->size());
  for (size_t c = 1; c < schema->size(); ++c) {
    const Column& col = schema->column(c);
    if (col.unique || col.indexed) {
      indexes_[c] = std::make_unique<ColumnIndex>(col.unique);
      indexed_columns_.push_back(c);
    }
  }
}

int64_t MvccTable::ChargeFor(const Version& v) const {
  int64_t bytes = sizeof(Version) +
                  static_cast<int64_t>(v.values.capacity() * sizeof(Value));
  for (size_t c = 0; c < v.values.size(); ++c) {
    const Value& value = v.values[c];
    if (value.kind() == ValueKind::kText) {
      bytes += static_cast<int64_t>(value.text().size());
    } else if (value.kind() == ValueKind::kBlob &&
               !(v.shared_blobs & (uint64_t{1} << c))) {
      bytes += static_cast<int64_t>(value.blob().size());
    }
  }
  return bytes;
}

int64_t MvccTable::IndexEntryCharge(size_t column, const Value& key) const {
  int64_t bytes = sizeof(IndexEntry) + kIndexSlotOverhead;
  if (indexes_[column]->hashed() && !key.is_null()) {
    bytes += sizeof(Value) + sizeof(ColumnIndex::Ids) + kIndexSlotOverhead;
  }
  if (key.kind() == ValueKind::kText) {
    bytes += static_cast<int64_t>(key.text().size());
  }
  return bytes;
}

void MvccTable::Charge(int64_t delta) {
  bytes_.fetch_add(delta, std::memory_order_relaxed);
  budget_->used.fetch_add(delta, std::memory_order_relaxed);
}

void MvccTable::AddIndexEntries(const Version& v, const Chain* chain) {
  const int64_t id = v.values[0].integer();
  const Version* older = v.older.get();
  for (size_t c : indexed_columns_) {
    // The older version's key has its entry already (invariant 1).
    if (older != nullptr && CompareValues(older->values[c], v.values[c]) == 0) {
      continue;
    }
    if (indexes_[c]->Insert(v.values[c], id, chain)) {
      Charge(IndexEntryCharge(c, v.values[c]));
    }
  }
}

void MvccTable::DropIndexEntries(const Version& gone, const Version* chain) {
  const int64_t id = gone.values[0].integer();
  for (size_t c : indexed_columns_) {
    const Value& key = gone.values[c];
    bool held = false;
    for (const Version* v = chain; v != nullptr && !held; v = v->older.get()) {
      held = CompareValues(v->values[c], key) == 0;
    }
    if (!held && indexes_[c]->Erase(key, id)) {
      Charge(-IndexEntryCharge(c, key));
    }
  }
}

int64_t MvccTable::NextId(ReadView view) const
    ABSL_NO_THREAD_SAFETY_ANALYSIS {
  // Writer only: the writer is the only thread that mutates, so its reads
  // need no latch against readers (who only read).
  for (auto it = rows_.rbegin(); it != rows_.rend(); ++it) {
    if (it->second->VisibleTo(view) != nullptr) return it->first + 1;
  }
  return 1;
}

Version* MvccTable::WriterVisible(int64_t id, ReadView view) const
    ABSL_NO_THREAD_SAFETY_ANALYSIS {
  // Writer only: the writer is the only thread that mutates, so its reads
  // need no latch against readers (who only read).
  return const_cast<Version*>(VisibleLocked(id, view));
}

absl::Status MvccTable::CheckUnique(const std::vector<Value>& row,
                                    ReadView view) const
    ABSL_NO_THREAD_SAFETY_ANALYSIS {
  // Writer only: the writer is the only thread that mutates, so its reads
  // need no latch against readers (who only read).
  const int64_t self = row[0].integer();
  for (size_t c : indexed_columns_) {
    if (!schema_->column(c).unique || row[c].is_null()) continue;
    const ColumnIndex::Ids* ids = indexes_[c]->IdsWithKey(row[c]);
    if (ids == nullptr) continue;
    for (const ColumnIndex::RowRef& ref : *ids) {
      if (ref.id == self) continue;
      const Version* other = ref.chain->VisibleTo(view);
      if (other != nullptr && CompareValues(other->values[c], row[c]) == 0) {
        return UniqueViolation(*schema_, c);
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Version*> MvccTable::Push(std::vector<Value>* values,
                                         Version* predecessor,
                                         int64_t allowance) {
  const int64_t id = (*values)[0].integer();
  auto version = std::make_unique<Version>();
  version->values = std::move(*values);
  if (predecessor != nullptr) {
    for (size_t c = 0; c < version->values.size() && c < 64; ++c) {
      const Value& mine = version->values[c];
      const Value& theirs = predecessor->values[c];
      if (mine.kind() == ValueKind::kBlob &&
          theirs.kind() == ValueKind::kBlob &&
          mine.blob_ref() == theirs.blob_ref()) {
        version->shared_blobs |= uint64_t{1} << c;
      }
    }
  }
  version->charged_bytes = ChargeFor(*version);

  WriterLatchLock lock(&latch_);
  auto slot = rows_.find(id);
  int64_t needed = version->charged_bytes;
  if (slot == rows_.end()) needed += kChainBytes;
  // Index entries this version may add. A key it shares with its
  // predecessor has its entry already (invariant 1); any other is counted
  // as new, which at worst overestimates by an entry an older version made.
  for (size_t c : indexed_columns_) {
    if (predecessor == nullptr ||
        CompareValues(predecessor->values[c], version->values[c]) != 0) {
      needed += IndexEntryCharge(c, version->values[c]);
    }
  }
  const int64_t used = budget_->used.load(std::memory_order_relaxed);
  if (budget_->limit > 0 && used + needed > budget_->limit + allowance) {
    *values = std::move(version->values);  // the caller's again
    return absl::ResourceExhaustedError(absl::StrCat(
        "memory limit reached: this write to ", schema_->name(), " needs ",
        needed, " bytes; ", used, " of ", budget_->limit, " bytes in use"));
  }
  if (predecessor != nullptr) predecessor->end = kPending;
  if (slot == rows_.end()) {
    slot = rows_.emplace(id, std::make_unique<Chain>()).first;
    Charge(kChainBytes);
  }
  Chain& chain = *slot->second;
  version->older = std::move(chain.head);
  chain.head = std::move(version);
  Version* head = chain.head.get();
  Charge(head->charged_bytes);
  AddIndexEntries(*head, &chain);
  return head;
}

int64_t MvccTable::BytesFreedByDeleting(const Version& v) const {
  int64_t bytes = v.charged_bytes + kChainBytes;
  for (size_t c : indexed_columns_) bytes += IndexEntryCharge(c, v.values[c]);
  return bytes;
}

void MvccTable::End(Version* v) {
  WriterLatchLock lock(&latch_);
  v->end = kPending;
}

void MvccTable::UndoEnd(Version* v) {
  WriterLatchLock lock(&latch_);
  v->end = kInfinity;
}

void MvccTable::UndoPush(int64_t id, Version* v) {
  WriterLatchLock lock(&latch_);
  auto it = rows_.find(id);
  Chain& chain = *it->second;
  // Undo runs newest first, so `v` is the head of its chain.
  std::unique_ptr<Version> gone = std::move(chain.head);
  (void)v;
  chain.head = std::move(gone->older);
  DropIndexEntries(*gone, chain.head.get());
  Charge(-gone->charged_bytes);
  if (chain.head == nullptr) {
    rows_.erase(it);
    Charge(-kChainBytes);
  }
}

void MvccTable::Prune(int64_t id, uint64_t horizon) {
  WriterLatchLock lock(&latch_);
  auto it = rows_.find(id);
  if (it == rows_.end()) return;
  Chain& chain = *it->second;
  Version* newer = nullptr;
  Version* cur = chain.head.get();
  // The first version ended at or before the horizon: it and everything
  // older are invisible to every view that can still be opened.
  while (cur != nullptr && !(cur->end <= horizon)) {
    newer = cur;
    cur = cur->older.get();
  }
  if (cur == nullptr) return;
  std::unique_ptr<Version> tail =
      newer ? std::move(newer->older) : std::move(chain.head);
  if (newer != nullptr && newer->shared_blobs != 0) {
    // The blobs `newer` shared with the freed version are now its own.
    int64_t moved = 0;
    for (size_t c = 0; c < newer->values.size() && c < 64; ++c) {
      if (newer->shared_blobs & (uint64_t{1} << c)) {
        moved += static_cast<int64_t>(newer->values[c].blob().size());
      }
    }
    newer->shared_blobs = 0;
    newer->charged_bytes += moved;
    Charge(moved);
  }
  const Version* remaining = chain.head.get();
  for (const Version* g = tail.get(); g != nullptr; g = g->older.get()) {
    DropIndexEntries(*g, remaining);
    Charge(-g->charged_bytes);
  }
  if (chain.head == nullptr) {
    rows_.erase(it);
    Charge(-kChainBytes);
  }
}

}  // namespace viewer::internal
