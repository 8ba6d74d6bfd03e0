// HTML and JSON for the history of page views.
//
//   ctx.Page("History", HistoryHtml(views, "2024-01-01", ""), "history");
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_INTERNAL_HISTORY_PAGES_H_
#define VIEWER_HTTP_INTERNAL_HISTORY_PAGES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "app/page_views.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

nlohmann::json HistoryJson(const PageViewPage& views);
// `start` and `end` as the user typed them, kept in the filter form and
// the pager's links.
std::string HistoryHtml(const PageViewPage& views, absl::string_view start,
                        absl::string_view end);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_HISTORY_PAGES_H_
