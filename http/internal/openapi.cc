#include "http/internal/openapi.h"

#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/entities.h"
#include "http/config.h"
#include "http/internal/formats.h"
#include "http/internal/route_docs.h"

namespace viewer::http_internal {
namespace {

bool IsEntityPlural(absl::string_view segment) {
  for (EntityKind k : kAllEntityKinds) {
    if (segment == EntityPluralName(k)) return true;
  }
  return false;
}

std::string Formats(const Route& route) {
  if (route.flags & kJsonOnly) return "json";
  if (!(route.flags & kJsonSuffix)) return "html";
  std::vector<absl::string_view> suffixes;
  for (Format f : kAllFormats) suffixes.push_back(FormatSuffix(f));
  return absl::StrJoin(suffixes, " ");
}

// The names of the {placeholders} of an OpenAPI path, in order.
std::vector<std::string> Placeholders(absl::string_view path) {
  std::vector<std::string> names;
  size_t open = 0;
  while ((open = path.find('{', open)) != absl::string_view::npos) {
    const size_t close = path.find('}', open);
    if (close == absl::string_view::npos) break;
    names.emplace_back(path.substr(open + 1, close - open - 1));
    open = close + 1;
  }
  return names;
}

// "get /servers/{name}" -> "get_servers_name": unique per operation.
std::string OperationId(absl::string_view method, absl::string_view path) {
  std::string id = absl::AsciiStrToLower(method);
  for (char c : path) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      id.push_back(c);
    } else if (id.back() != '_') {
      id.push_back('_');
    }
  }
  while (id.back() == '_') id.pop_back();
  return id;
}

nlohmann::json Content(absl::string_view formats) {
  nlohmann::json content = nlohmann::json::object();
  for (Format f : kAllFormats) {
    if (formats.find(FormatSuffix(f)) == absl::string_view::npos) continue;
    std::string type = FormatMimeType(f);
    type = type.substr(0, type.find(';'));
    content[type] = nlohmann::json::object();
  }
  return content;
}

nlohmann::json Operation(absl::string_view method, const std::string& path,
                         const std::string& summary,
                         absl::string_view formats) {
  nlohmann::json op = {{"summary", summary},
                       {"operationId", OperationId(method, path)}};
  nlohmann::json params = nlohmann::json::array();
  for (const std::string& name : Placeholders(path)) {
    params.push_back({{"name", name},
                      {"in", "path"},
                      {"required", true},
                      {"schema", {{"type", "string"}}}});
  }
  if (!params.empty()) op["parameters"] = params;
  nlohmann::json ok = {{"description", "the answer"}};
  if (!formats.empty()) ok["content"] = Content(formats);
  op["responses"] = {
      {"200", ok},
      {"default",
       {{"description",
         "an error: {\"error\": message} in JSON, else an HTML page"}}}};
  return op;
}

}  // namespace

nlohmann::json RouteList(const Router& router) {
  nlohmann::json rows = nlohmann::json::array();
  for (const Route& route : router.routes()) {
    rows.push_back({{"method", route.method},
                    {"pattern", OpenApiPath(route.pattern)},
                    {"summary", RouteSummary(route.method, route.pattern)},
                    {"formats", Formats(route)},
                    {"source", "route"}});
  }
  for (const FallbackRoute& f : FallbackRoutes()) {
    rows.push_back({{"method", std::string(f.method)},
                    {"pattern", std::string(f.pattern)},
                    {"summary", std::string(f.summary)},
                    {"formats", "content"},
                    {"source", "fallback"}});
  }
  return {{"routes", rows}};
}

std::string OpenApiPath(absl::string_view pattern) {
  std::vector<std::string> out;
  absl::string_view previous;
  int arg = 0;
  for (absl::string_view segment : SplitPath(pattern)) {
    if (segment == "{*}") {
      out.emplace_back("{path}");
    } else if (segment == "{}") {
      out.push_back(IsEntityPlural(previous)
                        ? "{name}"
                        : absl::StrCat("{arg", ++arg, "}"));
    } else {
      out.emplace_back(segment);
    }
    previous = segment;
  }
  return absl::StrCat("/", absl::StrJoin(out, "/"));
}

nlohmann::json OpenApiDocument(const Router& router) {
  nlohmann::json paths = nlohmann::json::object();
  for (const Route& route : router.routes()) {
    const std::string path = OpenApiPath(route.pattern);
    paths[path][absl::AsciiStrToLower(route.method)] =
        Operation(route.method, path, RouteSummary(route.method, route.pattern),
                  Formats(route));
  }
  for (const FallbackRoute& f : FallbackRoutes()) {
    const std::string path(f.pattern);
    paths[path][absl::AsciiStrToLower(f.method)] =
        Operation(f.method, path, std::string(f.summary), "");
  }
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "viewer"},
            {"version", std::string(ViewerVersion())},
            {"description",
             "Content-addressed content (CIDs) and the servers, aliases, "
             "variables and secrets around it. Routes listed with formats "
             "also answer /path.json, .txt, .md, .csv, .xml and .html, or "
             "by the Accept header (docs/formats.md)."}}},
          {"paths", paths}};
}

}  // namespace viewer::http_internal
