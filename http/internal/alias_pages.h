// HTML and JSON for the alias language: the rule summary of an alias page
// and the match preview (/aliases/match-preview?path=...).
//
//   ctx.Page("Alias match preview", MatchPreviewHtml(resolution), "aliases");
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_INTERNAL_ALIAS_PAGES_H_
#define VIEWER_HTTP_INTERNAL_ALIAS_PAGES_H_

#include <string>
#include <vector>

#include "app/alias_resolver.h"
#include "app/alias_rules.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

// A table of `lines`: line, kind and options, the pattern as matched,
// the target, and each line's error ("too costly" flagged).
std::string AliasRulesHtml(const std::vector<AliasLine>& lines);
nlohmann::json AliasRulesJson(const std::vector<AliasLine>& lines);

// The form and what routing does with `r.path` (nothing when the path is
// empty).
std::string MatchPreviewHtml(const AliasResolution& r);
nlohmann::json MatchPreviewJson(const AliasResolution& r);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_ALIAS_PAGES_H_
