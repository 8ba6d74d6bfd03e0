// MvccTable reads: running a plan (mvcc_plan.cc) under a shared latch,
// and counting from the index alone when the table is settled.
#include <algorithm>
#include <limits>

#include "engine/internal/mvcc_plan.h"

namespace viewer::internal {
namespace {

constexpr int64_t kMinId = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();

// The ids of a primary-index range, as [lo, hi]; lo > hi when empty.
std::pair<int64_t, int64_t> IdSpan(const KeyRange& r) {
  int64_t lo = kMinId;
  int64_t hi = kMaxId;
  if (r.lo && !r.lo->value.is_null()) {
    lo = r.lo->value.integer();
    if (!r.lo->inclusive) {
      if (lo == kMaxId) return {1, 0};
      ++lo;
    }
  }
  if (r.hi) {
    hi = r.hi->value.integer();
    if (!r.hi->inclusive) {
      if (hi == kMinId) return {1, 0};
      --hi;
    }
  }
  return {lo, hi};
}

}  // namespace

const Version* MvccTable::FirstVisible(const Version* v, ReadView view) const {
  for (; v != nullptr; v = Older(v)) {
    if (v->VisibleTo(view)) return v;
    if (v->EndsBefore(view)) return nullptr;
  }
  return nullptr;
}

bool MvccTable::Settled(ReadView view) const {
  // Acquire: when the count is 0, the stamps that made it so are seen,
  // and changed_at_ was stored before them.
  return unsettled_.load(std::memory_order_acquire) == 0 &&
         changed_at_.load(std::memory_order_acquire) <= view.read_ts;
}

void MvccTable::Execute(const Plan& plan, const std::vector<BoundFilter>& where,
                        ReadView view, RowFn fn) const {
  // Returns false to stop.
  auto emit = [&](const Version* v) {
    if (v == nullptr) return true;
    for (size_t i = 0; i < where.size(); ++i) {
      if (!plan.answered[i] &&
          !Matches(where[i], format_.Get(v, where[i].column))) {
        return true;
      }
    }
    return fn(RowView(&format_, v));
  };
  auto visit_head = [&](int64_t, const Version* head)
                        ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return emit(FirstVisible(head, view));
  };

  switch (plan.kind) {
    case Plan::kEmpty:
      return;
    case Plan::kIds: {
      const size_t n = plan.ids.size();
      for (size_t i = 0; i < n; ++i) {
        const int64_t id = plan.ids[plan.descending ? n - 1 - i : i];
        if (const Version* head = primary_.Find(id)) {
          if (!visit_head(id, head)) return;
        }
      }
      return;
    }
    case Plan::kPrimary: {
      const auto [lo, hi] = IdSpan(plan.ranges[0]);
      primary_.ForEach(lo, hi, plan.descending, visit_head);
      return;
    }
    case Plan::kIndex:
      break;
  }

  const ColumnIndex& index = this->index(plan.column);
  // An entry points at the newest version holding its key; the row counts
  // for that key only where the version the view sees holds it too.
  auto visit = [&](const Version* holder) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    const Version* seen = FirstVisible(holder, view);
    if (seen != nullptr && seen != holder &&
        CompareKeys(format_.Key(seen, plan.column),
                    format_.Key(holder, plan.column)) != 0) {
      return true;
    }
    return emit(seen);
  };
  const size_t n = plan.ranges.size();
  for (size_t i = 0; i < n; ++i) {
    const KeyRange& r = plan.ranges[plan.descending ? n - 1 - i : i];
    const Value* key = r.Point();
    const bool go_on = key != nullptr
                           ? index.ForEachWithKey(KeyRef::Of(*key), visit)
                           : index.ForEachInRange(r, plan.descending, visit);
    if (!go_on) return;
  }
}

int64_t MvccTable::CountEntries(const Plan& plan) const {
  int64_t n = 0;
  switch (plan.kind) {
    case Plan::kEmpty:
      return 0;
    case Plan::kIds:
      for (int64_t id : plan.ids) n += primary_.Find(id) != nullptr;
      return n;
    case Plan::kPrimary: {
      const auto [lo, hi] = IdSpan(plan.ranges[0]);
      if (lo == kMinId && hi == kMaxId) return primary_.size();
      primary_.ForEach(lo, hi, false, [&](int64_t, const Version*) {
        ++n;
        return true;
      });
      return n;
    }
    case Plan::kIndex:
      break;
  }
  for (const KeyRange& r : plan.ranges) {
    n += index(plan.column).CountInRange(r);
  }
  return n;
}

std::optional<Row> MvccTable::Get(int64_t id, ReadView view) const {
  ReaderLatchLock lock(&latch_);
  const Version* head = primary_.Find(id);
  const Version* v = head == nullptr ? nullptr : FirstVisible(head, view);
  if (v == nullptr) return std::nullopt;
  return Row{format_.Decode(v)};
}

std::vector<Row> MvccTable::Select(const BoundQuery& q, ReadView view) const {
  std::vector<Row> rows;
  if (q.limit && *q.limit <= 4) rows.reserve(*q.limit);
  ReaderLatchLock lock(&latch_);
  const Plan plan = MakePlan(q.where, q.order_by);
  if (plan.ordered) {
    int64_t skip = q.offset;
    Execute(plan, q.where, view, [&](const RowView& row) {
      if (q.limit && static_cast<int64_t>(rows.size()) >= *q.limit) {
        return false;
      }
      if (skip > 0) {
        --skip;
        return true;
      }
      rows.push_back(Row{row.Decode()});
      return !q.limit || static_cast<int64_t>(rows.size()) < *q.limit;
    });
    return rows;
  }
  Execute(plan, q.where, view, [&](const RowView& row) {
    rows.push_back(Row{row.Decode()});
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

int64_t MvccTable::Count(const std::vector<BoundFilter>& where,
                         ReadView view) const {
  ReaderLatchLock lock(&latch_);
  const Plan plan = MakePlan(where, {});
  if (plan.AnswersAll() && Settled(view)) return CountEntries(plan);
  int64_t n = 0;
  Execute(plan, where, view, [&](const RowView&) {
    ++n;
    return true;
  });
  return n;
}

void MvccTable::ForEachMatch(const std::vector<BoundFilter>& where,
                             ReadView view, RowFn fn) const {
  ReaderLatchLock lock(&latch_);
  Execute(MakePlan(where, {}), where, view, fn);
}

int64_t MvccTable::VersionCount() const {
  ReaderLatchLock lock(&latch_);
  return primary_.size() + static_cast<int64_t>(older_.size());
}

}  // namespace viewer::internal
