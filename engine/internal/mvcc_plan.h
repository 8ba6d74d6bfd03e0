// How an MvccTable answers a query: the access path (ids, the primary
// index, or one column's index), the key ranges it reads, whether rows
// come out in the query's order, and which filters the path answers
// exactly, so that they are not tested again on each row.
//
// Private to mvcc_plan.cc and mvcc_scan.cc.
#ifndef VIEWER_ENGINE_INTERNAL_MVCC_PLAN_H_
#define VIEWER_ENGINE_INTERNAL_MVCC_PLAN_H_

#include <optional>

#include "absl/container/inlined_vector.h"
#include "engine/internal/key_ref.h"
#include "engine/internal/mvcc_table.h"

namespace viewer::internal {

struct Bound {
  Value value;
  bool inclusive = true;
};

// Keys between lo and hi; an absent bound is open.
struct KeyRange {
  std::optional<Bound> lo;
  std::optional<Bound> hi;

  bool BelowHi(const KeyRef& key) const {
    if (!hi) return true;
    const int c = CompareKeys(key, KeyRef::Of(hi->value));
    return c < 0 || (c == 0 && hi->inclusive);
  }
  bool AboveLo(const KeyRef& key) const {
    if (!lo) return true;
    const int c = CompareKeys(key, KeyRef::Of(lo->value));
    return c > 0 || (c == 0 && lo->inclusive);
  }
  // True when no key lies between the bounds.
  bool Empty() const {
    if (!lo || !hi) return false;
    const int c = CompareValues(lo->value, hi->value);
    return c > 0 || (c == 0 && !(lo->inclusive && hi->inclusive));
  }
  // A single non-NULL key: [k, k].
  const Value* Point() const {
    if (!lo || !hi || lo->value.is_null() || !lo->inclusive ||
        !hi->inclusive || CompareValues(lo->value, hi->value) != 0) {
      return nullptr;
    }
    return &lo->value;
  }
};

// The order without redundant tail: columns after id cannot matter, and a
// final "id ASC" is the implicit tie-breaker.
using OrderList = absl::InlinedVector<BoundOrder, 2>;

struct MvccTable::Plan {
  enum Kind { kEmpty, kIds, kPrimary, kIndex };
  Kind kind = kPrimary;
  // Small inline vectors: a point lookup plans without allocating.
  absl::InlinedVector<int64_t, 2> ids;      // kIds, ascending, distinct
  size_t column = 0;                        // kIndex
  absl::InlinedVector<KeyRange, 1> ranges;  // kPrimary (one), kIndex
  bool descending = false;
  bool ordered = false;  // rows come out in the query's order
  OrderList order;
  // answered[i]: every row the path yields matches where[i].
  absl::InlinedVector<bool, 4> answered;

  bool AnswersAll() const {
    for (bool a : answered) {
      if (!a) return false;
    }
    return true;
  }
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_MVCC_PLAN_H_
