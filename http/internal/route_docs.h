// What each fixed route does, in one line, for /routes and /openapi.json
// (http/routes_meta.cc), and the paths the fallback chain serves, which
// are no fixed route.
//
//   RouteSummary("GET", "/servers/{}")  // "view one server, with its history"
//
// Entity routes are described once for all four kinds ("/servers/{}",
// "/aliases/{}", ... share the entry "/<kind>/{}"). A route without an
// entry gets "GET /path" as its summary, so a new route is listed even
// before it is described here.
//
// Thread safety: pure functions over constant tables.
#ifndef VIEWER_HTTP_INTERNAL_ROUTE_DOCS_H_
#define VIEWER_HTTP_INTERNAL_ROUTE_DOCS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace viewer::http_internal {

// The summary of the fixed route `method` `pattern` (a Router pattern).
std::string RouteSummary(absl::string_view method, absl::string_view pattern);
// True when RouteSummary has a written entry for the route.
bool RouteDocumented(absl::string_view method, absl::string_view pattern);

// A path the fallback chain serves (aliases, servers, CIDs), listed after
// the fixed routes. `pattern` uses "{name}" placeholders as OpenAPI does.
struct FallbackRoute {
  absl::string_view method;
  absl::string_view pattern;
  absl::string_view summary;
};
const std::vector<FallbackRoute>& FallbackRoutes();

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_ROUTE_DOCS_H_
