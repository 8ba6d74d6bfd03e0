#include "http/internal/route_docs.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "app/entities.h"
#include "http/internal/router.h"

namespace viewer::http_internal {
namespace {

using Table = absl::flat_hash_map<std::string, absl::string_view>;

const Table& Summaries() {
  static const Table* table = new Table({
      {"GET /", "home: counts per kind, recent CIDs, memory use"},
      {"GET /status", "mode, database, rows and bytes per table, uptime"},
      {"GET /static/style.css", "the stylesheet"},
      {"GET /history", "page views, newest first (?page, ?start, ?end)"},
      {"GET /interactions.json",
       "changes to one entity (?entity_type, ?entity_name, ?limit)"},
      {"GET /search", "search names, definitions and CID paths (?q)"},
      {"GET /export", "the export form and past exports"},
      {"POST /export", "make an export document and keep it as a CID"},
      {"GET /import", "the import form"},
      {"POST /import", "import an export document, all or nothing"},
      {"POST /api/dump", "memory mode: write the store to its dump file"},
      {"GET /upload", "the upload form"},
      {"POST /upload", "store a file or text as a CID"},
      {"POST /api/cids", "store the request body as a CID"},
      {"GET /uploads", "CIDs stored in the database, newest first"},
      {"GET /cids.json", "CIDs starting with ?prefix (database and folder)"},
      {"GET /<kind>", "list the <kind>"},
      {"POST /<kind>", "create one of the <kind> from JSON"},
      {"GET /<kind>/new", "the form for a new one of the <kind>"},
      {"POST /<kind>/new", "create one of the <kind> from the form"},
      {"GET /<kind>/{}", "view one of the <kind>, with its history"},
      {"PUT /<kind>/{}", "update (or rename) one of the <kind> from JSON"},
      {"DELETE /<kind>/{}", "delete one of the <kind>"},
      {"GET /<kind>/{}/edit", "the edit form of one of the <kind>"},
      {"POST /<kind>/{}/edit", "update one of the <kind> from the form"},
      {"POST /<kind>/{}/enabled", "enable or disable one of the <kind>"},
      {"POST /<kind>/{}/delete", "delete one of the <kind> from a form"},
      {"GET /routes", "this list: every route and what it does"},
      {"GET /api/routes", "every route, as JSON"},
      {"GET /openapi.json", "the routes as an OpenAPI 3.0 document"},
      {"GET /meta/{*}",
       "what a request for the path would meet: route, alias, server, CID"},
      {"GET /api/meta/{*}", "the same, as JSON"},
  });
  return *table;
}

// "GET /servers/{}" -> "GET /<kind>/{}" and "servers"; other routes as
// they are and "".
std::string Key(absl::string_view method, absl::string_view pattern,
                std::string* kind) {
  const std::vector<absl::string_view> segments = SplitPath(pattern);
  if (!segments.empty()) {
    for (EntityKind k : kAllEntityKinds) {
      if (segments[0] != EntityPluralName(k)) continue;
      *kind = std::string(EntityPluralName(k));
      return absl::StrCat(method, " /<kind>",
                          pattern.substr(1 + segments[0].size()));
    }
  }
  return absl::StrCat(method, " ", pattern);
}

}  // namespace

std::string RouteSummary(absl::string_view method, absl::string_view pattern) {
  std::string kind;
  auto it = Summaries().find(Key(method, pattern, &kind));
  if (it == Summaries().end()) return absl::StrCat(method, " ", pattern);
  return absl::StrReplaceAll(it->second, {{"<kind>", kind}});
}

bool RouteDocumented(absl::string_view method, absl::string_view pattern) {
  std::string kind;
  return Summaries().contains(Key(method, pattern, &kind));
}

const std::vector<FallbackRoute>& FallbackRoutes() {
  static const std::vector<FallbackRoute>* routes =
      new std::vector<FallbackRoute>({
          {"GET", "/{name}",
           "the fallback chain: an alias rule redirects, an enabled server "
           "runs, a CID's content is served (/{name}.{ext} sets its type)"},
          {"POST", "/{name}", "run the enabled server {name}"},
          {"GET", "/{cid}.md.html", "the CID's Markdown rendered as HTML"},
          {"GET", "/{cid}.qr", "a QR code of the CID's address (PNG)"},
          {"GET", "/{cid}.qr.svg", "a QR code of the CID's address (SVG)"},
      });
  return *routes;
}

}  // namespace viewer::http_internal
