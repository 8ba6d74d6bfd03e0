#include "http/internal/misc_pages.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "app/time_text.h"
#include "http/internal/entity_pages.h"
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

// An excerpt of `text` around the first case-insensitive match of `query`.
std::string Excerpt(absl::string_view text, absl::string_view query) {
  std::string lower_text(text), lower_query(query);
  for (char& c : lower_text) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  for (char& c : lower_query) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  size_t at = lower_text.find(lower_query);
  if (at == std::string::npos) at = 0;
  size_t begin = at > 40 ? at - 40 : 0;
  size_t end = std::min(text.size(), at + query.size() + 40);
  // Keep whole UTF-8 characters.
  while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) --begin;
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  return absl::StrCat(begin > 0 ? "… " : "", text.substr(begin, end - begin),
                      end < text.size() ? " …" : "");
}

}  // namespace

std::string UsageBarHtml(int64_t used, int64_t limit) {
  if (limit <= 0 || static_cast<double>(used) <=
                        kUsageBarThreshold * static_cast<double>(limit)) {
    return "";
  }
  // In double: limits go up to 2^62 bytes, where used * 100 would overflow.
  const double fraction =
      static_cast<double>(used) / static_cast<double>(limit);
  const int64_t percent =
      std::min<int64_t>(100, static_cast<int64_t>(fraction * 100));
  return absl::StrCat(
      "<div class=\"usage\" role=\"status\"><p><strong>Memory ", percent,
      "% full:</strong> ", HumanBytes(used), " of ", HumanBytes(limit),
      " used. A change that does not fit is refused (nothing is ever "
      "evicted): <a href=\"/export\">export</a> your work and restart "
      "viewer with a larger <code>--max-memory</code>, or delete "
      "something.</p>\n<meter min=\"0\" max=\"",
      limit, "\" low=\"", limit / 10 * 8, "\" high=\"", limit / 100 * 95,
      "\" value=\"", used, "\">", percent, "%</meter></div>\n");
}

nlohmann::json HomeJson(const HomeData& d) {
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [kind, n] : d.counts) counts[kind] = n;
  nlohmann::json recent = nlohmann::json::array();
  for (const CidRecord& r : d.recent) {
    recent.push_back({{"cid", r.cid}, {"size", r.file_size},
                      {"created_at", FormatTimestamp(r.created_at)}});
  }
  return {
      {"mode", d.memory_mode ? "memory" : "disk"},
      {"database", d.database},
      {"counts", counts},
      {"cids", {{"stored", d.stored_cids}, {"folder", d.folder_cids}}},
      {"recent_cids", recent},
      {"read_only", d.read_only},
      {"memory", {{"bytes_used", d.bytes_used}, {"byte_limit", d.byte_limit}}}};
}

std::string HomeHtml(const HomeData& d) {
  std::string out = absl::StrCat(
      "<h1>viewer</h1>\n<p>",
      d.memory_mode
          ? "Running on the <strong>in-memory database</strong>: nothing is "
            "written to disk."
          : absl::StrCat("Running on <code>", HtmlEscape(d.database),
                         "</code>."),
      "</p>\n",
      d.read_only ? "<p class=\"message\">This is a read-only demo: look "
                    "around, run the servers and follow the aliases; "
                    "changes are refused.</p>\n"
                  : "",
      UsageBarHtml(d.bytes_used, d.byte_limit), "<dl class=\"counts\">\n");
  for (const auto& [kind, n] : d.counts) {
    absl::StrAppend(&out, "<dt><a href=\"/", kind, "\">", kind, "</a></dt><dd>",
                    n, "</dd>\n");
  }
  absl::StrAppend(&out, "<dt><a href=\"/uploads\">CIDs</a></dt><dd>",
                  d.stored_cids, " stored, ", d.folder_cids,
                  " in the cids folder</dd>\n</dl>\n",
                  "<p class=\"actions\"><a class=\"button\" "
                  "href=\"/servers/new\">New server</a> <a class=\"button\" "
                  "href=\"/upload\">Upload</a></p>\n",
                  "<form method=\"get\" action=\"/search\"><input "
                  "type=\"search\" name=\"q\" aria-label=\"Search\" "
                  "placeholder=\"Search\"> <button type=\"submit\">Search"
                  "</button></form>\n<h2>Recent CIDs</h2>\n");
  if (d.recent.empty()) {
    absl::StrAppend(&out, "<p class=\"muted\">None yet.</p>\n");
    return out;
  }
  absl::StrAppend(&out, "<ul>\n");
  for (const CidRecord& r : d.recent) {
    absl::StrAppend(&out, "<li><a class=\"cid\" href=\"/", r.cid, "\">", r.cid,
                    "</a> <span class=\"muted\">", r.file_size,
                    " bytes</span></li>\n");
  }
  absl::StrAppend(&out, "</ul>\n");
  return out;
}

nlohmann::json HistoryJson(const PageViewPage& v) {
  nlohmann::json views = nlohmann::json::array();
  for (const PageView& p : v.views) {
    views.push_back({{"path", p.path},
                     {"method", OptionalText(p.method)},
                     {"user_agent", OptionalText(p.user_agent)},
                     {"ip_address", OptionalText(p.ip_address)},
                     {"viewed_at", FormatTimestamp(p.viewed_at)}});
  }
  return {{"page", v.page}, {"per_page", v.per_page}, {"pages", v.pages()},
          {"total", v.total}, {"views", views}};
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
    absl::StrAppend(&out, "<table>\n<tr><th>When</th><th>Path</th>"
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
  absl::StrAppend(&out, " Page ", v.page, " of ", std::max<int64_t>(v.pages(), 1),
                  "</p>\n");
  return out;
}

nlohmann::json SearchJson(const SearchResults& r) {
  nlohmann::json j = {{"query", r.query}};
  for (EntityKind kind : kAllEntityKinds) {
    j[std::string(EntityPluralName(kind))] = nlohmann::json::array();
  }
  for (const SearchHit& hit : r.entities) {
    nlohmann::json where = nlohmann::json::array();
    if (hit.in_name) where.push_back("name");
    if (hit.in_definition) where.push_back("definition");
    j[std::string(EntityPluralName(hit.kind))].push_back(
        {{"name", hit.name},
         {"path", EntityPath(hit.kind, hit.name)},
         {"matched", where}});
  }
  j["cids"] = r.cid_paths;
  return j;
}

std::string SearchHtml(const SearchResults& r) {
  std::string out = absl::StrCat(
      "<h1>Search</h1>\n<form class=\"stack\" method=\"get\" "
      "action=\"/search\"><label for=\"q\">Names, definitions and CIDs "
      "containing</label><input type=\"search\" id=\"q\" name=\"q\" value=\"",
      HtmlEscape(r.query),
      "\"> <p class=\"actions\"><button type=\"submit\">Search</button></p>"
      "</form>\n");
  if (r.query.empty()) return out;
  const size_t total = r.entities.size() + r.cid_paths.size();
  absl::StrAppend(&out, "<p>", total, total == 1 ? " match" : " matches",
                  " for <code>", HtmlEscape(r.query), "</code>.</p>\n");
  if (!r.entities.empty()) {
    absl::StrAppend(&out, "<table>\n<tr><th>Kind</th><th>Name</th>"
                          "<th>Match</th></tr>\n");
    for (const SearchHit& hit : r.entities) {
      absl::StrAppend(&out, "<tr><td>", EntityDisplayName(hit.kind),
                      "</td><td><a href=\"", EntityPath(hit.kind, hit.name),
                      "\">", HtmlEscape(hit.name), "</a></td><td>",
                      hit.in_definition
                          ? absl::StrCat("<code>",
                                         HtmlEscape(Excerpt(hit.definition,
                                                            r.query)),
                                         "</code>")
                          : "name",
                      "</td></tr>\n");
    }
    absl::StrAppend(&out, "</table>\n");
  }
  if (!r.cid_paths.empty()) {
    absl::StrAppend(&out, "<h2>CIDs</h2>\n<ul>\n");
    for (const std::string& path : r.cid_paths) {
      absl::StrAppend(&out, "<li><a class=\"cid\" href=\"", path, "\">",
                      HtmlEscape(path), "</a></li>\n");
    }
    absl::StrAppend(&out, "</ul>\n");
  }
  return out;
}

nlohmann::json StatusJson(const StatusData& d) {
  nlohmann::json tables = nlohmann::json::array();
  for (const TableStats& t : d.stats.tables) {
    tables.push_back({{"name", t.table}, {"rows", t.rows}, {"bytes", t.bytes}});
  }
  nlohmann::json folder = nullptr;
  if (d.folder != nullptr) {
    nlohmann::json bad = nlohmann::json::array();
    for (const CidDirectory::Problem& p : d.folder->BadFiles()) {
      bad.push_back({{"name", p.name}, {"reason", p.reason}});
    }
    folder = {{"path", d.folder->path()},
              {"exists", d.folder->folder_exists()},
              {"files", d.folder->file_count()},
              {"listed", d.folder->listed_count()},
              {"bad", d.folder->bad_count()},
              {"ignored", d.folder->ignored_count()},
              {"cached_bytes", d.folder->cached_bytes()},
              {"listing_ms",
               absl::ToDoubleMilliseconds(d.folder->listing_time())},
              {"bad_files", bad}};
  }
  return {{"version", d.version},
          {"mode", d.memory_mode ? "memory" : "disk"},
          {"read_only", d.read_only},
          {"database", d.database},
          {"started_at", FormatTimestamp(d.started_at)},
          {"uptime_seconds",
           static_cast<double>(d.now.micros - d.started_at.micros) / 1e6},
          {"cids_folder", folder},
          {"tables", tables},
          {"bytes_used", d.stats.bytes_used},
          {"byte_limit", d.stats.byte_limit}};
}

std::string StatusHtml(const StatusData& d) {
  const nlohmann::json j = StatusJson(d);
  std::string out = absl::StrCat(
      "<h1>Status</h1>\n<dl class=\"counts\">\n<dt>Version</dt><dd>",
      HtmlEscape(d.version), "</dd>\n<dt>Mode</dt><dd>",
      d.memory_mode ? "memory (nothing is written to disk)" : "disk",
      "</dd>\n<dt>Database</dt><dd><code>", HtmlEscape(d.database),
      "</code></dd>\n<dt>Started</dt><dd>", FormatTimestamp(d.started_at),
      "</dd>\n<dt>Uptime</dt><dd>", j["uptime_seconds"].get<double>(),
      " s</dd>\n");
  if (d.stats.byte_limit > 0) {
    absl::StrAppend(&out, "<dt>Memory</dt><dd>", HumanBytes(d.stats.bytes_used),
                    " of ", HumanBytes(d.stats.byte_limit),
                    " used (--max-memory)</dd>\n");
  }
  if (d.folder != nullptr) {
    absl::StrAppend(&out, "<dt>cids folder</dt><dd><code>",
                    HtmlEscape(d.folder->path()), "</code>: ",
                    d.folder->file_count(), " files, ", d.folder->bad_count(),
                    " bad, ", d.folder->ignored_count(), " ignored</dd>\n");
  }
  absl::StrAppend(&out, "</dl>\n",
                  UsageBarHtml(d.stats.bytes_used, d.stats.byte_limit),
                  "<table>\n<tr><th>Table</th><th>Rows</th>"
                  "<th>Bytes</th></tr>\n");
  for (const TableStats& t : d.stats.tables) {
    absl::StrAppend(&out, "<tr><td>", HtmlEscape(t.table), "</td><td>", t.rows,
                    "</td><td>", t.bytes, "</td></tr>\n");
  }
  absl::StrAppend(&out, "</table>\n<p><a href=\"/status.json\">JSON</a></p>\n");
  if (d.folder != nullptr && d.folder->bad_count() > 0) {
    absl::StrAppend(&out, "<h2>Bad files in the cids folder</h2>\n<ul>\n");
    for (const CidDirectory::Problem& p : d.folder->BadFiles()) {
      absl::StrAppend(&out, "<li><code>", HtmlEscape(p.name), "</code>: ",
                      HtmlEscape(p.reason), "</li>\n");
    }
    absl::StrAppend(&out, "</ul>\n");
  }
  return out;
}

}  // namespace viewer::http_internal
