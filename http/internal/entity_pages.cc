#include "http/internal/entity_pages.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "app/time_text.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

// The first line of `text`, cut to `max` bytes on a UTF-8 boundary.
std::string Preview(absl::string_view text, size_t max) {
  size_t end = std::min(text.find('\n'), text.size());
  bool cut = end < text.size();
  if (end > max) {
    end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    cut = true;
  }
  return absl::StrCat(text.substr(0, end), cut ? " …" : "");
}

absl::string_view Hint(EntityKind kind) {
  switch (kind) {
    case EntityKind::kServer:
      return "A template: {{name}} is the enabled variable <i>name</i>, "
             "{{secret:NAME}} a secret, {{request.path}} and "
             "{{request.query.KEY}} the request's, {{input}} the input in a "
             "pipeline (/s2/s1/input). Visiting /<i>server name</i> runs "
             "it and stores the output as a CID.";
    case EntityKind::kAlias:
      return "One rule per line: <code>pattern -&gt; /target</code>, literal "
             "unless marked [glob] or [regex]; add [ignore-case] to ignore "
             "case. # starts a comment.";
    case EntityKind::kVariable:
      return "The value servers get for {{<i>name</i>}}.";
    case EntityKind::kSecret:
      return "The value servers get for {{secret:<i>NAME</i>}}. It is shown "
             "only on this secret's own page.";
  }
  return "";
}

}  // namespace

std::string KindTitle(EntityKind kind) {
  std::string title(EntityDisplayName(kind));
  if (!title.empty()) title[0] = absl::ascii_toupper(title[0]);
  return title;
}

std::string EntityPath(EntityKind kind, absl::string_view name) {
  return absl::StrCat("/", EntityPluralName(kind), "/", UrlEncode(name));
}

nlohmann::json EntityJson(const Entity& e, bool with_definition) {
  nlohmann::json j = {{"kind", std::string(EntityDisplayName(e.kind))},
                      {"name", e.name},
                      {"enabled", e.enabled},
                      {"created_at", FormatTimestamp(e.created_at)},
                      {"updated_at", FormatTimestamp(e.updated_at)}};
  if (with_definition) {
    j["definition"] = e.definition ? nlohmann::json(*e.definition) : nullptr;
  }
  if (e.kind == EntityKind::kServer) {
    j["definition_cid"] =
        e.definition_cid ? nlohmann::json(*e.definition_cid) : nullptr;
  }
  return j;
}

nlohmann::json InteractionJson(const Interaction& i) {
  return {{"id", i.id},
          {"entity_type", i.entity_type},
          {"entity_name", i.entity_name},
          {"action", i.action},
          {"message", i.message ? nlohmann::json(*i.message) : nullptr},
          {"content", i.content},
          {"created_at", FormatTimestamp(i.created_at)}};
}

std::string EntityListHtml(EntityKind kind, const std::vector<Entity>& list) {
  const std::string plural(EntityPluralName(kind));
  const bool secret = kind == EntityKind::kSecret;
  std::string out = absl::StrCat(
      "<h1>", KindTitle(kind), plural.substr(EntityDisplayName(kind).size()),
      "</h1>\n<p class=\"actions\"><a class=\"button\" href=\"/", plural,
      "/new\">New ", EntityDisplayName(kind), "</a> <a href=\"/", plural,
      ".json\">JSON</a></p>\n");
  if (list.empty()) {
    absl::StrAppend(&out, "<p class=\"muted\">No ", plural, " yet.</p>\n");
    return out;
  }
  absl::StrAppend(&out, "<table>\n<tr><th>Name</th>",
                  secret ? "" : "<th>Definition</th>",
                  "<th>Enabled</th><th>Updated</th></tr>\n");
  for (const Entity& e : list) {
    absl::StrAppend(&out, "<tr", e.enabled ? "" : " class=\"disabled\"",
                    "><td><a href=\"", EntityPath(kind, e.name), "\">",
                    HtmlEscape(e.name), "</a></td>");
    if (!secret) {
      absl::StrAppend(&out, "<td><code>",
                      e.definition ? HtmlEscape(Preview(*e.definition, 80))
                                   : "<span class=\"muted\">none</span>",
                      "</code></td>");
    }
    absl::StrAppend(&out, "<td>", e.enabled ? "yes" : "no", "</td><td>",
                    FormatTimestamp(e.updated_at), "</td></tr>\n");
  }
  absl::StrAppend(&out, "</table>\n");
  return out;
}

std::string EntityViewHtml(const Entity& e,
                           const std::vector<Interaction>& history,
                           absl::string_view after_definition) {
  const std::string path = EntityPath(e.kind, e.name);
  std::string out = absl::StrCat(
      "<h1>", KindTitle(e.kind), " <code>", HtmlEscape(e.name), "</code>",
      e.enabled ? "" : " <span class=\"disabled\">(disabled)</span>",
      "</h1>\n");
  absl::StrAppend(&out, "<h2>Definition</h2>\n",
                  e.definition
                      ? absl::StrCat("<pre>", HtmlEscape(*e.definition),
                                     "</pre>\n")
                      : "<p class=\"muted\">No definition.</p>\n",
                  after_definition);
  absl::StrAppend(&out, "<dl class=\"counts\">\n");
  if (e.definition_cid) {
    absl::StrAppend(&out, "<dt>Definition CID</dt><dd><a class=\"cid\" href=\"/",
                    HtmlEscape(*e.definition_cid), "\">",
                    HtmlEscape(*e.definition_cid), "</a></dd>\n");
  }
  absl::StrAppend(&out, "<dt>Enabled</dt><dd>", e.enabled ? "yes" : "no",
                  "</dd>\n<dt>Created</dt><dd>", FormatTimestamp(e.created_at),
                  "</dd>\n<dt>Updated</dt><dd>", FormatTimestamp(e.updated_at),
                  "</dd>\n</dl>\n<p class=\"actions\">");
  if (e.kind == EntityKind::kServer && e.enabled) {
    absl::StrAppend(&out, "<a class=\"button\" href=\"/", UrlEncode(e.name),
                    "\">Run</a> ");
  }
  absl::StrAppend(
      &out, "<a class=\"button\" href=\"", path, "/edit\">Edit</a> ",
      "<form class=\"inline\" method=\"post\" action=\"", path,
      "/enabled\"><input type=\"hidden\" name=\"enabled\" value=\"",
      e.enabled ? "0" : "1", "\"><button class=\"secondary\" type=\"submit\">",
      e.enabled ? "Disable" : "Enable", "</button></form>",
      "<form class=\"inline\" method=\"post\" action=\"", path,
      "/delete\"><button class=\"danger\" type=\"submit\">Delete</button>"
      "</form> <a href=\"",
      path, ".json\">JSON</a></p>\n<h2>History</h2>\n");
  if (history.empty()) {
    absl::StrAppend(&out, "<p class=\"muted\">No interactions recorded.</p>\n");
    return out;
  }
  absl::StrAppend(&out, "<table>\n<tr><th>When</th><th>Action</th>"
                        "<th>Message</th><th>Content</th></tr>\n");
  for (const Interaction& i : history) {
    absl::StrAppend(&out, "<tr><td>", FormatTimestamp(i.created_at),
                    "</td><td>", HtmlEscape(i.action), "</td><td>",
                    HtmlEscape(i.message.value_or("")), "</td><td><code>",
                    HtmlEscape(Preview(i.content, 120)), "</code></td></tr>\n");
  }
  absl::StrAppend(&out, "</table>\n");
  return out;
}

std::string EntityFormHtml(EntityKind kind, absl::string_view original_name,
                           const EntityFormValues& values,
                           absl::string_view message) {
  const bool is_new = original_name.empty();
  const std::string action =
      is_new ? absl::StrCat("/", EntityPluralName(kind), "/new")
             : absl::StrCat(EntityPath(kind, original_name), "/edit");
  const std::string cancel = is_new
                                 ? absl::StrCat("/", EntityPluralName(kind))
                                 : EntityPath(kind, original_name);
  return absl::StrCat(
      "<h1>", is_new ? "New " : "Edit ", EntityDisplayName(kind),
      is_new ? "" : absl::StrCat(" <code>", HtmlEscape(original_name), "</code>"),
      "</h1>\n", ErrorBox(message),
      "<form class=\"stack\" method=\"post\" action=\"", action, "\">\n",
      "<label for=\"name\">Name</label>\n<input type=\"text\" id=\"name\" "
      "name=\"name\" required maxlength=\"100\" value=\"",
      HtmlEscape(values.name), "\">\n",
      "<p class=\"muted\">1-100 characters: letters, digits, '.', '_', "
      "'-'.</p>\n<label for=\"definition\">Definition</label>\n"
      "<textarea id=\"definition\" name=\"definition\">\n",
      HtmlEscape(values.definition), "</textarea>\n<p class=\"muted\">",
      Hint(kind), "</p>\n",
      "<label><input type=\"hidden\" name=\"enabled\" value=\"0\">"
      "<input type=\"checkbox\" name=\"enabled\" value=\"1\"",
      values.enabled ? " checked" : "", "> Enabled</label>\n",
      "<p class=\"actions\"><button type=\"submit\">",
      is_new ? "Create" : "Save", "</button> <a href=\"", cancel,
      "\">Cancel</a></p>\n</form>\n");
}

}  // namespace viewer::http_internal
