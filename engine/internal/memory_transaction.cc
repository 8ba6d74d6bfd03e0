#include "engine/internal/memory_transaction.h"

#include <algorithm>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/inlined_vector.h"
#include "engine/status_macros.h"

namespace viewer::internal {

MemoryTransaction::MemoryTransaction(MemoryStore* store, TransactionMode mode,
                                     SnapshotRegistry::Handle snapshot)
    : Transaction(mode, &store->catalog(), store->clock()),
      store_(store),
      snapshot_(snapshot),
      view_{snapshot.ts, mode == TransactionMode::kReadWrite} {}

MemoryTransaction::~MemoryTransaction() { RollbackIfOpen(); }

void MemoryTransaction::Finish() {
  if (finished_) return;
  finished_ = true;
  if (writer()) {
    store_->write_slot_.AssertHeld();  // a writer holds it from Begin on
    store_->write_slot_.Release();
  } else {
    store_->snapshots_.Close(snapshot_);
    store_->SnapshotClosed();
  }
}

template <typename Write>
auto MemoryTransaction::WithRoom(Write write) -> decltype(write(int64_t{0})) {
  auto done = write(0);
  if (done.ok() || done.status().code() != absl::StatusCode::kResourceExhausted) {
    return done;
  }
  // Old versions nobody can see any more may still be held: free them
  // before deciding the store is full.
  if (store_->garbage_count().load() != 0) {
    store_->write_slot_.AssertHeld();  // only a writer writes
    store_->CollectGarbage(store_->snapshots_.Horizon());
    done = write(0);
    if (done.ok() ||
        done.status().code() != absl::StatusCode::kResourceExhausted) {
      return done;
    }
  }
  // Still full: the write may use the room this transaction's deletes
  // free, the committed rows it has deleted with their index entries (an
  // updated row's old version may share its blobs with the new one, so it
  // counts not).
  int64_t frees = 0;
  for (const UndoEntry& e : undo_) {
    MvccTable& owner = store_->table(e.table);
    if (e.kind == UndoEntry::kEnd && e.change.head->Begin() != kPending &&
        owner.WriterVisible(e.id, view_) == nullptr) {
      frees += owner.BytesFreedByDeleting(e.change.head);
    }
  }
  if (frees == 0) return done;
  return write(frees);
}

absl::StatusOr<int64_t> MemoryTransaction::DoInsert(size_t t,
                                                    std::vector<Value> row) {
  MvccTable& table = store_->table(t);
  if (row[0].is_null()) {
    row[0] = Value::Integer(table.NextId(view_));
  } else if (table.WriterVisible(row[0].integer(), view_) != nullptr) {
    return UniqueViolation(schema(t), 0);
  }
  const int64_t id = row[0].integer();
  VIEWER_ASSIGN_OR_RETURN(Version * v, WithRoom([&](int64_t allowance) {
                            return table.Insert(row, view_, allowance);
                          }));
  undo_.push_back({UndoEntry::kInsert, static_cast<uint32_t>(t), id,
                   {v, nullptr, false}});
  return id;
}

absl::Status MemoryTransaction::UpdateRow(size_t t, int64_t id,
                                          Version* current,
                                          const BoundAssignments& set) {
  MvccTable& table = store_->table(t);
  absl::InlinedVector<SetColumn, 8> columns;
  for (const Assignment& a : set) columns.push_back({a.column, &a.value});
  VIEWER_ASSIGN_OR_RETURN(UpdateRecord change,
                          WithRoom([&](int64_t allowance) {
                            return table.Update(current, columns, view_,
                                                allowance);
                          }));
  undo_.push_back({UndoEntry::kUpdate, static_cast<uint32_t>(t), id, change});
  return absl::OkStatus();
}

absl::Status MemoryTransaction::DoUpdate(size_t t, int64_t id,
                                         const BoundAssignments& set) {
  Version* current = store_->table(t).WriterVisible(id, view_);
  if (current == nullptr) return RowNotFound(schema(t), id);
  return UpdateRow(t, id, current, set);
}

absl::Status MemoryTransaction::DoDelete(size_t t, int64_t id) {
  MvccTable& table = store_->table(t);
  Version* current = table.WriterVisible(id, view_);
  if (current == nullptr) return RowNotFound(schema(t), id);
  table.End(current);
  undo_.push_back({UndoEntry::kEnd, static_cast<uint32_t>(t), id,
                   {current, nullptr, false}});
  return absl::OkStatus();
}

std::vector<int64_t> MemoryTransaction::MatchingIds(
    size_t t, const std::vector<BoundFilter>& where) {
  std::vector<int64_t> ids;
  store_->table(t).ForEachMatch(where, view_, [&](const RowView& row) {
    ids.push_back(row.id());
    return true;
  });
  // Rows are changed in id order, as SQLite's table scan does.
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::StatusOr<int64_t> MemoryTransaction::DoUpdateWhere(
    size_t t, const std::vector<BoundFilter>& where,
    const BoundAssignments& set) {
  const std::vector<int64_t> ids = MatchingIds(t, where);
  const size_t start = undo_.size();
  for (int64_t id : ids) {
    absl::Status s =
        UpdateRow(t, id, store_->table(t).WriterVisible(id, view_), set);
    if (!s.ok()) {
      UndoTo(start);
      return s;
    }
  }
  return static_cast<int64_t>(ids.size());
}

absl::StatusOr<int64_t> MemoryTransaction::DoDeleteWhere(
    size_t t, const std::vector<BoundFilter>& where) {
  const std::vector<int64_t> ids = MatchingIds(t, where);
  MvccTable& table = store_->table(t);
  for (int64_t id : ids) {
    Version* current = table.WriterVisible(id, view_);
    table.End(current);
    undo_.push_back({UndoEntry::kEnd, static_cast<uint32_t>(t), id,
                     {current, nullptr, false}});
  }
  return static_cast<int64_t>(ids.size());
}

absl::StatusOr<Row> MemoryTransaction::DoGet(size_t t, int64_t id) {
  std::optional<Row> row = store_->table(t).Get(id, view_);
  if (!row) return RowNotFound(schema(t), id);
  return std::move(*row);
}

absl::StatusOr<std::vector<Row>> MemoryTransaction::DoSelect(
    size_t t, const BoundQuery& q) {
  return store_->table(t).Select(q, view_);
}

absl::StatusOr<int64_t> MemoryTransaction::DoCount(
    size_t t, const std::vector<BoundFilter>& where) {
  return store_->table(t).Count(where, view_);
}

absl::StatusOr<int64_t> MemoryTransaction::DoCountDistinct(
    size_t t, size_t column, const std::vector<BoundFilter>& where) {
  absl::btree_set<Value, ValueLess> seen;
  store_->table(t).ForEachMatch(where, view_, [&](const RowView& row) {
    if (!row.Key(column).is_null()) seen.insert(row.Get(column));
    return true;
  });
  return static_cast<int64_t>(seen.size());
}

absl::StatusOr<Value> MemoryTransaction::DoSum(
    size_t t, size_t column, const std::vector<BoundFilter>& where) {
  int64_t sum = 0;
  bool any = false;
  bool overflow = false;
  store_->table(t).ForEachMatch(where, view_, [&](const RowView& row) {
    const KeyRef v = row.Key(column);
    if (v.is_null()) return true;
    any = true;
    overflow = __builtin_add_overflow(sum, v.number, &sum);
    return !overflow;
  });
  if (overflow) return IntegerOverflow();
  return any ? Value::Integer(sum) : Value::Null();
}

absl::StatusOr<std::vector<GroupCount>> MemoryTransaction::DoCountBy(
    size_t t, size_t column, const std::vector<BoundFilter>& where) {
  absl::btree_map<Value, int64_t, ValueLess> groups;
  store_->table(t).ForEachMatch(where, view_, [&](const RowView& row) {
    ++groups[row.Get(column)];
    return true;
  });
  std::vector<GroupCount> out;
  out.reserve(groups.size());
  for (auto& [key, count] : groups) out.push_back({key, count});
  return out;
}

absl::Status MemoryTransaction::DoSavepoint(size_t depth) {
  savepoints_.resize(depth);
  savepoints_.push_back(undo_.size());
  return absl::OkStatus();
}

absl::Status MemoryTransaction::DoRollbackTo(size_t depth) {
  UndoTo(savepoints_[depth]);
  savepoints_.resize(depth + 1);
  return absl::OkStatus();
}

absl::Status MemoryTransaction::DoRelease(size_t depth) {
  savepoints_.resize(depth);
  return absl::OkStatus();
}

void MemoryTransaction::UndoTo(size_t size) {
  while (undo_.size() > size) {
    const UndoEntry& e = undo_.back();
    MvccTable& table = store_->table(e.table);
    switch (e.kind) {
      case UndoEntry::kInsert:
        table.UndoInsert(e.change.head);
        break;
      case UndoEntry::kEnd:
        table.UndoEnd(e.change.head);
        break;
      case UndoEntry::kUpdate:
        table.UndoUpdate(e.change);
        break;
    }
    undo_.pop_back();
  }
}

absl::Status MemoryTransaction::DoCommit() {
  if (writer() && !undo_.empty()) {
    // Stamp every pending mark with the next timestamp, then publish it: a
    // snapshot taken before sees none of the commit whatever the stamps
    // say (version.h), one taken after sees all of it. The writer's view
    // is the last commit: no other commit can happen while it holds the
    // write slot.
    const uint64_t ts = view_.read_ts + 1;
    absl::InlinedVector<bool, 16> touched(store_->tables_.size(), false);
    for (const UndoEntry& e : undo_) {
      if (!touched[e.table]) store_->table(e.table).Committing(ts);
      touched[e.table] = true;
    }
    absl::InlinedVector<MemoryStore::Garbage, 4> garbage;
    for (const UndoEntry& e : undo_) {
      MvccTable& table = store_->table(e.table);
      bool ended = table.Stamp(e.change.head, ts);
      if (e.change.old != nullptr) ended |= table.Stamp(e.change.old, ts);
      if (ended) garbage.push_back({ts, e.table, e.id});
    }
    undo_.clear();
    store_->snapshots_.Publish(ts);
    store_->write_slot_.AssertHeld();  // a writer holds it from Begin on
    store_->Reclaim(garbage);
  }
  Finish();
  return absl::OkStatus();
}

void MemoryTransaction::DoRollback() {
  UndoTo(0);
  Finish();
}

}  // namespace viewer::internal
