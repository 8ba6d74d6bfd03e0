// How an MvccTable answers a query: the access path (ids, the primary
// index, or one column's index), the key ranges it reads, whether rows
// come out in the query's order, and which filters the path answers
// exactly, so that they are not tested again on each row.
//
// Private to mvcc_plan.cc and mvcc_scan.cc.
//
// Thread safety: a Plan is a value made and used by one reader, under the
// table latch it planned with.
#ifndef VIEWER_ENGINE_INTERNAL_MVCC_PLAN_H_
#define VIEWER_ENGINE_INTERNAL_MVCC_PLAN_H_

#include <optional>

#include "absl/container/inlined_vector.h"
#include "engine/internal/column_index.h"
#include "engine/internal/mvcc_table.h"

namespace viewer::internal {

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
