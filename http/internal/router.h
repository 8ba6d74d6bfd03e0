// Router: the fixed routes of the application, matched by path segments.
//
//   Router router;
//   router.Add("GET", "/servers/{}", kJsonSuffix | kPageView, ShowServer);
//   Router::Match m = router.Find("GET", "/servers/echo.json");
//   // m.route->handler == ShowServer, m.args == {"echo"}, m.json == true
//
// Patterns are '/'-separated segments, each literal or "{}" (one non-empty
// segment, captured); a last segment "{*}" captures the rest of the path
// (one or more segments, joined by '/'). "GET" routes also answer HEAD.
// With kJsonSuffix, a last segment ending in a format suffix (".json",
// ".txt", ".md", ".csv", ".xml", ".html": http/internal/formats.h)
// matches without the suffix and sets `format` (and `json`, for every
// format but HTML); that reading is preferred, so "/servers/a.json" is the
// JSON of "a" (an entity literally named "a.json" is still reachable as
// "/servers/a.json.json").
//
// Find says whether the path matched a route for this method, matched
// only for other methods (405, with the Allow header value), or matched
// nothing (the caller falls back to aliases, servers and CIDs).
//
// Thread safety: Add only before serving; Find from any thread after.
#ifndef VIEWER_HTTP_INTERNAL_ROUTER_H_
#define VIEWER_HTTP_INTERNAL_ROUTER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "http/internal/context.h"
#include "http/internal/formats.h"

namespace viewer::http_internal {

using Handler = std::function<void(Ctx&)>;

enum RouteFlags : unsigned {
  kNoFlags = 0,
  // "/x.json" (and .txt, .md, .csv, .xml, .html) also matches "/x",
  // answering in that format.
  kJsonSuffix = 1u << 0,
  // A 200 answer to a GET (not JSON) is recorded as a page view.
  kPageView = 1u << 1,
  // Always answers JSON (API routes).
  kJsonOnly = 1u << 2,
};

struct Route {
  std::string method;
  std::string pattern;                // as given to Add
  std::vector<std::string> segments;  // "{}" captures, a last "{*}" the rest
  unsigned flags = kNoFlags;
  Handler handler;
};

class Router {
 public:
  struct Match {
    enum Kind { kFound, kWrongMethod, kNone } kind = kNone;
    const Route* route = nullptr;  // kFound
    std::vector<std::string> args;  // kFound
    // kFound: the format a suffix named, and whether it is a data format
    // (every format but HTML).
    std::optional<Format> format;
    bool json = false;
    std::string allow;              // kWrongMethod: "GET, HEAD, POST"
  };

  void Add(absl::string_view method, absl::string_view pattern,
           unsigned flags, Handler handler);
  Match Find(absl::string_view method, absl::string_view path) const;
  // Every route, in the order added.
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// "/a/b" -> {"a", "b"}; "/" -> {}; "/a/" -> {"a", ""}.
std::vector<absl::string_view> SplitPath(absl::string_view path);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_ROUTER_H_
