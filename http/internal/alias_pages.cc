#include "http/internal/alias_pages.h"

#include "absl/strings/str_cat.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

std::string Options(const AliasRule& rule) {
  return absl::StrCat(AliasKindName(rule.kind),
                      rule.ignore_case ? ", ignore-case" : "");
}

nlohmann::json LineJson(const AliasLine& line) {
  nlohmann::json j = {{"line", line.line},
                      {"depth", line.depth},
                      {"text", ToValidUtf8(line.text)},
                      {"too_costly", line.too_costly}};
  if (line.rule) {
    j["kind"] = std::string(AliasKindName(line.rule->kind));
    j["ignore_case"] = line.rule->ignore_case;
    j["pattern"] = ToValidUtf8(line.rule->pattern);
    j["target"] = ToValidUtf8(line.rule->target);
    j["cost"] = line.rule->cost;
  } else {
    j["error"] = ToValidUtf8(line.error);
  }
  return j;
}

std::string LineRowHtml(const AliasLine& line) {
  std::string out = absl::StrCat("<tr><td>", line.line, "</td>");
  if (line.rule) {
    absl::StrAppend(&out, "<td>", Options(*line.rule), "</td><td><code>",
                    HtmlEscape(line.rule->pattern), "</code></td><td><code>",
                    HtmlEscape(line.rule->target), "</code></td><td>",
                    line.too_costly ? "too costly: may be passed over" : "ok",
                    "</td></tr>\n");
  } else {
    absl::StrAppend(&out, "<td colspan=\"3\"><code>", HtmlEscape(line.text),
                    "</code></td><td class=\"error\">",
                    line.too_costly ? "<strong>too costly</strong>: " : "",
                    HtmlEscape(line.error), " (routes nothing)</td></tr>\n");
  }
  return out;
}

}  // namespace

std::string AliasRulesHtml(const std::vector<AliasLine>& lines) {
  if (lines.empty()) {
    return "<h2>Rules</h2>\n<p class=\"muted\">No rules.</p>\n";
  }
  std::string out =
      "<h2>Rules</h2>\n<table class=\"alias-rules\">\n<tr><th>Line</th>"
      "<th>Kind</th><th>Pattern</th><th>Target</th><th>Status</th></tr>\n";
  for (const AliasLine& line : lines) absl::StrAppend(&out, LineRowHtml(line));
  absl::StrAppend(&out,
                  "</table>\n<p><a href=\"/aliases/match-preview\">Try a path"
                  "</a></p>\n");
  return out;
}

nlohmann::json AliasRulesJson(const std::vector<AliasLine>& lines) {
  nlohmann::json out = nlohmann::json::array();
  for (const AliasLine& line : lines) out.push_back(LineJson(line));
  return out;
}

std::string MatchPreviewHtml(const AliasResolution& r) {
  std::string out = absl::StrCat(
      "<h1>Alias match preview</h1>\n<form method=\"get\" "
      "action=\"/aliases/match-preview\"><label>Path <input name=\"path\" "
      "value=\"",
      HtmlEscape(r.path),
      "\" placeholder=\"/docs/intro\"></label> <button type=\"submit\">"
      "Preview</button></form>\n");
  if (r.path.empty()) return out;
  if (!r.matched) {
    absl::StrAppend(&out, "<p class=\"result\">No enabled alias sends <code>",
                    HtmlEscape(r.path), "</code> anywhere (", r.rules_tried,
                    " rules tried).</p>\n");
  } else {
    absl::StrAppend(
        &out, "<p class=\"result\"><code>", HtmlEscape(r.path),
        "</code> meets line ", r.line.line, " of alias <a href=\"/aliases/",
        UrlEncode(r.alias), "\">", HtmlEscape(r.alias),
        "</a> and is sent to <a href=\"", HtmlEscape(r.target), "\"><code>",
        HtmlEscape(r.target), "</code></a>.</p>\n<table>\n<tr><th>Rule</th>"
        "<td><code>",
        HtmlEscape(r.line.text), "</code></td></tr>\n<tr><th>Kind</th><td>",
        Options(*r.line.rule), "</td></tr>\n<tr><th>Pattern</th><td><code>",
        HtmlEscape(r.line.rule->pattern), "</code></td></tr>\n</table>\n");
  }
  if (r.over_budget > 0) {
    absl::StrAppend(&out, "<p class=\"error\">", r.over_budget,
                    " rules were passed over: matching them would have cost "
                    "more than one request may spend (too costly).</p>\n");
  }
  return out;
}

nlohmann::json MatchPreviewJson(const AliasResolution& r) {
  nlohmann::json j = {{"path", ToValidUtf8(r.path)},
                      {"matched", r.matched},
                      {"rules_tried", r.rules_tried},
                      {"over_budget", r.over_budget}};
  if (r.matched) {
    j["alias"] = r.alias;
    j["rule"] = LineJson(r.line);
    j["target"] = ToValidUtf8(r.target);
  }
  return j;
}

}  // namespace viewer::http_internal
