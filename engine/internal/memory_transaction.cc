#include "engine/internal/memory_transaction.h"

#include <algorithm>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
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
    store_->ReleaseWriter();
  } else {
    store_->snapshots_.Close(snapshot_);
    store_->SnapshotClosed();
  }
}

absl::StatusOr<int64_t> MemoryTransaction::DoInsert(size_t t,
                                                    std::vector<Value> row) {
  MvccTable& table = store_->table(t);
  if (row[0].is_null()) {
    row[0] = Value::Integer(table.NextId(view_));
  } else if (table.WriterVisible(row[0].integer(), view_) != nullptr) {
    return UniqueViolation(schema(t), 0);
  }
  VIEWER_RETURN_IF_ERROR(table.CheckUnique(row, view_));
  const int64_t id = row[0].integer();
  VIEWER_ASSIGN_OR_RETURN(Version * v, Push(t, std::move(row), nullptr));
  undo_.push_back({true, static_cast<uint32_t>(t), id, v});
  return id;
}

absl::StatusOr<Version*> MemoryTransaction::Push(size_t t,
                                                std::vector<Value> values,
                                                Version* predecessor) {
  MvccTable& table = store_->table(t);
  absl::StatusOr<Version*> pushed = table.Push(&values, predecessor, 0);
  if (pushed.ok() ||
      pushed.status().code() != absl::StatusCode::kResourceExhausted) {
    return pushed;
  }
  // Old versions nobody can see any more may still be held: free them
  // before deciding the store is full.
  if (store_->garbage_count_.load() != 0) {
    store_->CollectGarbage(store_->snapshots_.Horizon());
    pushed = table.Push(&values, predecessor, 0);
    if (pushed.ok() ||
        pushed.status().code() != absl::StatusCode::kResourceExhausted) {
      return pushed;
    }
  }
  // Still full: the write may use the room this transaction's deletes
  // free, the committed rows it has deleted with their index entries (an
  // updated row's old version may share its blobs with the new one, so it
  // counts not).
  int64_t frees = 0;
  for (const UndoEntry& e : undo_) {
    MvccTable& owner = store_->table(e.table);
    if (!e.created && e.version->begin != kPending &&
        owner.WriterVisible(e.id, view_) == nullptr) {
      frees += owner.BytesFreedByDeleting(*e.version);
    }
  }
  if (frees == 0) return pushed;
  return table.Push(&values, predecessor, frees);
}

absl::Status MemoryTransaction::UpdateRow(size_t t, Version* current,
                                          const BoundAssignments& set) {
  MvccTable& table = store_->table(t);
  std::vector<Value> values = current->values;
  for (const Assignment& a : set) values[a.column] = a.value;
  VIEWER_RETURN_IF_ERROR(table.CheckUnique(values, view_));
  const int64_t id = values[0].integer();
  VIEWER_ASSIGN_OR_RETURN(Version * v, Push(t, std::move(values), current));
  undo_.push_back({false, static_cast<uint32_t>(t), id, current});
  undo_.push_back({true, static_cast<uint32_t>(t), id, v});
  return absl::OkStatus();
}

absl::Status MemoryTransaction::DoUpdate(size_t t, int64_t id,
                                         const BoundAssignments& set) {
  Version* current = store_->table(t).WriterVisible(id, view_);
  if (current == nullptr) return RowNotFound(schema(t), id);
  return UpdateRow(t, current, set);
}

absl::Status MemoryTransaction::DoDelete(size_t t, int64_t id) {
  MvccTable& table = store_->table(t);
  Version* current = table.WriterVisible(id, view_);
  if (current == nullptr) return RowNotFound(schema(t), id);
  table.End(current);
  undo_.push_back({false, static_cast<uint32_t>(t), id, current});
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MemoryTransaction::DoUpdateWhere(
    size_t t, const std::vector<BoundFilter>& where,
    const BoundAssignments& set) {
  MvccTable& table = store_->table(t);
  std::vector<int64_t> ids;
  table.ForEachMatch(where, view_, [&](const std::vector<Value>& row) {
    ids.push_back(row[0].integer());
    return true;
  });
  // Rows are changed in id order, as SQLite's table scan does.
  std::sort(ids.begin(), ids.end());
  const size_t start = undo_.size();
  for (int64_t id : ids) {
    absl::Status s = UpdateRow(t, table.WriterVisible(id, view_), set);
    if (!s.ok()) {
      UndoTo(start);
      return s;
    }
  }
  return static_cast<int64_t>(ids.size());
}

absl::StatusOr<int64_t> MemoryTransaction::DoDeleteWhere(
    size_t t, const std::vector<BoundFilter>& where) {
  MvccTable& table = store_->table(t);
  std::vector<int64_t> ids;
  table.ForEachMatch(where, view_, [&](const std::vector<Value>& row) {
    ids.push_back(row[0].integer());
    return true;
  });
  for (int64_t id : ids) {
    Version* current = table.WriterVisible(id, view_);
    table.End(current);
    undo_.push_back({false, static_cast<uint32_t>(t), id, current});
  }
  return static_cast<int64_t>(ids.size());
}

absl::StatusOr<Row> MemoryTransaction::DoGet(size_t t, int64_t id) {
  std::optional<std::vector<Value>> values = store_->table(t).Get(id, view_);
  if (!values) return RowNotFound(schema(t), id);
  return Row{std::move(*values)};
}

absl::StatusOr<std::vector<Row>> MemoryTransaction::DoSelect(
    size_t t, const BoundQuery& q) {
  return store_->table(t).Select(q, view_);
}

absl::StatusOr<int64_t> MemoryTransaction::DoCount(
    size_t t, const std::vector<BoundFilter>& where) {
  int64_t n = 0;
  store_->table(t).ForEachMatch(where, view_, [&](const std::vector<Value>&) {
    ++n;
    return true;
  });
  return n;
}

absl::StatusOr<int64_t> MemoryTransaction::DoCountDistinct(
    size_t t, size_t column, const std::vector<BoundFilter>& where) {
  absl::btree_set<Value, ValueLess> seen;
  store_->table(t).ForEachMatch(where, view_,
                                [&](const std::vector<Value>& row) {
                                  if (!row[column].is_null()) {
                                    seen.insert(row[column]);
                                  }
                                  return true;
                                });
  return static_cast<int64_t>(seen.size());
}

absl::StatusOr<Value> MemoryTransaction::DoSum(
    size_t t, size_t column, const std::vector<BoundFilter>& where) {
  int64_t sum = 0;
  bool any = false;
  bool overflow = false;
  store_->table(t).ForEachMatch(where, view_,
                                [&](const std::vector<Value>& row) {
                                  if (row[column].is_null()) return true;
                                  any = true;
                                  overflow = __builtin_add_overflow(
                                      sum, row[column].integer(), &sum);
                                  return !overflow;
                                });
  if (overflow) return IntegerOverflow();
  return any ? Value::Integer(sum) : Value::Null();
}

absl::StatusOr<std::vector<GroupCount>> MemoryTransaction::DoCountBy(
    size_t t, size_t column, const std::vector<BoundFilter>& where) {
  absl::btree_map<Value, int64_t, ValueLess> groups;
  store_->table(t).ForEachMatch(where, view_,
                                [&](const std::vector<Value>& row) {
                                  ++groups[row[column]];
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
    if (e.created) {
      table.UndoPush(e.id, e.version);
    } else {
      table.UndoEnd(e.version);
    }
    undo_.pop_back();
  }
}

absl::Status MemoryTransaction::DoCommit() {
  if (writer() && !undo_.empty()) {
    // Stamp every pending mark with the next timestamp while holding the
    // latches of the tables touched, then publish the timestamp: a reader
    // sees the whole commit or none of it.
    // The writer's view is the last commit: no other commit can happen
    // while it holds the write slot.
    const uint64_t ts = view_.read_ts + 1;
    std::vector<bool> touched(store_->tables_.size(), false);
    for (const UndoEntry& e : undo_) touched[e.table] = true;
    std::vector<MemoryStore::Garbage> garbage;
    for (size_t t = 0; t < touched.size(); ++t) {
      if (!touched[t]) continue;
      WriterLatchLock lock(&store_->table(t).latch());
      for (const UndoEntry& e : undo_) {
        if (e.table != t) continue;
        if (e.created) {
          MvccTable::StampBegin(e.version, ts);
        } else {
          MvccTable::StampEnd(e.version, ts);
          garbage.push_back({ts, t, e.id});
        }
      }
    }
    undo_.clear();
    store_->snapshots_.Publish(ts);
    store_->Reclaim(std::move(garbage));
  }
  Finish();
  return absl::OkStatus();
}

void MemoryTransaction::DoRollback() {
  UndoTo(0);
  Finish();
}

}  // namespace viewer::internal
