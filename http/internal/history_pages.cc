#include "http/internal/history_pages.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
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

}  // namespace

nlohmann::json HistoryJson(const PageViewPage& v) {
  nlohmann::json views = nlohmann::json::array();
  for (const PageView& p : v.views) {
    views.push_back({{"path", p.path},
                     {"method", OptionalText(p.method)},
                     {"user_agent", OptionalText(p.user_agent)},
                     {"ip_address", OptionalText(p.ip_address)},
                     {"viewed_at", FormatTimestamp(p.viewed_at)}});
  }
  return {{"page", v.page},
          {"per_page", v.per_page},
          {"pages", v.pages()},
          {"total", v.total},
          {"views", views}};
}

std::string HistoryHtml(const PageViewPage& v, absl::string_view start,
                        absl::string_view end) {
  std::string out = absl::StrCat(
      "<h1>History</h1>\n<form method=\"get\" action=\"/history\">"
      "<label>From <input type=\"text\" name=\"start\" placeholder="
      "\"2024-01-31\" value=\"",
      HtmlEscape(start),
      "\"></label> <label>to <input type=\"text\" name=\"end\" value=\"",
      HtmlEscape(end),
      "\"></label> <button type=\"submit\">Filter</button></form>\n<p>",
      v.total, " page views (UTC). <a href=\"/history.json\">JSON</a></p>\n");
  if (v.views.empty()) {
    absl::StrAppend(&out, "<p class=\"muted\">No page views here.</p>\n");
  } else {
    absl::StrAppend(&out,
                    "<table>\n<tr><th>When</th><th>Path</th>"
                    "<th>Client</th></tr>\n");
    for (const PageView& p : v.views) {
      absl::StrAppend(&out, "<tr><td>", FormatTimestamp(p.viewed_at),
                      "</td><td><code>", HtmlEscape(p.path),
                      "</code></td><td class=\"muted\">",
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
