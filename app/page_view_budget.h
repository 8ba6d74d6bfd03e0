// PageViewBudget: keeps the page_view table of a memory store with a byte
// limit (--max-memory) within a share of that limit, so that a flood of
// requests cannot crowd out what users store. When page views hold more
// than their share, the oldest are deleted (lowest ids first) down to three
// quarters of it; the number deleted is counted for /status. Entities,
// CIDs and every other table are never touched.
//
//   PageViewBudget budget(limit / 4);  // 0: no budget, nothing is deleted
//   ... after each page view is committed:
//   absl::Status s = budget.AfterSave(store);
//   budget.evicted();  // page views deleted so far
//
// Thread safety: AfterSave and evicted may be called from many threads; one
// trim runs at a time.
#ifndef VIEWER_APP_PAGE_VIEW_BUDGET_H_
#define VIEWER_APP_PAGE_VIEW_BUDGET_H_

#include <atomic>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/mutex.h"
#include "engine/store.h"

namespace viewer {

// The share of a memory store's byte limit page views may hold.
inline constexpr int64_t kPageViewShareDivisor = 4;  // a quarter

class PageViewBudget {
 public:
  // `max_bytes`: what page_view may hold; 0 or less: no budget.
  explicit PageViewBudget(int64_t max_bytes) : max_bytes_(max_bytes) {}
  PageViewBudget(const PageViewBudget&) = delete;
  PageViewBudget& operator=(const PageViewBudget&) = delete;

  // To be called after each page view is committed. Every kCheckEvery
  // calls, reads the store's figures and trims page_view when it holds more
  // than max_bytes. The store's errors (the page view is already saved).
  absl::Status AfterSave(Store& store) ABSL_LOCKS_EXCLUDED(trim_mutex_);

  int64_t max_bytes() const { return max_bytes_; }
  // Page views deleted to keep within the budget since this was made.
  int64_t evicted() const { return evicted_.load(); }

  // How often AfterSave looks at the figures: a page view is a few hundred
  // bytes at most, so the table passes its share by a few KiB at most.
  static constexpr int64_t kCheckEvery = 16;

 private:
  absl::Status Trim(Store& store) ABSL_EXCLUSIVE_LOCKS_REQUIRED(trim_mutex_);

  const int64_t max_bytes_;
  std::atomic<int64_t> saves_{0};
  std::atomic<int64_t> evicted_{0};
  Mutex trim_mutex_;
};

// Deletes the `count` oldest page views (lowest ids); returns how many were
// deleted. kInvalidArgument for a negative count.
absl::StatusOr<int64_t> DeleteOldestPageViews(Transaction& txn, int64_t count);

}  // namespace viewer

#endif  // VIEWER_APP_PAGE_VIEW_BUDGET_H_
