// MvccTable: writes and byte accounting. Undo and reclamation are in
// mvcc_undo.cc; reads and query planning in mvcc_scan.cc.
#include "engine/internal/mvcc_table.h"

#include <cstdlib>
#include <limits>

#include "absl/strings/str_cat.h"
#include "engine/internal/heap.h"
#include "engine/status_macros.h"
#include "engine/store.h"

namespace viewer::internal {
namespace {

// A blob is a std::string shared by a std::shared_ptr made by
// make_shared: a control block holding the string object (48 bytes), and
// past the string's inline capacity its bytes in a block of their own.
constexpr size_t kBlobControlBytes = 48;
constexpr size_t kInlineStringBytes = 15;

}  // namespace

MvccTable::MvccTable(const TableSchema* schema, ByteBudget* budget,
                     ReaderLines* lines, size_t index)
    : schema_(schema), format_(*schema), budget_(budget), latch_(lines, index) {
  WriterLatchLock lock(&latch_);
  indexes_.resize(schema->size());
  entry_bytes_.assign(schema->size(), 0);
  for (size_t c = 1; c < schema->size(); ++c) {
    const Column& col = schema->column(c);
    if (col.unique || col.indexed) {
      indexes_[c] = std::make_unique<ColumnIndex>(&format_, c, col.unique);
      indexed_columns_.push_back(c);
      entry_bytes_[c] = indexes_[c]->EntryBytes();
    }
  }
}

MvccTable::~MvccTable() {
  WriterLatchLock lock(&latch_);
  std::vector<Version*> all;
  primary_.ForEach(std::numeric_limits<int64_t>::min(),
                   std::numeric_limits<int64_t>::max(), false,
                   [&](int64_t, Version* head) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                     for (Version* v = head; v != nullptr; v = Older(v)) {
                       all.push_back(v);
                     }
                     return true;
                   });
  // Index entries read their versions: drop the indexes first.
  for (auto& index : indexes_) index.reset();
  for (Version* v : all) format_.Free(v);
}

int64_t MvccTable::BlobBytes(const Value::BlobRef& blob) {
  const size_t size = blob->size();
  return ChunkBytes(kBlobControlBytes) +
         (size > kInlineStringBytes ? ChunkBytes(size + 1) : 0);
}

void MvccTable::Charge(int64_t delta) {
  bytes_.fetch_add(delta, std::memory_order_relaxed);
  budget_->used.fetch_add(delta, std::memory_order_relaxed);
}

absl::Status MvccTable::Reserve(int64_t needed, int64_t allowance) const {
  const int64_t used = budget_->used.load(std::memory_order_relaxed);
  if (budget_->limit > 0 && used + needed > budget_->limit + allowance) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "memory limit reached: this write to ", schema_->name(), " needs ",
        needed, " bytes; ", used, " of ", budget_->limit, " bytes in use"));
  }
  return absl::OkStatus();
}

int64_t MvccTable::NewEntryBytes(absl::Span<const Cell> cells,
                                 const Version* old) const {
  int64_t bytes = 0;
  for (size_t c : indexed_columns_) {
    if (old == nullptr || CompareKeys(format_.Key(old, c), cells[c].key) != 0) {
      bytes += entry_bytes_[c];
    }
  }
  return bytes;
}

int64_t MvccTable::NewBlobBytes(absl::Span<const Cell> cells,
                                const Version* old) const {
  int64_t bytes = 0;
  for (size_t b = 0; b < format_.blob_count(); ++b) {
    const Cell& cell = cells[format_.blob_column(b)];
    if (cell.blob == nullptr || cell.key.is_null()) continue;
    if (old == nullptr || format_.Blob(old, b) != *cell.blob) {
      bytes += BlobBytes(*cell.blob);
    }
  }
  return bytes;
}

void MvccTable::ChargeNewBlobs(Version* v, const Version* older) {
  for (size_t b = 0; b < format_.blob_count(); ++b) {
    const Value::BlobRef& mine = format_.Blob(v, b);
    const bool charged =
        mine != nullptr && (older == nullptr || format_.Blob(older, b) != mine);
    format_.SetBlobCharged(v, b, charged);
    if (charged) Charge(BlobBytes(mine));
  }
}

void MvccTable::UnchargeBlobs(const Version* v) {
  for (size_t b = 0; b < format_.blob_count(); ++b) {
    if (format_.BlobCharged(v, b)) Charge(-BlobBytes(format_.Blob(v, b)));
  }
}

void MvccTable::Restamp(Version* v, uint64_t begin, uint64_t end) {
  const bool was = v->Settled();
  v->begin.store(begin, std::memory_order_relaxed);
  v->end.store(end, std::memory_order_relaxed);
  const bool now = IsSettled(begin, end);
  // Release: a reader that sees the count drop sees the stamps too.
  if (was != now) unsettled_.fetch_add(now ? -1 : 1, std::memory_order_release);
}

void MvccTable::Adopt(Version* v) {
  if (!v->Settled()) unsettled_.fetch_add(1, std::memory_order_release);
  Charge(HeldBytes(v));
}

void MvccTable::Discard(Version* v) {
  if (!v->Settled()) unsettled_.fetch_sub(1, std::memory_order_release);
  Charge(-HeldBytes(v));
  format_.Free(v);
}

int64_t MvccTable::NextId(ReadView view) const {
  latch_.AssertWriterMayRead();
  int64_t next = 1;
  primary_.ForEach(std::numeric_limits<int64_t>::min(),
                   std::numeric_limits<int64_t>::max(), /*descending=*/true,
                   [&](int64_t id, Version* head) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                     if (FirstVisible(head, view) == nullptr) return true;
                     next = id + 1;
                     return false;
                   });
  return next;
}

Version* MvccTable::WriterVisible(int64_t id, ReadView view) const {
  latch_.AssertWriterMayRead();
  const Version* head = primary_.Find(id);
  return head == nullptr ? nullptr
                         : const_cast<Version*>(FirstVisible(head, view));
}

absl::Status MvccTable::CheckUnique(absl::Span<const Cell> row,
                                    const Version* old, ReadView view) const {
  latch_.AssertWriterMayRead();
  const int64_t self = row[0].key.number;
  for (size_t c : indexed_columns_) {
    const KeyRef& key = row[c].key;
    if (!schema_->column(c).unique || key.is_null()) continue;
    // The row holds it already, so no other row it sees does.
    if (old != nullptr && CompareKeys(format_.Key(old, c), key) == 0) continue;
    bool taken = false;
    index(c).ForEachWithKey(key, [&](const Version* holder)
                                     ABSL_NO_THREAD_SAFETY_ANALYSIS {
      if (format_.Id(holder) == self) return true;
      const Version* seen = FirstVisible(holder, view);
      taken = seen != nullptr && CompareKeys(format_.Key(seen, c), key) == 0;
      return !taken;
    });
    if (taken) return UniqueViolation(*schema_, c);
  }
  return absl::OkStatus();
}

absl::StatusOr<Version*> MvccTable::Insert(const std::vector<Value>& row,
                                           ReadView view, int64_t allowance) {
  Cells cells;
  format_.CellsOf(row, &cells);
  VIEWER_RETURN_IF_ERROR(CheckUnique(cells, nullptr, view));
  const int64_t id = row[0].integer();
  Version* v = RowFormat::Allocate(format_.SizeFor(cells));
  format_.Encode(cells, v);
  int64_t needed =
      HeldBytes(v) + NewEntryBytes(cells, nullptr) + NewBlobBytes(cells, nullptr);

  WriterLatchLock lock(&latch_);
  // A chain the writer does not see: a deleted row some snapshot still
  // reads. The new version goes on top of it.
  Version* dead = primary_.Find(id);
  if (dead != nullptr) {
    needed += kLinkBytes;
  } else if (primary_.NeedsPage(id)) {
    needed += PrimaryIndex::PageBytes();
  }
  if (absl::Status s = Reserve(needed, allowance); !s.ok()) {
    format_.Free(v);
    return s;
  }
  Adopt(v);
  ChargeNewBlobs(v, nullptr);
  if (dead != nullptr) Link(v, dead);
  Charge(primary_.Set(id, v));
  PointEntries(v, nullptr);
  return v;
}

absl::StatusOr<UpdateRecord> MvccTable::Update(
    Version* current, absl::Span<const SetColumn> set, ReadView view,
    int64_t allowance) {
  Cells cells;
  format_.CellsOf(current, &cells);
  for (const SetColumn& s : set) {
    cells[s.column].key = KeyRef::Of(*s.value);
    cells[s.column].blob = s.value->kind() == ValueKind::kBlob
                               ? &s.value->blob_ref()
                               : nullptr;
  }
  VIEWER_RETURN_IF_ERROR(CheckUnique(cells, current, view));
  const int64_t size = format_.SizeFor(cells);
  const int64_t extra = NewEntryBytes(cells, current) +
                        NewBlobBytes(cells, current) + kLinkBytes;
  if (static_cast<size_t>(size) <= RowFormat::Capacity(current)) {
    // The old values move out to a copy; the new ones are written in place.
    Version* copy = RowFormat::Allocate(format_.ContentSize(current));
    if (absl::Status s = Reserve(HeldBytes(copy) + extra, allowance); !s.ok()) {
      std::free(copy);
      return s;
    }
    format_.CopyBody(current, copy);
    WriterLatchLock lock(&latch_);
    return UpdateInPlace(current, copy, set);
  }
  Version* fresh = RowFormat::Allocate(size);
  format_.Encode(cells, fresh);
  if (absl::Status s = Reserve(HeldBytes(fresh) + extra, allowance); !s.ok()) {
    format_.Free(fresh);
    return s;
  }
  WriterLatchLock lock(&latch_);
  return UpdateOnTop(current, fresh);
}

UpdateRecord MvccTable::UpdateInPlace(Version* current, Version* copy,
                                      absl::Span<const SetColumn> set) {
  const int64_t id = format_.Id(current);
  copy->begin.store(current->Begin(), std::memory_order_relaxed);
  copy->end.store(kPending, std::memory_order_relaxed);
  Adopt(copy);  // its blobs' charges came with the copy
  // Keys that change: their entries move to the copy, which now holds
  // them, while `current` still holds them too (the btree reads it).
  for (size_t c : indexed_columns_) {
    const KeyRef old_key = format_.Key(copy, c);
    for (const SetColumn& s : set) {
      if (s.column == c && CompareKeys(old_key, KeyRef::Of(*s.value)) != 0) {
        mutable_index(c).Repoint(old_key, id, copy);
      }
    }
  }
  if (Version* older = Older(current)) Link(copy, older);
  Link(current, copy);
  Cells cells;
  format_.CellsOf(copy, &cells);
  for (const SetColumn& s : set) {
    cells[s.column].key = KeyRef::Of(*s.value);
    cells[s.column].blob =
        s.value->kind() == ValueKind::kBlob ? &s.value->blob_ref() : nullptr;
  }
  format_.DestroyBlobs(current);
  format_.Encode(cells, current);
  Restamp(current, kPending, kInfinity);
  ChargeNewBlobs(current, copy);
  PointEntries(current, copy);
  return {current, copy, /*in_place=*/true};
}

UpdateRecord MvccTable::UpdateOnTop(Version* current, Version* fresh) {
  Adopt(fresh);
  ChargeNewBlobs(fresh, current);
  Restamp(current, current->Begin(), kPending);
  Link(fresh, current);
  Charge(primary_.Set(format_.Id(fresh), fresh));
  PointEntries(fresh, nullptr);
  return {fresh, current, /*in_place=*/false};
}

void MvccTable::PointEntries(Version* v, const Version* old) {
  for (size_t c : indexed_columns_) {
    if (old != nullptr &&
        CompareKeys(format_.Key(old, c), format_.Key(v, c)) == 0) {
      continue;
    }
    if (mutable_index(c).Point(v)) Charge(entry_bytes_[c]);
  }
}

void MvccTable::End(Version* v) { Restamp(v, v->Begin(), kPending); }

int64_t MvccTable::BytesFreedByDeleting(const Version* v) const {
  int64_t bytes = HeldBytes(v) + kLinkBytes;
  for (size_t c : indexed_columns_) bytes += entry_bytes_[c];
  for (size_t b = 0; b < format_.blob_count(); ++b) {
    if (format_.BlobCharged(v, b)) bytes += BlobBytes(format_.Blob(v, b));
  }
  return bytes;
}

bool MvccTable::Stamp(Version* v, uint64_t ts) {
  const uint64_t begin = v->Begin();
  const uint64_t end = v->End();
  if (begin != kPending && end != kPending) return false;
  Restamp(v, begin == kPending ? ts : begin, end == kPending ? ts : end);
  return end == kPending;
}

}  // namespace viewer::internal
