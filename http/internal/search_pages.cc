#include "http/internal/search_pages.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "app/entities.h"
#include "http/internal/entity_pages.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

// An excerpt of `text` around the first case-insensitive match of `query`.
std::string Excerpt(absl::string_view text, absl::string_view query) {
  std::string lower_text(text), lower_query(query);
  for (char& c : lower_text)
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
  for (char& c : lower_query)
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
  size_t at = lower_text.find(lower_query);
  if (at == std::string::npos) at = 0;
  size_t begin = at > 40 ? at - 40 : 0;
  size_t end = std::min(text.size(), at + query.size() + 40);
  // Keep whole UTF-8 characters.
  while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80)
    --begin;
  while (end < text.size() &&
         (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    ++end;
  return absl::StrCat(begin > 0 ? "… " : "", text.substr(begin, end - begin),
                      end < text.size() ? " …" : "");
}

}  // namespace

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
    absl::StrAppend(&out,
                    "<table>\n<tr><th>Kind</th><th>Name</th>"
                    "<th>Match</th></tr>\n");
    for (const SearchHit& hit : r.entities) {
      absl::StrAppend(
          &out, "<tr><td>", EntityDisplayName(hit.kind), "</td><td><a href=\"",
          EntityPath(hit.kind, hit.name), "\">", HtmlEscape(hit.name),
          "</a></td><td>",
          hit.in_definition
              ? absl::StrCat("<code>",
                             HtmlEscape(Excerpt(hit.definition, r.query)),
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

}  // namespace viewer::http_internal
