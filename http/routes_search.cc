// The search route (the rules are app/search.h):
//
//   GET /search[.json]?q=        case-insensitive (ASCII) substring search
//                                over names and definitions (never secret
//                                values) and CID paths
#include <string>

#include "absl/strings/str_cat.h"
#include "app/search.h"
#include "http/internal/search_pages.h"
#include "http/internal/site.h"

namespace viewer::http_internal {
namespace {

void Search(const Site& site, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(
      ctx, SearchResults results,
      viewer::Search(*txn, site.cids(), ctx.Query("q").value_or("")));
  if (ctx.json) return ctx.Json(200, SearchJson(results));
  ctx.Page(results.query.empty() ? "Search"
                                 : absl::StrCat("Search: ", results.query),
           SearchHtml(results), "search");
}

}  // namespace

void AddSearchRoutes(Site& site, Router& r) {
  const Site* s = &site;
  r.Add("GET", "/search", kJsonSuffix | kPageView,
        [s](Ctx& c) { Search(*s, c); });
}

}  // namespace viewer::http_internal
