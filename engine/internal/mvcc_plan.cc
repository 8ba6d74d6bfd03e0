// MvccTable query planning: an index when a filter or the order fits,
// else the primary index.
#include "engine/internal/mvcc_plan.h"

#include <algorithm>

namespace viewer::internal {
namespace {

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

// A comparison with a NULL operand or an empty IN matches nothing.
bool MatchesNothing(const BoundFilter& f) {
  const bool null_operand = f.op != Op::kIn && f.op != Op::kIsNull &&
                            f.op != Op::kIsNotNull && f.value.is_null();
  const bool empty_in =
      f.op == Op::kIn && std::none_of(f.values.begin(), f.values.end(),
                                      [](const Value& v) { return !v.is_null(); });
  return null_operand || empty_in;
}

// The distinct non-NULL keys of a point filter, ascending.
absl::InlinedVector<Value, 1> PointKeys(const BoundFilter& f) {
  absl::InlinedVector<Value, 1> keys;
  if (f.op == Op::kEq) keys.push_back(f.value);
  if (f.op == Op::kIsNull) keys.push_back(Value::Null());
  if (f.op == Op::kIn) {
    for (const Value& v : f.values) {
      if (!v.is_null()) keys.push_back(v);
    }
    std::sort(keys.begin(), keys.end(), ValueLess());
    keys.erase(std::unique(keys.begin(), keys.end(),
                           [](const Value& a, const Value& b) {
                             return CompareValues(a, b) == 0;
                           }),
               keys.end());
  }
  return keys;
}

}  // namespace

MvccTable::Plan MvccTable::MakePlan(const std::vector<BoundFilter>& where,
                                    const std::vector<BoundOrder>& order) const {
  Plan plan;
  plan.order = Normalize(order);
  plan.ranges.push_back({});
  plan.answered.assign(where.size(), false);
  auto indexed = [&](size_t c) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return c == 0 || indexes_[c] != nullptr;
  };
  if (std::any_of(where.begin(), where.end(), MatchesNothing)) {
    plan.kind = Plan::kEmpty;
    plan.answered.assign(where.size(), true);
    return plan;
  }

  // Point lookups: id, then unique, then other indexed columns.
  int point = -1;
  int best = 0;
  int prefix = -1;
  int range = -1;
  for (size_t i = 0; i < where.size(); ++i) {
    const BoundFilter& f = where[i];
    if (!indexed(f.column)) continue;
    const bool is_point = f.op == Op::kEq || f.op == Op::kIn ||
                          (f.op == Op::kIsNull && f.column != 0);
    const int rank =
        f.column == 0 ? 3 : schema_->column(f.column).unique ? 2 : 1;
    if (is_point && rank > best) {
      best = rank;
      point = static_cast<int>(i);
    }
    if (f.op == Op::kPrefix && prefix < 0) prefix = static_cast<int>(i);
    if (IsRangeOp(f.op) &&
        (range < 0 || (f.column == 0 && where[range].column != 0))) {
      range = static_cast<int>(i);
    }
  }

  if (point >= 0) {
    const BoundFilter& f = where[point];
    const absl::InlinedVector<Value, 1> keys = PointKeys(f);
    if (f.column == 0) {
      plan.kind = Plan::kIds;
      for (const Value& k : keys) plan.ids.push_back(k.integer());
    } else {
      plan.kind = Plan::kIndex;
      plan.column = f.column;
      plan.ranges.clear();
      for (const Value& k : keys) {
        plan.ranges.push_back({Bound{k, true}, Bound{k, true}});
      }
    }
    plan.answered[point] = true;
  } else if (prefix >= 0) {
    // [prefix, PrefixUpperBound(prefix)) holds exactly the values of the
    // column's kind that start with the prefix (and no NULL).
    const BoundFilter& f = where[prefix];
    plan.kind = Plan::kIndex;
    plan.column = f.column;
    KeyRange& r = plan.ranges[0];
    r.lo = Bound{f.value, true};
    if (auto next = PrefixUpperBound(f.value.bytes())) {
      r.hi = Bound{SameKind(f.value, *next), false};
    }
    plan.answered[prefix] = true;
  } else if (range >= 0) {
    plan.column = where[range].column;
    plan.kind = plan.column == 0 ? Plan::kPrimary : Plan::kIndex;
    for (size_t i = 0; i < where.size(); ++i) {
      if (where[i].column == plan.column && IsRangeOp(where[i].op)) {
        Tighten(plan.ranges[0], where[i]);
        plan.answered[i] = true;
      }
    }
  } else if (!plan.order.empty() && indexed(plan.order[0].column)) {
    plan.column = plan.order[0].column;
    plan.kind = plan.column == 0 ? Plan::kPrimary : Plan::kIndex;
  }

  // Does the access path already yield the query's order?
  const size_t path_column = plan.kind == Plan::kIndex ? plan.column : 0;
  if (plan.order.empty()) {
    plan.ordered = path_column == 0;
  } else if (plan.order.size() == 1 && plan.order[0].column == path_column) {
    plan.ordered = true;
    plan.descending = plan.order[0].descending;
  }
  return plan;
}

}  // namespace viewer::internal
