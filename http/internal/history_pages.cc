#include "http/internal/history_pages.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/time_text.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

nlohmann::json OptionalText(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

std::string HistoryLink(int64_t page, absl::string_view start,
                        absl::string_view end) {
  std::string link = absl::StrCat("/history?page=", page);
  if (!start.empty()) absl::StrAppend(&link, "&amp;start=", UrlEncode(start));
  if (!end.empty()) absl::StrAppend(&link, "&amp;end=", UrlEncode(end));
  return link;
}

std::string PopularHtml(const std::vector<PathCount>& popular) {
  if (popular.empty()) return "";
  std::string out =
      "<h2>Most visited</h2>\n<table>\n<tr><th>Path</th><th>Views</th></tr>\n";
  for (const PathCount& p : popular) {
    absl::StrAppend(&out, "<tr><td><code>", HtmlEscape(p.path),
                    "</code></td><td>", p.count, "</td></tr>\n");
  }
  absl::StrAppend(&out, "</table>\n");
  return out;
}

// The path cell of a view: a CID that a server run produced links to the
// runs that produced it.
std::string PathCell(const PageView& p, const HistorySummary& summary) {
  std::string out = absl::StrCat("<code>", HtmlEscape(p.path), "</code>");
  const std::string cid = ViewedCid(p.path);
  if (!cid.empty() && summary.run_results.contains(cid)) {
    absl::StrAppend(&out, " <a href=\"/server_events?result=", cid,
                    "\">run</a>");
  }
  return out;
}

}  // namespace

std::string ViewedCid(absl::string_view path) {
  if (path.size() < 2 || path[0] != '/' ||
      path.find('/', 1) != absl::string_view::npos) {
    return "";
  }
  absl::StatusOr<CidReference> ref = ParseCidReference(path);
  return ref.ok() ? ref->cid.cid : "";
}

nlohmann::json HistoryJson(const PageViewPage& v,
                           const HistorySummary& summary) {
  nlohmann::json views = nlohmann::json::array();
  for (const PageView& p : v.views) {
    nlohmann::json view = {{"path", p.path},
                           {"method", OptionalText(p.method)},
                           {"user_agent", OptionalText(p.user_agent)},
                           {"ip_address", OptionalText(p.ip_address)},
                           {"viewed_at", FormatTimestamp(p.viewed_at)}};
    const std::string cid = ViewedCid(p.path);
    if (!cid.empty() && summary.run_results.contains(cid)) {
      view["runs"] = absl::StrCat("/server_events?result=", cid);
    }
    views.push_back(std::move(view));
  }
  nlohmann::json popular = nlohmann::json::array();
  for (const PathCount& p : summary.popular) {
    popular.push_back({{"path", p.path}, {"count", p.count}});
  }
  return {{"page", v.page},
          {"per_page", v.per_page},
          {"pages", v.pages()},
          {"total", v.total},
          {"unique_paths", summary.unique_paths},
          {"popular", popular},
          {"views", views}};
}

std::string HistoryHtml(const PageViewPage& v, const HistorySummary& summary,
                        absl::string_view start, absl::string_view end) {
  std::string out = absl::StrCat(
      "<h1>History</h1>\n<form method=\"get\" action=\"/history\">"
      "<label>From <input type=\"text\" name=\"start\" placeholder="
      "\"2024-01-31\" value=\"",
      HtmlEscape(start),
      "\"></label> <label>to <input type=\"text\" name=\"end\" value=\"",
      HtmlEscape(end),
      "\"></label> <button type=\"submit\">Filter</button></form>\n<p>",
      v.total, " page views of ", summary.unique_paths,
      " paths (UTC). <a href=\"/history.json\">JSON</a> <a "
      "href=\"/server_events\">Server events</a></p>\n",
      PopularHtml(summary.popular));
  if (v.views.empty()) {
    absl::StrAppend(&out, "<p class=\"muted\">No page views here.</p>\n");
  } else {
    absl::StrAppend(&out,
                    "<table>\n<tr><th>When</th><th>Path</th>"
                    "<th>Client</th></tr>\n");
    for (const PageView& p : v.views) {
      absl::StrAppend(&out, "<tr><td>", FormatTimestamp(p.viewed_at),
                      "</td><td>", PathCell(p, summary),
                      "</td><td class=\"muted\">",
                      HtmlEscape(p.user_agent.value_or("")), "</td></tr>\n");
    }
    absl::StrAppend(&out, "</table>\n");
  }
  absl::StrAppend(&out, "<p class=\"pager\">");
  if (v.page > 1) {
    absl::StrAppend(&out, "<a href=\"", HistoryLink(v.page - 1, start, end),
                    "\">Newer</a>");
  }
  if (v.page < v.pages()) {
    absl::StrAppend(&out, "<a href=\"", HistoryLink(v.page + 1, start, end),
                    "\">Older</a>");
  }
  absl::StrAppend(&out, " Page ", v.page, " of ",
                  std::max<int64_t>(v.pages(), 1), "</p>\n");
  return out;
}

}  // namespace viewer::http_internal
