// The routes as data: the list /routes and /api/routes show, and the
// OpenAPI 3.0 document /openapi.json serves. Both are built from the
// Router itself (and the fallback paths of route_docs.h), so a new route
// appears in them as soon as it is added.
//
//   nlohmann::json rows = RouteList(router);      // {"routes": [...]}
//   nlohmann::json doc = OpenApiDocument(router);  // {"openapi": "3.0.3", ...}
//
// Thread safety: pure functions of a Router that no longer changes.
#ifndef VIEWER_HTTP_INTERNAL_OPENAPI_H_
#define VIEWER_HTTP_INTERNAL_OPENAPI_H_

#include <string>

#include "absl/strings/string_view.h"
#include "http/internal/router.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

// {"routes": [{"method", "pattern", "summary", "formats", "source"}]}: the
// fixed routes in the order added (source "route"), then the fallback
// paths (source "fallback"). `formats` lists the suffixes a route answers
// to ("html json txt md csv xml", "json" for API routes, "html" else).
nlohmann::json RouteList(const Router& router);

// A Router pattern in OpenAPI's path syntax: "/servers/{}" ->
// "/servers/{name}", "/meta/{*}" -> "/meta/{path}", other captures
// "{arg1}", "{arg2}", ...
std::string OpenApiPath(absl::string_view pattern);

// The OpenAPI 3.0.3 document of every route.
nlohmann::json OpenApiDocument(const Router& router);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_OPENAPI_H_
