// Routes for the home page, the status page and the stylesheet:
//
//   GET /                        home: mode, counts per kind, recent CIDs,
//                                a memory bar past 80% of --max-memory
//   GET /status[.json]           mode, database, cids folder, rows and
//                                bytes per table, bytes used and the
//                                limit (--max-memory), uptime, version
//   GET /static/style.css        the stylesheet
#include <string>

#include "absl/strings/str_cat.h"
#include "app/entities.h"
#include "http/config.h"
#include "http/internal/home_pages.h"
#include "http/internal/site.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

constexpr int64_t kHomeRecentCids = 10;

void Stylesheet(Ctx& ctx) {
  ctx.res.status = 200;
  ctx.res.set_header("Cache-Control", "public, max-age=3600");
  ctx.res.set_content(std::string(viewer::Stylesheet()),
                      "text/css; charset=utf-8");
}

void Home(const Site& site, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HomeData data;
  data.mode = site.store_mode();
  data.database = site.store().Describe();
  for (EntityKind kind : kAllEntityKinds) {
    HTTP_ASSIGN_OR_FAIL(ctx, int64_t n, CountEntities(*txn, kind));
    data.counts.emplace_back(std::string(EntityPluralName(kind)), n);
  }
  HTTP_ASSIGN_OR_FAIL(ctx, data.stored_cids, site.cids().Count(*txn));
  if (site.options().cids != nullptr) {
    data.folder_cids = static_cast<int64_t>(site.options().cids->file_count());
  }
  HTTP_ASSIGN_OR_FAIL(ctx, data.recent,
                      site.cids().Recent(*txn, kHomeRecentCids));
  data.read_only = site.options().read_only;
  if (site.byte_limit() > 0) {
    HTTP_ASSIGN_OR_FAIL(ctx, StoreStats stats, site.store().Stats());
    data.bytes_used = stats.bytes_used;
    data.byte_limit = stats.byte_limit;
  }
  if (ctx.json) return ctx.Json(200, HomeJson(data));
  ctx.Page("Home", HomeHtml(data), "home");
}

void Status(const Site& site, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, StoreStats stats, site.store().Stats());
  StatusData data{.mode = site.store_mode(),
                  .read_only = site.options().read_only,
                  .database = site.store().Describe(),
                  .version = std::string(ViewerVersion()),
                  .started_at = site.started_at(),
                  .now = site.clock().Now(),
                  .folder = site.options().cids,
                  .stats = std::move(stats),
                  .page_view_budget = site.page_view_budget().max_bytes(),
                  .page_views_evicted = site.page_view_budget().evicted()};
  if (ctx.json) return ctx.Json(200, StatusJson(data));
  ctx.Page("Status", StatusHtml(data), "status");
}

}  // namespace

void AddHomeRoutes(Site& site, Router& r) {
  const Site* s = &site;
  r.Add("GET", kStylesheetPath, kNoFlags, Stylesheet);
  r.Add("GET", "/", kPageView, [s](Ctx& c) { Home(*s, c); });
  r.Add("GET", "/status", kJsonSuffix | kPageView,
        [s](Ctx& c) { Status(*s, c); });
}

}  // namespace viewer::http_internal
