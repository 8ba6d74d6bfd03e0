// Page views: one row per request served (table page_view; the plan's
// db_access page_views module).
//
//   VIEWER_RETURN_IF_ERROR(
//       SavePageView(txn, {.path = "/servers", .user_agent = ua,
//                          .ip_address = ip}).status());
//   VIEWER_ASSIGN_OR_RETURN(int64_t today,
//                           CountPageViews(txn, midnight, std::nullopt));
//   VIEWER_ASSIGN_OR_RETURN(std::vector<PathCount> top, PopularPaths(txn, 10));
//   VIEWER_ASSIGN_OR_RETURN(PageViewPage page,
//                           PageViews(txn, 2, 50, std::nullopt, std::nullopt));
//
// Time bounds are inclusive on both ends; nullopt leaves that end open.
// Nothing is committed here: the caller commits.
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_PAGE_VIEWS_H_
#define VIEWER_APP_PAGE_VIEWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/store.h"
#include "engine/value.h"

namespace viewer {

// Largest per_page PageViews accepts.
inline constexpr int64_t kMaxPageViewsPerPage = 1000;

struct PageViewInput {
  std::string path;
  std::string method = "GET";
  std::optional<std::string> user_agent;
  std::optional<std::string> ip_address;
};

// One row of page_view. A NULL viewed_at (only in a database written by
// something else) reads as Timestamp{0}.
struct PageView {
  int64_t id = 0;
  std::string path;
  std::optional<std::string> method;
  std::optional<std::string> user_agent;
  std::optional<std::string> ip_address;
  Timestamp viewed_at;

  friend bool operator==(const PageView& a, const PageView& b) = default;
};

struct PathCount {
  std::string path;
  int64_t count = 0;

  friend bool operator==(const PathCount& a, const PathCount& b) = default;
};

// One page of PageViews.
struct PageViewPage {
  std::vector<PageView> views;  // newest first
  int64_t total = 0;            // views within the bounds, on all pages
  int64_t page = 1;             // 1-based, as asked
  int64_t per_page = 0;

  // Pages needed for `total` (0 when there is no view).
  int64_t pages() const { return (total + per_page - 1) / per_page; }
  friend bool operator==(const PageViewPage& a,
                         const PageViewPage& b) = default;
};

// Records one view (viewed_at = now) and returns the row as stored.
absl::StatusOr<PageView> SavePageView(Transaction& txn,
                                      const PageViewInput& input);

// Views with start <= viewed_at <= end.
absl::StatusOr<int64_t> CountPageViews(Transaction& txn,
                                       std::optional<Timestamp> start,
                                       std::optional<Timestamp> end);
// Distinct paths among those views.
absl::StatusOr<int64_t> CountDistinctPaths(Transaction& txn,
                                           std::optional<Timestamp> start,
                                           std::optional<Timestamp> end);

// The `limit` most viewed paths with their counts: most views first, then
// path ascending (bytewise). kInvalidArgument for a negative limit.
absl::StatusOr<std::vector<PathCount>> PopularPaths(Transaction& txn,
                                                    int64_t limit);

// Page `page` (1-based) of the views within the bounds, `per_page` per
// page, newest first (viewed_at descending, then id descending). A page
// past the end is empty. kInvalidArgument when page < 1 or per_page is not
// in 1..kMaxPageViewsPerPage.
absl::StatusOr<PageViewPage> PageViews(Transaction& txn, int64_t page,
                                       int64_t per_page,
                                       std::optional<Timestamp> start,
                                       std::optional<Timestamp> end);

}  // namespace viewer

#endif  // VIEWER_APP_PAGE_VIEWS_H_
