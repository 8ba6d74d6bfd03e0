#include "http/internal/server_pages.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "app/time_text.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

using json = nlohmann::json;

json OptionalText(const std::optional<std::string>& text) {
  return text ? json(*text) : json(nullptr);
}

// A link to /<cid> showing its first characters, or "none".
std::string CidLink(const std::optional<std::string>& cid,
                    absl::string_view label = "") {
  if (!cid || cid->empty()) return "<span class=\"muted\">none</span>";
  const std::string shown =
      label.empty()
          ? absl::StrCat(cid->substr(0, 16), cid->size() > 16 ? "…" : "")
          : std::string(label);
  return absl::StrCat("<a class=\"cid\" href=\"/", HtmlEscape(*cid),
                      "\" title=\"", HtmlEscape(*cid), "\">", HtmlEscape(shown),
                      "</a>");
}

std::string RunRow(const Invocation& run, bool with_server) {
  std::string row =
      absl::StrCat("<tr><td>", FormatTimestamp(run.invoked_at), "</td>");
  if (with_server) {
    absl::StrAppend(&row, "<td><a href=\"/servers/", UrlEncode(run.server_name),
                    "\">", HtmlEscape(run.server_name), "</a></td>");
  }
  absl::StrAppend(&row, "<td>", CidLink(run.result_cid), "</td><td>",
                  CidLink(run.request_details_cid, "request"), " ",
                  CidLink(run.variables_cid, "variables"), " ",
                  CidLink(run.secrets_cid, "secrets"), " ",
                  CidLink(run.servers_cid, "servers"), "</td><td>",
                  CidLink(run.invocation_cid, "summary"), "</td></tr>\n");
  return row;
}

std::string RunTable(const std::vector<Invocation>& runs, bool with_server) {
  std::string out = absl::StrCat(
      "<table>\n<tr><th>When</th>", with_server ? "<th>Server</th>" : "",
      "<th>Result</th><th>Request and context</th><th>Run</th></tr>\n");
  for (const Invocation& run : runs) {
    absl::StrAppend(&out, RunRow(run, with_server));
  }
  absl::StrAppend(&out, "</table>\n");
  return out;
}

std::string EventsLink(const ServerEventsForm& form, int64_t page) {
  std::string link = absl::StrCat("/server_events?page=", page);
  for (const auto& [key, value] :
       {std::pair<const char*, const std::string*>{"server", &form.server},
        {"result", &form.result},
        {"start", &form.start},
        {"end", &form.end}}) {
    if (!value->empty()) {
      absl::StrAppend(&link, "&amp;", key, "=", UrlEncode(*value));
    }
  }
  return link;
}

std::string TextField(absl::string_view label, absl::string_view name,
                      absl::string_view value) {
  return absl::StrCat("<label>", label, " <input type=\"text\" name=\"", name,
                      "\" value=\"", HtmlEscape(value), "\"></label> ");
}

}  // namespace

json InvocationJson(const Invocation& run) {
  return {{"id", run.id},
          {"server_name", run.server_name},
          {"result_cid", run.result_cid},
          {"servers_cid", OptionalText(run.servers_cid)},
          {"variables_cid", OptionalText(run.variables_cid)},
          {"secrets_cid", OptionalText(run.secrets_cid)},
          {"request_details_cid", OptionalText(run.request_details_cid)},
          {"invocation_cid", OptionalText(run.invocation_cid)},
          {"external_calls_cid", OptionalText(run.external_calls_cid)},
          {"invoked_at", FormatTimestamp(run.invoked_at)}};
}

json VersionJson(const DefinitionVersion& v) {
  return {{"definition_cid", v.cid},
          {"saved_at", FormatTimestamp(v.saved_at)},
          {"current", v.current}};
}

std::string ServerVersionsHtml(absl::string_view server,
                               const std::vector<DefinitionVersion>& versions) {
  std::string out = absl::StrCat(
      "<h2>Definition history</h2>\n<p class=\"muted\">Each definition this "
      "server was saved with, by CID. <code>/",
      HtmlEscape(server),
      "/&lt;CID prefix&gt;</code> runs a past one.</p>\n<table>\n"
      "<tr><th>Saved</th><th>Definition CID</th><th></th></tr>\n");
  for (const DefinitionVersion& v : versions) {
    const std::string prefix =
        v.cid.substr(0, std::min<size_t>(v.cid.size(), 24));
    absl::StrAppend(&out, "<tr><td>", FormatTimestamp(v.saved_at), "</td><td>",
                    CidLink(v.cid),
                    v.current ? " <span class=\"muted\">(current)</span>" : "",
                    "</td><td><a href=\"/", UrlEncode(server), "/",
                    HtmlEscape(prefix), "\">Run this version</a></td></tr>\n");
  }
  absl::StrAppend(&out, "</table>\n");
  return out;
}

std::string ServerRunsHtml(absl::string_view server,
                           const InvocationPage& runs) {
  std::string out =
      absl::StrCat("<h2>Runs</h2>\n<p>", runs.total,
                   " runs. <a href=\"/server_events?server=", UrlEncode(server),
                   "\">All runs</a></p>\n");
  if (runs.invocations.empty()) {
    absl::StrAppend(&out, "<p class=\"muted\">Not run yet.</p>\n");
    return out;
  }
  absl::StrAppend(&out, RunTable(runs.invocations, /*with_server=*/false));
  return out;
}

json ServerEventsJson(const InvocationPage& page) {
  json events = json::array();
  for (const Invocation& run : page.invocations) {
    events.push_back(InvocationJson(run));
  }
  return {{"page", page.page},
          {"per_page", page.per_page},
          {"pages", page.pages()},
          {"total", page.total},
          {"events", events}};
}

std::string ServerEventsHtml(const InvocationPage& page,
                             const ServerEventsForm& form) {
  std::string out = absl::StrCat(
      "<h1>Server events</h1>\n<form method=\"get\" action=\"/server_events\">",
      TextField("Server", "server", form.server),
      TextField("Result CID", "result", form.result),
      TextField("From", "start", form.start), TextField("to", "end", form.end),
      "<button type=\"submit\">Filter</button></form>\n<p>", page.total,
      " server runs (UTC). <a href=\"/server_events.json\">JSON</a></p>\n");
  if (page.invocations.empty()) {
    absl::StrAppend(&out, "<p class=\"muted\">No server runs here.</p>\n");
  } else {
    absl::StrAppend(&out, RunTable(page.invocations, /*with_server=*/true));
  }
  absl::StrAppend(&out, "<p class=\"pager\">");
  if (page.page > 1) {
    absl::StrAppend(&out, "<a href=\"", EventsLink(form, page.page - 1),
                    "\">Newer</a>");
  }
  if (page.page < page.pages()) {
    absl::StrAppend(&out, "<a href=\"", EventsLink(form, page.page + 1),
                    "\">Older</a>");
  }
  absl::StrAppend(&out, " Page ", page.page, " of ",
                  std::max<int64_t>(page.pages(), 1), "</p>\n");
  return out;
}

std::string CidEditHtml(absl::string_view cid, absl::string_view text,
                        bool crlf, absl::string_view message) {
  return absl::StrCat(
      "<h1>Edit CID <code>", HtmlEscape(cid.substr(0, 24)),
      cid.size() > 24 ? "…" : "", "</code></h1>\n", ErrorBox(message),
      "<p class=\"muted\">Saving stores the text as a new CID; <a href=\"/",
      HtmlEscape(cid), "\">the original</a> stays as it is.</p>\n",
      "<form class=\"stack\" method=\"post\" action=\"/edit/", HtmlEscape(cid),
      "\">\n<input type=\"hidden\" name=\"newlines\" value=\"",
      crlf ? "crlf" : "lf", "\">\n<label for=\"text\">Text</label>\n",
      "<textarea id=\"text\" name=\"text\">\n", HtmlEscape(text),
      "</textarea>\n<p class=\"actions\"><button type=\"submit\">Save as new "
      "CID</button> <a href=\"/",
      HtmlEscape(cid), "\">Cancel</a></p>\n</form>\n");
}

std::string BulkEditHtml(EntityKind kind, absl::string_view document,
                         absl::string_view message) {
  const std::string plural(EntityPluralName(kind));
  return absl::StrCat(
      "<h1>Edit all ", plural, "</h1>\n", ErrorBox(message),
      "<p class=\"muted\">One JSON object of name to value. Saving makes the ",
      plural,
      " exactly this document: names left out are deleted. The whole "
      "document is checked first; one bad entry changes nothing.</p>\n",
      "<form class=\"stack\" method=\"post\" action=\"/", plural,
      "/_/edit\">\n<label for=\"document\">", plural,
      " (JSON)</label>\n<textarea id=\"document\" name=\"document\">\n",
      HtmlEscape(document),
      "</textarea>\n<p class=\"actions\"><button type=\"submit\">Save</button> "
      "<a href=\"/",
      plural, "\">Cancel</a></p>\n</form>\n");
}

}  // namespace viewer::http_internal
