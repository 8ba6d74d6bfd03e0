// HTML and JSON for the history of page views.
//
//   ctx.Page("History", HistoryHtml(views, summary, "2024-01-01", ""),
//            "history");
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_INTERNAL_HISTORY_PAGES_H_
#define VIEWER_HTTP_INTERNAL_HISTORY_PAGES_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "app/page_views.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

// What the history page shows besides the views: distinct paths within
// the bounds, the most visited paths, and which viewed CIDs are the
// results of server runs (linked to /server_events?result=CID).
struct HistorySummary {
  int64_t unique_paths = 0;
  std::vector<PathCount> popular;
  absl::flat_hash_set<std::string> run_results;
};

// The CID a viewed path names ("/CID" or "/CID.ext"), or "".
std::string ViewedCid(absl::string_view path);

nlohmann::json HistoryJson(const PageViewPage& views,
                           const HistorySummary& summary);
// `start` and `end` as the user typed them, kept in the filter form and
// the pager's links.
std::string HistoryHtml(const PageViewPage& views,
                        const HistorySummary& summary, absl::string_view start,
                        absl::string_view end);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_HISTORY_PAGES_H_
