#include "http/internal/router.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace viewer::http_internal {
namespace {

constexpr absl::string_view kCapture = "{}";
constexpr absl::string_view kJson = ".json";

bool SegmentsMatch(const Route& route,
                   const std::vector<absl::string_view>& segments,
                   std::vector<std::string>* args) {
  if (route.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (route.segments[i] == kCapture) {
      if (segments[i].empty()) return false;
    } else if (route.segments[i] != segments[i]) {
      return false;
    }
  }
  if (args != nullptr) {
    args->clear();
    for (size_t i = 0; i < segments.size(); ++i) {
      if (route.segments[i] == kCapture) args->emplace_back(segments[i]);
    }
  }
  return true;
}

bool MethodMatches(const Route& route, absl::string_view method) {
  return route.method == method || (method == "HEAD" && route.method == "GET");
}

}  // namespace

std::vector<absl::string_view> SplitPath(absl::string_view path) {
  if (absl::StartsWith(path, "/")) path.remove_prefix(1);
  if (path.empty()) return {};
  return absl::StrSplit(path, '/');
}

void Router::Add(absl::string_view method, absl::string_view pattern,
                 unsigned flags, Handler handler) {
  Route route;
  route.method = std::string(method);
  for (absl::string_view s : SplitPath(pattern)) route.segments.emplace_back(s);
  route.flags = flags;
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(absl::string_view method,
                           absl::string_view path) const {
  Match match;
  const std::vector<absl::string_view> segments = SplitPath(path);
  std::vector<absl::string_view> stripped;
  if (!segments.empty() && absl::EndsWith(segments.back(), kJson) &&
      segments.back().size() > kJson.size()) {
    stripped = segments;
    stripped.back().remove_suffix(kJson.size());
  }
  std::set<std::string> allowed;
  // Two passes: the ".json" reading first, then the plain one.
  for (int pass = 0; pass < 2; ++pass) {
    const bool suffix_pass = pass == 0;
    if (suffix_pass && stripped.empty()) continue;
    for (const Route& route : routes_) {
      if (suffix_pass && !(route.flags & kJsonSuffix)) continue;
      if (!SegmentsMatch(route, suffix_pass ? stripped : segments, nullptr)) {
        continue;
      }
      if (!MethodMatches(route, method)) {
        allowed.insert(route.method);
        if (route.method == "GET") allowed.insert("HEAD");
        continue;
      }
      match.kind = Match::kFound;
      match.route = &route;
      match.json = suffix_pass;
      SegmentsMatch(route, suffix_pass ? stripped : segments, &match.args);
      return match;
    }
  }
  if (!allowed.empty()) {
    match.kind = Match::kWrongMethod;
    match.allow = absl::StrJoin(allowed, ", ");
  }
  return match;
}

}  // namespace viewer::http_internal
