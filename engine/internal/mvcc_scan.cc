// MvccTable reads: choosing an access path (an index when a filter or the
// order fits, else the primary map) and running it under a shared latch.
#include <algorithm>

#include "absl/container/inlined_vector.h"

#include "engine/internal/mvcc_table.h"

namespace viewer::internal {
namespace {

struct Bound {
  Value value;
  bool inclusive = true;
};

struct KeyRange {
  std::optional<Bound> lo;
  std::optional<Bound> hi;
};

bool IsRangeOp(Op op) {
  return op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe;
}

// Narrows `r` by a range filter on the same column.
void Tighten(KeyRange& r, const BoundFilter& f) {
  Bound b{f.value, f.op == Op::kLe || f.op == Op::kGe};
  if (f.op == Op::kGt || f.op == Op::kGe) {
    if (!r.lo || CompareValues(b.value, r.lo->value) > 0 ||
        (CompareValues(b.value, r.lo->value) == 0 && !b.inclusive)) {
      r.lo = b;
    }
  } else {
    if (!r.hi || CompareValues(b.value, r.hi->value) < 0 ||
        (CompareValues(b.value, r.hi->value) == 0 && !b.inclusive)) {
      r.hi = b;
    }
    // NULL is below every value and never matches a comparison.
    if (!r.lo) r.lo = Bound{Value::Null(), false};
  }
}

bool BelowHi(const Value& key, const KeyRange& r) {
  if (!r.hi) return true;
  int c = CompareValues(key, r.hi->value);
  return c < 0 || (c == 0 && r.hi->inclusive);
}

bool AboveLo(const Value& key, const KeyRange& r) {
  if (!r.lo) return true;
  int c = CompareValues(key, r.lo->value);
  return c > 0 || (c == 0 && r.lo->inclusive);
}

// The order without redundant tail: columns after id cannot matter, and a
// final "id ASC" is the implicit tie-breaker.
using OrderList = absl::InlinedVector<BoundOrder, 2>;

OrderList Normalize(const std::vector<BoundOrder>& order) {
  OrderList out;
  for (const BoundOrder& o : order) {
    out.push_back(o);
    if (o.column == 0) break;
  }
  if (!out.empty() && out.back().column == 0 && !out.back().descending) {
    out.pop_back();
  }
  return out;
}

}  // namespace

struct MvccTable::Plan {
  enum Kind { kEmpty, kIds, kPrimary, kIndex };
  Kind kind = kPrimary;
  // Small inline vectors: a point lookup plans without allocating.
  absl::InlinedVector<int64_t, 2> ids;  // kIds, ascending
  size_t column = 0;             // kIndex
  absl::InlinedVector<KeyRange, 1> ranges;  // kPrimary (one), kIndex
  bool descending = false;
  bool ordered = false;  // rows come out in the query's order
  OrderList order;
};

MvccTable::Plan MvccTable::MakePlan(const BoundQuery& q) const {
  Plan plan;
  plan.order = Normalize(q.order_by);
  plan.ranges.push_back({});
  auto indexed = [&](size_t c) { return c == 0 || indexes_[c] != nullptr; };

  // A comparison with a NULL operand or an empty IN matches nothing.
  for (const BoundFilter& f : q.where) {
    bool null_operand =
        (f.op != Op::kIn && f.op != Op::kIsNull && f.op != Op::kIsNotNull &&
         f.value.is_null());
    bool empty_in = f.op == Op::kIn &&
                    std::none_of(f.values.begin(), f.values.end(),
                                 [](const Value& v) { return !v.is_null(); });
    if (null_operand || empty_in) {
      plan.kind = Plan::kEmpty;
      return plan;
    }
  }

  // Point lookups: id, then unique, then other indexed columns.
  const BoundFilter* point = nullptr;
  int best = 0;
  for (const BoundFilter& f : q.where) {
    if (f.op != Op::kEq && f.op != Op::kIn && f.op != Op::kIsNull) continue;
    if (!indexed(f.column)) continue;
    if (f.op == Op::kIsNull && f.column == 0) continue;
    int rank = f.column == 0 ? 3 : schema_->column(f.column).unique ? 2 : 1;
    if (rank > best) {
      best = rank;
      point = &f;
    }
  }
  const BoundFilter* prefix = nullptr;
  const BoundFilter* range = nullptr;
  for (const BoundFilter& f : q.where) {
    if (!indexed(f.column)) continue;
    if (f.op == Op::kPrefix && !prefix) prefix = &f;
    if (IsRangeOp(f.op) && (!range || (f.column == 0 && range->column != 0))) {
      range = &f;
    }
  }

  if (point != nullptr) {
    absl::InlinedVector<Value, 1> keys;
    if (point->op == Op::kEq) keys.push_back(point->value);
    if (point->op == Op::kIsNull) keys.push_back(Value::Null());
    if (point->op == Op::kIn) {
      for (const Value& v : point->values) {
        if (!v.is_null()) keys.push_back(v);
      }
      std::sort(keys.begin(), keys.end(), ValueLess());
      keys.erase(std::unique(keys.begin(), keys.end(),
                             [](const Value& a, const Value& b) {
                               return CompareValues(a, b) == 0;
                             }),
                 keys.end());
    }
    if (point->column == 0) {
      plan.kind = Plan::kIds;
      for (const Value& k : keys) plan.ids.push_back(k.integer());
    } else {
      plan.kind = Plan::kIndex;
      plan.column = point->column;
      plan.ranges.clear();
      for (const Value& k : keys) {
        plan.ranges.push_back({Bound{k, true}, Bound{k, true}});
      }
    }
  } else if (prefix != nullptr) {
    plan.kind = prefix->column == 0 ? Plan::kPrimary : Plan::kIndex;
    plan.column = prefix->column;
    KeyRange& r = plan.ranges[0];
    r.lo = Bound{prefix->value, true};
    if (auto next = PrefixUpperBound(prefix->value.bytes())) {
      r.hi = Bound{SameKind(prefix->value, *next), false};
    }
  } else if (range != nullptr) {
    plan.kind = range->column == 0 ? Plan::kPrimary : Plan::kIndex;
    plan.column = range->column;
    for (const BoundFilter& f : q.where) {
      if (f.column == range->column && IsRangeOp(f.op)) {
        Tighten(plan.ranges[0], f);
      }
    }
  } else if (!plan.order.empty() && indexed(plan.order[0].column)) {
    plan.column = plan.order[0].column;
    plan.kind = plan.column == 0 ? Plan::kPrimary : Plan::kIndex;
  }

  // Does the access path already yield the query's order?
  size_t path_column = plan.kind == Plan::kIndex ? plan.column : 0;
  if (plan.order.empty()) {
    plan.ordered = path_column == 0;
  } else if (plan.order.size() == 1 && plan.order[0].column == path_column) {
    plan.ordered = true;
    plan.descending = plan.order[0].descending;
  }
  return plan;
}

const Version* MvccTable::VisibleLocked(int64_t id, ReadView view) const {
  auto it = rows_.find(id);
  return it == rows_.end() ? nullptr : it->second->VisibleTo(view);
}

void MvccTable::Execute(const Plan& plan, const std::vector<BoundFilter>& where,
                        ReadView view, RowFn fn) const {
  auto emit = [&](const Version* v) {
    return v == nullptr || !MatchesAll(where, v->values) || fn(v->values);
  };

  switch (plan.kind) {
    case Plan::kEmpty:
      return;
    case Plan::kIds: {
      auto visit = [&](int64_t id) { return emit(VisibleLocked(id, view)); };
      if (plan.descending) {
        for (auto it = plan.ids.rbegin(); it != plan.ids.rend(); ++it) {
          if (!visit(*it)) return;
        }
      } else {
        for (int64_t id : plan.ids) {
          if (!visit(id)) return;
        }
      }
      return;
    }
    case Plan::kPrimary: {
      const KeyRange& r = plan.ranges[0];
      auto first = rows_.begin();
      auto last = rows_.end();
      if (r.lo && r.lo->value.kind() == ValueKind::kInteger) {
        first = r.lo->inclusive ? rows_.lower_bound(r.lo->value.integer())
                                : rows_.upper_bound(r.lo->value.integer());
      }
      if (r.hi) {
        last = r.hi->inclusive ? rows_.upper_bound(r.hi->value.integer())
                               : rows_.lower_bound(r.hi->value.integer());
      }
      // Empty unless `first` comes before `last` (a range like id > 9 AND
      // id < 3 gives first after last).
      if (first == rows_.end() ||
          (last != rows_.end() && !(first->first < last->first))) {
        return;
      }
      if (plan.descending) {
        for (auto it = last; it != first;) {
          --it;
          if (!emit(it->second->VisibleTo(view))) return;
        }
      } else {
        for (auto it = first; it != last; ++it) {
          if (!emit(it->second->VisibleTo(view))) return;
        }
      }
      return;
    }
    case Plan::kIndex:
      break;
  }

  const ColumnIndex& column_index = *indexes_[plan.column];
  const ColumnIndex::Ordered& index = column_index.ordered();
  // An index entry may be stale (an older version's key): the row counts
  // only where its visible version holds that key.
  auto visit_version = [&](const Version* v, const Value& key) {
    if (v == nullptr || CompareValues(v->values[plan.column], key) != 0) {
      return true;
    }
    return emit(v);
  };
  auto visit = [&](const IndexEntry& e) {
    return visit_version(e.chain->VisibleTo(view), e.key);
  };
  auto range_begin = [&](const KeyRange& r) {
    if (!r.lo) return index.begin();
    return r.lo->inclusive ? index.lower_bound(IndexEntry{r.lo->value, INT64_MIN})
                           : index.upper_bound(IndexEntry{r.lo->value, INT64_MAX});
  };
  auto range_end = [&](const KeyRange& r) {
    if (!r.hi) return index.end();
    return r.hi->inclusive ? index.upper_bound(IndexEntry{r.hi->value, INT64_MAX})
                           : index.lower_bound(IndexEntry{r.hi->value, INT64_MIN});
  };
  // A point range on a UNIQUE column is answered by the hash map.
  auto point = [&](const KeyRange& r) -> const Value* {
    if (!column_index.hashed() || !r.lo || !r.hi || r.lo->value.is_null() ||
        !r.lo->inclusive || !r.hi->inclusive ||
        CompareValues(r.lo->value, r.hi->value) != 0) {
      return nullptr;
    }
    return &r.lo->value;
  };
  auto visit_point = [&](const Value& key) {
    const ColumnIndex::Ids* ids = column_index.IdsWithKey(key);
    if (ids == nullptr) return true;
    for (const ColumnIndex::RowRef& ref : *ids) {
      if (!visit_version(ref.chain->VisibleTo(view), key)) return false;
    }
    return true;
  };
  if (!plan.descending) {
    for (const KeyRange& r : plan.ranges) {
      if (const Value* key = point(r)) {
        if (!visit_point(*key)) return;
        continue;
      }
      for (auto it = range_begin(r); it != index.end() && BelowHi(it->key, r);
           ++it) {
        if (!visit(*it)) return;
      }
    }
    return;
  }
  // Descending by key, but ids ascending within one key: walk backwards
  // and replay each run of equal keys forwards.
  for (auto r = plan.ranges.rbegin(); r != plan.ranges.rend(); ++r) {
    if (const Value* key = point(*r)) {
      if (!visit_point(*key)) return;
      continue;
    }
    auto first = range_begin(*r);
    auto it = range_end(*r);
    std::vector<const IndexEntry*> run;
    auto flush = [&] {
      for (auto e = run.rbegin(); e != run.rend(); ++e) {
        if (!visit(**e)) return false;
      }
      run.clear();
      return true;
    };
    while (it != first) {
      --it;
      if (!AboveLo(it->key, *r)) break;
      if (!run.empty() && CompareValues(it->key, run.back()->key) != 0 &&
          !flush()) {
        return;
      }
      run.push_back(&*it);
    }
    if (!run.empty() && !flush()) return;
  }
}

std::optional<std::vector<Value>> MvccTable::Get(int64_t id,
                                                 ReadView view) const {
  ReaderLatchLock lock(&latch_);
  const Version* v = VisibleLocked(id, view);
  if (v == nullptr) return std::nullopt;
  return v->values;
}

std::vector<Row> MvccTable::Select(const BoundQuery& q, ReadView view) const {
  std::vector<Row> rows;
  if (q.limit && *q.limit <= 4) rows.reserve(*q.limit);
  ReaderLatchLock lock(&latch_);
  Plan plan = MakePlan(q);
  if (plan.ordered) {
    int64_t skip = q.offset;
    Execute(plan, q.where, view, [&](const std::vector<Value>& values) {
      if (q.limit && static_cast<int64_t>(rows.size()) >= *q.limit) {
        return false;
      }
      if (skip > 0) {
        --skip;
        return true;
      }
      rows.push_back(Row{values});
      return !q.limit || static_cast<int64_t>(rows.size()) < *q.limit;
    });
    return rows;
  }
  Execute(plan, q.where, view, [&](const std::vector<Value>& values) {
    rows.push_back(Row{values});
    return true;
  });
  auto before = [&](const Row& a, const Row& b) {
    return RowBefore(plan.order, a.values, b.values);
  };
  const int64_t total = static_cast<int64_t>(rows.size());
  const int64_t start = std::min(q.offset, total);
  // limit may be anything up to INT64_MAX: compare, never add.
  const int64_t stop =
      q.limit && *q.limit < total - start ? start + *q.limit : total;
  if (stop < total) {
    std::partial_sort(rows.begin(), rows.begin() + stop, rows.end(), before);
  } else {
    std::sort(rows.begin(), rows.end(), before);
  }
  rows.erase(rows.begin() + stop, rows.end());
  rows.erase(rows.begin(), rows.begin() + start);
  return rows;
}

void MvccTable::ForEachMatch(const std::vector<BoundFilter>& where,
                             ReadView view, RowFn fn) const {
  ReaderLatchLock lock(&latch_);
  BoundQuery q;
  q.where = where;
  Execute(MakePlan(q), where, view, fn);
}

int64_t MvccTable::CountVisible(ReadView view) const {
  ReaderLatchLock lock(&latch_);
  int64_t n = 0;
  for (const auto& [id, chain] : rows_) {
    if (chain->VisibleTo(view) != nullptr) ++n;
  }
  return n;
}

int64_t MvccTable::VersionCount() const {
  ReaderLatchLock lock(&latch_);
  int64_t n = 0;
  for (const auto& [id, chain] : rows_) {
    for (const Version* v = chain->head.get(); v; v = v->older.get()) ++n;
  }
  return n;
}

}  // namespace viewer::internal
