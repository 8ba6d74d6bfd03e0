#include "http/internal/export_pages.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "app/entities.h"
#include "app/time_text.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

struct Choice {
  absl::string_view field;
  absl::string_view label;
  bool checked;
  absl::string_view note;  // HTML
};

// The export choices, in ExportOptions' order and with its defaults.
constexpr Choice kChoices[] = {
    {"servers", "Servers", true, ""},
    {"aliases", "Aliases", true, ""},
    {"variables", "Variables", true, ""},
    {"secrets", "Secrets", false,
     "<span class=\"warning\">Warning: secret values are written in the "
     "clear, and the export is stored here as a CID anyone who can reach "
     "this viewer may fetch.</span>"},
    {"history", "History", false,
     "<span class=\"muted\">every page view and entity interaction</span>"},
    {"cids", "CIDs the entities reference", true,
     "<span class=\"muted\">with their bytes, so the document stands "
     "alone</span>"},
    {"all_cids", "Every stored CID", false,
     "<span class=\"muted\">all uploads and server results, referenced or "
     "not</span>"},
};

std::string ChoicesHtml(bool read_only) {
  std::string out = "<fieldset>\n<legend>What to export</legend>\n";
  for (const Choice& c : kChoices) {
    absl::StrAppend(&out,
                    "<label class=\"check\"><input type=\"checkbox\" "
                    "name=\"",
                    c.field, "\" value=\"1\"", c.checked ? " checked" : "",
                    read_only ? " disabled" : "", "> ", c.label, "</label>",
                    c.note.empty() ? "" : " ", c.note, "\n");
  }
  absl::StrAppend(&out, "</fieldset>\n");
  return out;
}

}  // namespace

std::string ExportDownloadPath(absl::string_view cid) {
  return absl::StrCat("/", cid, ".json");
}

std::string ExportPageHtml(const ExportPage& page) {
  std::string out = "<h1>Export</h1>\n";
  if (!page.made.empty()) {
    absl::StrAppend(
        &out,
        "<p class=\"message ok\" role=\"status\">Export ready: <a href=\"",
        ExportDownloadPath(page.made), "\" download=\"viewer-export-",
        page.made.substr(0, 16), ".json\">download ",
        ExportDownloadPath(page.made),
        "</a>. Bring it back with <a href=\"/import\">Import</a>, or start a "
        "memory session from it with <code>viewer --in-memory-db --load "
        "FILE</code>.</p>\n");
  }
  absl::StrAppend(
      &out,
      "<p>One JSON document with the kinds you choose, stored here as a CID "
      "and listed below. In memory mode this is how work outlives the "
      "session: download the file.</p>\n");
  if (page.read_only) {
    absl::StrAppend(&out,
                    "<p class=\"message\">This is a read-only demo: "
                    "exports are not made here.</p>\n");
  }
  absl::StrAppend(&out,
                  "<form class=\"stack\" method=\"post\" "
                  "action=\"/export\">\n",
                  ChoicesHtml(page.read_only),
                  "<p class=\"actions\"><button type=\"submit\"",
                  page.read_only ? " disabled" : "",
                  ">Export</button> <a href=\"/import\">Import a "
                  "document</a></p>\n</form>\n<h2>Past exports</h2>\n");
  if (page.exports.empty()) {
    absl::StrAppend(&out, "<p class=\"muted\">None yet.</p>\n");
    return out;
  }
  absl::StrAppend(&out, "<table>\n<tr><th>Made</th><th>Document</th></tr>\n");
  for (const ExportRecord& e : page.exports) {
    absl::StrAppend(&out, "<tr><td>", FormatTimestamp(e.created_at),
                    "</td><td><a class=\"cid\" href=\"",
                    HtmlEscape(ExportDownloadPath(e.cid)), "\">",
                    HtmlEscape(ExportDownloadPath(e.cid)), "</a></td></tr>\n");
  }
  absl::StrAppend(&out, "</table>\n");
  return out;
}

nlohmann::json ImportResultJson(const ImportResult& r) {
  nlohmann::json j = nlohmann::json::object();
  for (EntityKind kind : kAllEntityKinds) {
    const ImportCounts& c = r.of(kind);
    j[std::string(EntityPluralName(kind))] = {{"created", c.created},
                                              {"updated", c.updated},
                                              {"unchanged", c.unchanged}};
  }
  j["page_views"] = r.page_views;
  j["interactions"] = r.interactions;
  j["cids"] = {{"added", r.cids_added}, {"present", r.cids_present}};
  j["skipped_secrets"] = r.skipped_secrets;
  j["notes"] = r.notes;
  return j;
}

ImportProblems SplitImportProblems(absl::string_view message) {
  ImportProblems out;
  std::vector<absl::string_view> lines =
      absl::StrSplit(message, '\n', absl::SkipEmpty());
  if (lines.empty()) return out;
  out.summary = std::string(lines[0]);
  for (size_t i = 1; i < lines.size(); ++i) {
    out.problems.emplace_back(lines[i]);
  }
  return out;
}

std::string ImportPageHtml(absl::string_view message,
                           const std::vector<std::string>& problems,
                           const ImportResult* result, bool read_only) {
  std::string out = "<h1>Import</h1>\n";
  if (result != nullptr) {
    absl::StrAppend(&out,
                    "<p class=\"message ok\" role=\"status\">Imported. "
                    "Nothing else was changed.</p>\n<table>\n<tr><th>"
                    "Kind</th><th>Created</th><th>Updated</th><th>"
                    "Unchanged</th></tr>\n");
    for (EntityKind kind : kAllEntityKinds) {
      const ImportCounts& c = result->of(kind);
      absl::StrAppend(&out, "<tr><td><a href=\"/", EntityPluralName(kind),
                      "\">", EntityPluralName(kind), "</a></td><td>", c.created,
                      "</td><td>", c.updated, "</td><td>", c.unchanged,
                      "</td></tr>\n");
    }
    absl::StrAppend(&out, "</table>\n<p>Page views added: ", result->page_views,
                    ". Interactions added: ", result->interactions,
                    ". CIDs added: ", result->cids_added, " (",
                    result->cids_present, " already here).</p>\n");
    if (!result->skipped_secrets.empty()) {
      absl::StrAppend(&out,
                      "<p class=\"message\">Encrypted secrets not imported "
                      "(give the key they were exported with):</p>\n<ul>\n");
      for (const std::string& name : result->skipped_secrets) {
        absl::StrAppend(&out, "<li>", HtmlEscape(name), "</li>\n");
      }
      absl::StrAppend(&out, "</ul>\n");
    }
    if (!result->notes.empty()) {
      absl::StrAppend(&out, "<h2>Notes</h2>\n<ul class=\"notes\">\n");
      for (const std::string& note : result->notes) {
        absl::StrAppend(&out, "<li>", HtmlEscape(note), "</li>\n");
      }
      absl::StrAppend(&out, "</ul>\n");
    }
  }
  absl::StrAppend(&out, ErrorBox(message));
  if (!problems.empty()) {
    absl::StrAppend(&out, "<ul class=\"problems\">\n");
    for (const std::string& p : problems) {
      absl::StrAppend(&out, "<li><code>", HtmlEscape(p), "</code></li>\n");
    }
    absl::StrAppend(&out,
                    "</ul>\n<p>Nothing was imported: a document is "
                    "applied whole or not at all.</p>\n");
  }
  absl::StrAppend(
      &out,
      "<p>Apply an export document (from <a href=\"/export\">Export</a>) in "
      "one step: everything in it, or, when anything is wrong, nothing and "
      "the list of problems. Entities with the same name are updated; the "
      "kinds the document lacks are left alone. The original application's "
      "exports (version 6) are read too: give the key its secrets were "
      "encrypted with, or they are left out and listed.</p>\n");
  if (read_only) {
    absl::StrAppend(&out,
                    "<p class=\"message\">This is a read-only demo: "
                    "imports are refused.</p>\n");
  }
  const char* disabled = read_only ? " disabled" : "";
  absl::StrAppend(
      &out,
      "<form class=\"stack\" method=\"post\" action=\"/import\" "
      "enctype=\"multipart/form-data\">\n<label for=\"file\">A document file"
      "</label>\n<input type=\"file\" id=\"file\" name=\"file\" "
      "accept=\".json,application/json\"",
      disabled,
      ">\n<label for=\"document\">or its text</label>\n<textarea "
      "id=\"document\" name=\"document\"",
      disabled,
      "></textarea>\n<label for=\"cid\">or the CID of a document stored "
      "here or in the cids folder</label>\n<input id=\"cid\" name=\"cid\"",
      disabled,
      ">\n<label for=\"key\">Key of the original's encrypted secrets "
      "(optional)</label>\n<input type=\"password\" id=\"key\" name=\"key\" "
      "autocomplete=\"off\"",
      disabled, ">\n<p class=\"actions\"><button type=\"submit\"", disabled,
      ">Import</button></p>\n</form>\n");
  return out;
}

}  // namespace viewer::http_internal
