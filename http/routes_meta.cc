// Routes that describe the application itself:
//
//   GET /routes[.json|.txt|...]  every route: method, pattern, what it does,
//                                the formats it answers in
//   GET /api/routes              the same, JSON
//   GET /openapi.json            the routes as an OpenAPI 3.0 document
//   GET /meta/<path>             what a GET of /<path> would meet: a route,
//                                an alias rule (which alias, which line), an
//                                enabled server, a CID, or nothing; with
//                                Accept naming a data format, in that format
//   GET /api/meta/<path>         the same, JSON
//
// /meta asks the same functions the request itself would: the Router, the
// AliasResolver, ServerNameOf and IsRunnableServer, and the CID repository,
// in the fallback chain's order (Site::Fallback).
#include <string>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/server_runs.h"
#include "engine/status_macros.h"
#include "http/internal/openapi.h"
#include "http/internal/route_docs.h"
#include "http/internal/site.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

std::string RoutesHtml(const nlohmann::json& rows) {
  std::string html =
      "<h1>Routes</h1>\n<p>Every route viewer serves. As data: "
      "<a href=\"/routes.json\">JSON</a> · <a href=\"/routes.csv\">CSV</a> · "
      "<a href=\"/openapi.json\">OpenAPI</a>. What a path meets: "
      "<a href=\"/meta/\">/meta/&lt;path&gt;</a>.</p>\n<table>\n"
      "<tr><th>Method</th><th>Pattern</th><th>What it does</th>"
      "<th>Formats</th></tr>\n";
  for (const nlohmann::json& r : rows["routes"]) {
    absl::StrAppend(
        &html, "<tr><td>", HtmlEscape(r["method"].get<std::string>()),
        "</td><td><code>", HtmlEscape(r["pattern"].get<std::string>()),
        "</code></td><td>", HtmlEscape(r["summary"].get<std::string>()),
        "</td><td>", HtmlEscape(r["formats"].get<std::string>()),
        "</td></tr>\n");
  }
  absl::StrAppend(&html, "</table>\n");
  return html;
}

void Routes(const Router& router, Ctx& ctx) {
  const nlohmann::json rows = RouteList(router);
  if (ctx.json) return ctx.Json(200, rows);
  ctx.Page("Routes", RoutesHtml(rows), "");
}

// The route a GET of `path` meets, or null.
nlohmann::json RouteMeta(const Router& router, const std::string& path) {
  Router::Match match = router.Find("GET", path);
  if (match.kind == Router::Match::kNone) return nullptr;
  if (match.kind == Router::Match::kWrongMethod) {
    return {{"allow", match.allow},
            {"summary", absl::StrCat("a route for ", match.allow, " only")}};
  }
  const Route& route = *match.route;
  nlohmann::json j = {{"method", route.method},
                      {"pattern", OpenApiPath(route.pattern)},
                      {"summary", RouteSummary(route.method, route.pattern)},
                      {"args", match.args}};
  if (match.format) j["format"] = std::string(FormatSuffix(*match.format));
  return j;
}

absl::StatusOr<nlohmann::json> CidMeta(const Site& site, Transaction& txn,
                                       const std::string& path) {
  absl::StatusOr<CidReference> ref = ParseCidReference(path);
  if (!ref.ok()) return nullptr;
  absl::StatusOr<std::shared_ptr<const std::string>> bytes =
      site.cids().Get(txn, ref->cid.cid);
  nlohmann::json j = {{"cid", ref->cid.cid}, {"extension", ref->extension}};
  if (bytes.ok()) {
    j["found"] = true;
    j["size"] = (*bytes)->size();
  } else if (bytes.status().code() == absl::StatusCode::kNotFound ||
             bytes.status().code() == absl::StatusCode::kDataLoss) {
    j["found"] = false;
  } else {
    return bytes.status();
  }
  return j;
}

absl::StatusOr<nlohmann::json> DescribePath(const Site& site,
                                            const Router& router,
                                            const std::string& path) {
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, site.Read());
  nlohmann::json j = {{"path", path}};
  j["route"] = RouteMeta(router, path);
  VIEWER_ASSIGN_OR_RETURN(AliasResolution alias,
                          site.aliases().Explain(*txn, path));
  j["alias"] = nullptr;
  if (alias.matched) {
    j["alias"] = {{"name", alias.alias},
                  {"line", alias.line.line},
                  {"pattern", alias.line.rule ? alias.line.rule->pattern : ""},
                  {"target", alias.target}};
  }
  j["server"] = nullptr;
  if (std::optional<std::string> name = ServerNameOf(path)) {
    VIEWER_ASSIGN_OR_RETURN(bool runnable, IsRunnableServer(*txn, *name));
    if (runnable) j["server"] = {{"name", *name}};
  }
  VIEWER_ASSIGN_OR_RETURN(nlohmann::json cid, CidMeta(site, *txn, path));
  j["cid"] = std::move(cid);
  // The first that applies answers, as in Site::Handle and Site::Fallback.
  std::string meets = "nothing";
  if (!j["route"].is_null()) {
    meets = "route";
  } else if (!j["alias"].is_null()) {
    meets = "alias";
  } else if (!j["server"].is_null()) {
    meets = "server";
  } else if (!j["cid"].is_null() && j["cid"]["found"].get<bool>()) {
    meets = "cid";
  }
  j["meets"] = meets;
  return j;
}

std::string Row(absl::string_view label, const nlohmann::json& value) {
  return absl::StrCat("<tr><th>", label, "</th><td>",
                      value.is_null() ? "<span class=\"muted\">none</span>"
                                      : HtmlEscape(DumpJson(value)),
                      "</td></tr>\n");
}

std::string MetaHtml(const nlohmann::json& j) {
  const std::string path = j["path"].get<std::string>();
  return absl::StrCat(
      "<h1>What <code>", HtmlEscape(path), "</code> meets</h1>\n",
      "<p>A GET of <a href=\"", HtmlEscape(path), "\">", HtmlEscape(path),
      "</a> meets: <strong>", HtmlEscape(j["meets"].get<std::string>()),
      "</strong>. Fixed routes come first, then aliases, servers and CIDs "
      "(<a href=\"/routes\">all routes</a>).</p>\n<table>\n",
      Row("route", j["route"]), Row("alias", j["alias"]),
      Row("server", j["server"]), Row("cid", j["cid"]), "</table>\n");
}

void Meta(const Site& site, const Router& router, Ctx& ctx) {
  const std::string path = absl::StrCat("/", ctx.args.back());
  HTTP_ASSIGN_OR_FAIL(ctx, nlohmann::json j, DescribePath(site, router, path));
  if (ctx.json) return ctx.Json(200, j);
  ctx.Page(absl::StrCat("Meta ", path), MetaHtml(j), "");
}

}  // namespace

void AddMetaRoutes(Site& site, Router& r) {
  const Site* a = &site;
  const Router* router = &r;
  r.Add("GET", "/routes", kJsonSuffix | kPageView,
        [router](Ctx& c) { Routes(*router, c); });
  r.Add("GET", "/api/routes", kJsonOnly,
        [router](Ctx& c) { Routes(*router, c); });
  r.Add("GET", "/openapi.json", kJsonOnly,
        [router](Ctx& c) { c.Json(200, OpenApiDocument(*router)); });
  r.Add("GET", "/meta/{*}", kPageView,
        [a, router](Ctx& c) { Meta(*a, *router, c); });
  r.Add("GET", "/api/meta/{*}", kJsonOnly,
        [a, router](Ctx& c) { Meta(*a, *router, c); });
}

}  // namespace viewer::http_internal
