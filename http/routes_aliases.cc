// Routes of the alias language (app/alias_resolver.h, docs/aliases.md):
//
//   GET /aliases/match-preview[.json]?path=P   which rule of which alias
//                                              P meets and where it leads
//
// Registered before the entity routes, so "match-preview" is not an
// alias's name (the name is reserved).
#include <string>

#include "app/alias_resolver.h"
#include "http/internal/alias_pages.h"
#include "http/internal/site.h"

namespace viewer::http_internal {
namespace {

void MatchPreview(const Site& site, Ctx& ctx) {
  std::string path = ctx.Query("path").value_or("");
  if (!path.empty() && path[0] != '/') path.insert(0, "/");
  AliasResolution resolution;
  resolution.path = path;
  if (!path.empty()) {
    HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
    HTTP_ASSIGN_OR_FAIL(ctx, resolution, site.aliases().Explain(*txn, path));
  }
  if (ctx.json) return ctx.Json(200, MatchPreviewJson(resolution));
  ctx.Page("Alias match preview", MatchPreviewHtml(resolution), "aliases");
}

}  // namespace

void AddAliasRoutes(Site& site, Router& r) {
  const Site* s = &site;
  r.Add("GET", "/aliases/match-preview", kJsonSuffix | kPageView,
        [s](Ctx& ctx) { MatchPreview(*s, ctx); });
}

}  // namespace viewer::http_internal
