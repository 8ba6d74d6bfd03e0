#include "http/internal/router.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace viewer::http_internal {
namespace {

constexpr absl::string_view kCapture = "{}";
constexpr absl::string_view kRest = "{*}";

bool HasRest(const Route& route) {
  return !route.segments.empty() && route.segments.back() == kRest;
}

bool SegmentsMatch(const Route& route,
                   const std::vector<absl::string_view>& segments,
                   std::vector<std::string>* args) {
  const bool rest = HasRest(route);
  const size_t fixed = route.segments.size() - (rest ? 1 : 0);
  if (rest ? segments.size() <= fixed : segments.size() != fixed) {
    return false;
  }
  for (size_t i = 0; i < fixed; ++i) {
    if (route.segments[i] == kCapture) {
      if (segments[i].empty()) return false;
    } else if (route.segments[i] != segments[i]) {
      return false;
    }
  }
  if (args != nullptr) {
    args->clear();
    for (size_t i = 0; i < fixed; ++i) {
      if (route.segments[i] == kCapture) args->emplace_back(segments[i]);
    }
    if (rest) {
      args->push_back(
          absl::StrJoin(segments.begin() + fixed, segments.end(), "/"));
    }
  }
  return true;
}

// The format a last segment's suffix names ("a.csv": kCsv), with the
// segment shortened by it; nullopt when it names none or is nothing else.
std::optional<Format> StripFormatSuffix(absl::string_view* segment) {
  const size_t dot = segment->rfind('.');
  if (dot == absl::string_view::npos || dot == 0) return std::nullopt;
  std::optional<Format> format = FormatFromSuffix(segment->substr(dot + 1));
  if (format) segment->remove_suffix(segment->size() - dot);
  return format;
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
  route.pattern = std::string(pattern);
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
  std::optional<Format> suffix_format;
  if (!segments.empty()) {
    absl::string_view last = segments.back();
    suffix_format = StripFormatSuffix(&last);
    if (suffix_format) {
      stripped = segments;
      stripped.back() = last;
    }
  }
  std::set<std::string> allowed;
  // Two passes: the format-suffix reading first, then the plain one.
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
      if (suffix_pass) {
        match.format = suffix_format;
        match.json = *suffix_format != Format::kHtml;
      }
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
