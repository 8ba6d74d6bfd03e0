// Routes around the content:
//
//   GET /                        home: mode, counts per kind, recent CIDs,
//                                a memory bar past 80% of --max-memory
//   GET /history[.json]          page views, newest first; ?page=N (50 a
//                                page), ?start=, ?end= (inclusive; a date,
//                                or date and time, UTC)
//   GET /interactions.json       ?entity_type=server&entity_name=x[&limit=]
//   GET /search[.json]?q=        case-insensitive (ASCII) substring search
//                                over names and definitions (never secret
//                                values) and CID paths
//   GET /status[.json]           mode, database, cids folder, rows and
//                                bytes per table, bytes used and the
//                                limit (--max-memory), uptime, version
//   GET /static/style.css        the stylesheet
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "app/entities.h"
#include "app/interactions.h"
#include "app/page_views.h"
#include "app/search.h"
#include "app/time_text.h"
#include "http/config.h"
#include "http/internal/app.h"
#include "http/internal/entity_pages.h"
#include "http/internal/misc_pages.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

constexpr int64_t kHistoryPerPage = 50;
constexpr int64_t kHomeRecentCids = 10;
constexpr int64_t kInteractionsDefaultLimit = 100;

void Stylesheet(Ctx& ctx) {
  ctx.res.status = 200;
  ctx.res.set_header("Cache-Control", "public, max-age=3600");
  ctx.res.set_content(std::string(viewer::Stylesheet()), "text/css; charset=utf-8");
}

void Home(const App& app, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, app.Read());
  HomeData data;
  data.memory_mode = app.options().memory_mode;
  data.database = app.store().Describe();
  for (EntityKind kind : kAllEntityKinds) {
    HTTP_ASSIGN_OR_FAIL(ctx, int64_t n, CountEntities(*txn, kind));
    data.counts.emplace_back(std::string(EntityPluralName(kind)), n);
  }
  HTTP_ASSIGN_OR_FAIL(ctx, data.stored_cids, app.cids().Count(*txn));
  if (app.options().cids != nullptr) {
    data.folder_cids = static_cast<int64_t>(app.options().cids->file_count());
  }
  HTTP_ASSIGN_OR_FAIL(ctx, data.recent,
                      app.cids().Recent(*txn, kHomeRecentCids));
  data.read_only = app.options().read_only;
  if (app.byte_limit() > 0) {
    HTTP_ASSIGN_OR_FAIL(ctx, StoreStats stats, app.store().Stats());
    data.bytes_used = stats.bytes_used;
    data.byte_limit = stats.byte_limit;
  }
  if (ctx.json) return ctx.Json(200, HomeJson(data));
  ctx.Page("Home", HomeHtml(data), "home");
}

// The time bound in query parameter `key` (app/time_text.h), or nullopt
// when it is absent or empty.
absl::StatusOr<std::optional<Timestamp>> ParseBound(const Ctx& ctx,
                                                    const std::string& key,
                                                    bool is_end) {
  std::optional<std::string> value = ctx.Query(key);
  if (!value || value->empty()) return std::nullopt;
  return ParseTimeBound(key, *value, is_end);
}

void History(const App& app, Ctx& ctx) {
  int64_t page = 1;
  if (std::optional<std::string> text = ctx.Query("page");
      text && !text->empty()) {
    if (!absl::SimpleAtoi(*text, &page) || page < 1) {
      return ctx.Error(400, absl::StrCat("page must be a whole number from 1, "
                                         "got '", *text, "'"));
    }
  }
  HTTP_ASSIGN_OR_FAIL(ctx, std::optional<Timestamp> start,
                      ParseBound(ctx, "start", false));
  HTTP_ASSIGN_OR_FAIL(ctx, std::optional<Timestamp> end,
                      ParseBound(ctx, "end", true));
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, app.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, PageViewPage views,
                      PageViews(*txn, page, kHistoryPerPage, start, end));
  if (ctx.json) return ctx.Json(200, HistoryJson(views));
  ctx.Page("History",
           HistoryHtml(views, ctx.Query("start").value_or(""),
                       ctx.Query("end").value_or("")),
           "history");
}

void Interactions(const App& app, Ctx& ctx) {
  std::optional<std::string> type = ctx.Query("entity_type");
  std::optional<std::string> name = ctx.Query("entity_name");
  if (!type || !name) {
    return ctx.Error(400, "entity_type and entity_name are both required");
  }
  std::optional<EntityKind> kind = ParseEntityKind(*type);
  if (!kind) {
    return ctx.Error(400, "entity_type must be server, alias, variable or "
                          "secret");
  }
  int64_t limit = kInteractionsDefaultLimit;
  if (std::optional<std::string> text = ctx.Query("limit")) {
    if (!absl::SimpleAtoi(*text, &limit) || limit < 1 || limit > 1000) {
      return ctx.Error(400, "limit must be 1 to 1000");
    }
  }
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, app.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, std::vector<Interaction> list,
                      RecentInteractions(*txn, EntityDisplayName(*kind), *name,
                                         limit));
  nlohmann::json items = nlohmann::json::array();
  for (const Interaction& i : list) items.push_back(InteractionJson(i));
  ctx.Json(200, {{"entity_type", std::string(EntityDisplayName(*kind))},
                 {"entity_name", *name},
                 {"interactions", items}});
}

void Search(const App& app, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, app.Read());
  HTTP_ASSIGN_OR_FAIL(
      ctx, SearchResults results,
      viewer::Search(*txn, app.cids(), ctx.Query("q").value_or("")));
  if (ctx.json) return ctx.Json(200, SearchJson(results));
  ctx.Page(results.query.empty() ? "Search"
                                 : absl::StrCat("Search: ", results.query),
           SearchHtml(results), "search");
}

void Status(const App& app, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, StoreStats stats, app.store().Stats());
  StatusData data{.memory_mode = app.options().memory_mode,
                  .read_only = app.options().read_only,
                  .database = app.store().Describe(),
                  .version = std::string(ViewerVersion()),
                  .started_at = app.started_at(),
                  .now = app.clock().Now(),
                  .folder = app.options().cids,
                  .stats = std::move(stats)};
  if (ctx.json) return ctx.Json(200, StatusJson(data));
  ctx.Page("Status", StatusHtml(data), "status");
}

}  // namespace

void AddMiscRoutes(App& app, Router& r) {
  const App* a = &app;
  r.Add("GET", kStylesheetPath, kNoFlags, Stylesheet);
  r.Add("GET", "/", kPageView, [a](Ctx& c) { Home(*a, c); });
  r.Add("GET", "/history", kJsonSuffix | kPageView,
        [a](Ctx& c) { History(*a, c); });
  r.Add("GET", "/interactions.json", kJsonOnly,
        [a](Ctx& c) { Interactions(*a, c); });
  r.Add("GET", "/search", kJsonSuffix | kPageView,
        [a](Ctx& c) { Search(*a, c); });
  r.Add("GET", "/status", kJsonSuffix | kPageView,
        [a](Ctx& c) { Status(*a, c); });
}

}  // namespace viewer::http_internal
