#include "http/internal/home_pages.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "app/time_text.h"
#include "http/render.h"

namespace viewer::http_internal {

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
    recent.push_back({{"cid", r.cid},
                      {"size", r.file_size},
                      {"created_at", FormatTimestamp(r.created_at)}});
  }
  return {
      {"mode", std::string(StoreModeName(d.mode))},
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
      d.mode == StoreMode::kMemory
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
    folder = {
        {"path", d.folder->path()},
        {"exists", d.folder->folder_exists()},
        {"files", d.folder->file_count()},
        {"listed", d.folder->listed_count()},
        {"bad", d.folder->bad_count()},
        {"ignored", d.folder->ignored_count()},
        {"cached_bytes", d.folder->cached_bytes()},
        {"listing_ms", absl::ToDoubleMilliseconds(d.folder->listing_time())},
        {"bad_files", bad}};
  }
  return {{"version", d.version},
          {"mode", std::string(StoreModeName(d.mode))},
          {"read_only", d.read_only},
          {"database", d.database},
          {"started_at", FormatTimestamp(d.started_at)},
          {"uptime_seconds",
           static_cast<double>(d.now.micros - d.started_at.micros) / 1e6},
          {"cids_folder", folder},
          {"tables", tables},
          {"bytes_used", d.stats.bytes_used},
          {"byte_limit", d.stats.byte_limit},
          {"page_view_budget_bytes", d.page_view_budget},
          {"page_views_evicted", d.page_views_evicted}};
}

std::string StatusHtml(const StatusData& d) {
  const nlohmann::json j = StatusJson(d);
  std::string out = absl::StrCat(
      "<h1>Status</h1>\n<dl class=\"counts\">\n<dt>Version</dt><dd>",
      HtmlEscape(d.version), "</dd>\n<dt>Mode</dt><dd>",
      d.mode == StoreMode::kMemory     ? "memory (nothing is written to disk)"
      : d.mode == StoreMode::kPostgres ? "PostgreSQL (shared by every viewer "
                                         "process on this database)"
                                       : "disk",
      "</dd>\n<dt>Database</dt><dd><code>", HtmlEscape(d.database),
      "</code></dd>\n<dt>Started</dt><dd>", FormatTimestamp(d.started_at),
      "</dd>\n<dt>Uptime</dt><dd>", j["uptime_seconds"].get<double>(),
      " s</dd>\n");
  if (d.stats.byte_limit > 0) {
    absl::StrAppend(&out, "<dt>Memory</dt><dd>", HumanBytes(d.stats.bytes_used),
                    " of ", HumanBytes(d.stats.byte_limit),
                    " used (--max-memory)</dd>\n");
  }
  if (d.page_view_budget > 0) {
    absl::StrAppend(&out, "<dt>Page views</dt><dd>kept within ",
                    HumanBytes(d.page_view_budget), " (the oldest go first); ",
                    d.page_views_evicted, " deleted so far</dd>\n");
  }
  if (d.folder != nullptr) {
    absl::StrAppend(
        &out, "<dt>cids folder</dt><dd><code>", HtmlEscape(d.folder->path()),
        "</code>: ", d.folder->file_count(), " files, ", d.folder->bad_count(),
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
      absl::StrAppend(&out, "<li><code>", HtmlEscape(p.name),
                      "</code>: ", HtmlEscape(p.reason), "</li>\n");
    }
    absl::StrAppend(&out, "</ul>\n");
  }
  return out;
}

}  // namespace viewer::http_internal
