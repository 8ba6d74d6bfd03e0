// Routes for what happened:
//
//   GET /history[.json]          page views, newest first; ?page=N (50 a
//                                page), ?start=, ?end= (inclusive; a date,
//                                or date and time, UTC: app/time_text.h);
//                                with the total, the distinct paths, the
//                                most visited paths, and for a viewed CID
//                                that a server run produced a link to the
//                                run (/server_events?result=CID)
//   GET /interactions.json       ?entity_type=server&entity_name=x[&limit=]
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/entities.h"
#include "app/interactions.h"
#include "app/invocations.h"
#include "app/page_views.h"
#include "app/time_text.h"
#include "engine/status_macros.h"
#include "http/internal/entity_pages.h"
#include "http/internal/history_pages.h"
#include "http/internal/site.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

constexpr int64_t kHistoryPerPage = 50;
constexpr int64_t kPopularShown = 10;
constexpr int64_t kInteractionsDefaultLimit = 100;

// The time bound in query parameter `key` (app/time_text.h), or nullopt
// when it is absent or empty.
absl::StatusOr<std::optional<Timestamp>> ParseBound(const Ctx& ctx,
                                                    const std::string& key,
                                                    bool is_end) {
  std::optional<std::string> value = ctx.Query(key);
  if (!value || value->empty()) return std::nullopt;
  return ParseTimeBound(key, *value, is_end);
}

// The totals and links the page shows besides the views of `views`.
absl::StatusOr<HistorySummary> Summarize(Transaction& txn,
                                         const PageViewPage& views,
                                         std::optional<Timestamp> start,
                                         std::optional<Timestamp> end) {
  HistorySummary summary;
  VIEWER_ASSIGN_OR_RETURN(summary.unique_paths,
                          CountDistinctPaths(txn, start, end));
  VIEWER_ASSIGN_OR_RETURN(summary.popular, PopularPaths(txn, kPopularShown));
  std::vector<std::string> cids;
  for (const PageView& p : views.views) {
    std::string cid = ViewedCid(p.path);
    if (!cid.empty()) cids.push_back(std::move(cid));
  }
  VIEWER_ASSIGN_OR_RETURN(std::vector<Invocation> runs,
                          InvocationsByResultCids(txn, cids));
  for (const Invocation& run : runs) summary.run_results.insert(run.result_cid);
  return summary;
}

void History(const Site& site, Ctx& ctx) {
  int64_t page = 1;
  if (std::optional<std::string> text = ctx.Query("page");
      text && !text->empty()) {
    if (!absl::SimpleAtoi(*text, &page) || page < 1) {
      return ctx.Error(400, absl::StrCat("page must be a whole number from 1, "
                                         "got '",
                                         *text, "'"));
    }
  }
  HTTP_ASSIGN_OR_FAIL(ctx, std::optional<Timestamp> start,
                      ParseBound(ctx, "start", false));
  HTTP_ASSIGN_OR_FAIL(ctx, std::optional<Timestamp> end,
                      ParseBound(ctx, "end", true));
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, PageViewPage views,
                      PageViews(*txn, page, kHistoryPerPage, start, end));
  HTTP_ASSIGN_OR_FAIL(ctx, HistorySummary summary,
                      Summarize(*txn, views, start, end));
  if (ctx.json) return ctx.Json(200, HistoryJson(views, summary));
  ctx.Page("History",
           HistoryHtml(views, summary, ctx.Query("start").value_or(""),
                       ctx.Query("end").value_or("")),
           "history");
}

void Interactions(const Site& site, Ctx& ctx) {
  std::optional<std::string> type = ctx.Query("entity_type");
  std::optional<std::string> name = ctx.Query("entity_name");
  if (!type || !name) {
    return ctx.Error(400, "entity_type and entity_name are both required");
  }
  std::optional<EntityKind> kind = ParseEntityKind(*type);
  if (!kind) {
    return ctx.Error(400,
                     "entity_type must be server, alias, variable or "
                     "secret");
  }
  int64_t limit = kInteractionsDefaultLimit;
  if (std::optional<std::string> text = ctx.Query("limit")) {
    if (!absl::SimpleAtoi(*text, &limit) || limit < 1 || limit > 1000) {
      return ctx.Error(400, "limit must be 1 to 1000");
    }
  }
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(
      ctx, std::vector<Interaction> list,
      RecentInteractions(*txn, EntityDisplayName(*kind), *name, limit));
  nlohmann::json items = nlohmann::json::array();
  for (const Interaction& i : list) items.push_back(InteractionJson(i));
  ctx.Json(200, {{"entity_type", std::string(EntityDisplayName(*kind))},
                 {"entity_name", *name},
                 {"interactions", items}});
}

}  // namespace

void AddHistoryRoutes(Site& site, Router& r) {
  const Site* s = &site;
  r.Add("GET", "/history", kJsonSuffix | kPageView,
        [s](Ctx& c) { History(*s, c); });
  r.Add("GET", "/interactions.json", kJsonOnly,
        [s](Ctx& c) { Interactions(*s, c); });
}

}  // namespace viewer::http_internal
