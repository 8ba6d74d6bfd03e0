// HTML and JSON for search results (app/search.h).
//
//   ctx.Page("Search: x", SearchHtml(results), "search");
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_INTERNAL_SEARCH_PAGES_H_
#define VIEWER_HTTP_INTERNAL_SEARCH_PAGES_H_

#include <string>

#include "app/search.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

nlohmann::json SearchJson(const SearchResults& results);
std::string SearchHtml(const SearchResults& results);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_SEARCH_PAGES_H_
