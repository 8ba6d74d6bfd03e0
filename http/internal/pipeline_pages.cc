#include "http/internal/pipeline_pages.h"

#include "absl/strings/str_cat.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

using json = nlohmann::json;

json OrNull(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

// A CID as a link when it was stored, as text otherwise.
std::string CidCell(const std::string& cid, bool stored) {
  if (cid.empty()) return "<span class=\"muted\">none</span>";
  if (!stored) return absl::StrCat("<code>", HtmlEscape(cid), "</code>");
  return absl::StrCat("<a class=\"cid\" href=\"/", HtmlEscape(cid), "\">",
                      HtmlEscape(cid), "</a>");
}

std::string StepRow(const PipelineStep& s, size_t number, bool stored) {
  return absl::StrCat(
      "<tr><td>", number, "</td><td><a href=\"/servers/", UrlEncode(s.server),
      "\">", HtmlEscape(s.server), "</a></td><td>",
      CidCell(s.definition_cid, true), "</td><td>",
      CidCell(s.input_cid, stored), " (", s.input_bytes, " bytes)</td><td>",
      s.output_cid.empty()
          ? std::string("<span class=\"muted\">did not render</span>")
          : absl::StrCat(CidCell(s.output_cid, stored), " (", s.output_bytes,
                         " bytes)"),
      "</td><td>", CidCell(s.invocation_cid, stored), "</td></tr>\n");
}

}  // namespace

const char* InputKindName(PipelineInputKind kind) {
  switch (kind) {
    case PipelineInputKind::kNone:
      return "none";
    case PipelineInputKind::kText:
      return "text";
    case PipelineInputKind::kCid:
      return "cid";
  }
  return "none";
}

json PipelineDebugJson(const PipelinePlan& plan, const PipelineRun& run,
                       bool stored) {
  json steps = json::array();
  for (const PipelineStep& s : run.steps) {
    steps.push_back({{"server", s.server},
                     {"definition_cid", s.definition_cid},
                     {"input_cid", OrNull(s.input_cid)},
                     {"input_bytes", s.input_bytes},
                     {"output_cid", OrNull(s.output_cid)},
                     {"output_bytes", s.output_bytes},
                     {"invocation_cid", OrNull(s.invocation_cid)}});
  }
  json out = {{"path", plan.path},
              {"servers", plan.servers},
              {"rest", plan.rest},
              {"input_kind", InputKindName(plan.input_kind)},
              {"input_cid", OrNull(plan.input_cid)},
              {"version_cid", OrNull(plan.version_cid)},
              {"via_aliases", plan.via_aliases},
              {"steps", steps},
              {"stored", stored},
              {"success", run.output.ok()}};
  if (run.output.ok()) {
    out["output_cid"] =
        run.steps.empty() ? json(nullptr) : json(run.steps.back().output_cid);
  } else {
    out["error"] = std::string(run.output.status().message());
  }
  return out;
}

std::string PipelineDebugHtml(const PipelinePlan& plan, const PipelineRun& run,
                              bool stored) {
  std::string out = absl::StrCat("<h1>Pipeline <code>", HtmlEscape(plan.path),
                                 "</code></h1>\n<dl class=\"counts\">\n");
  absl::StrAppend(&out, "<dt>Servers</dt><dd>", plan.servers.size(),
                  " (run right to left)</dd>\n<dt>Input</dt><dd>",
                  InputKindName(plan.input_kind), "</dd>\n");
  if (!plan.input_cid.empty()) {
    absl::StrAppend(&out, "<dt>Input CID</dt><dd>",
                    CidCell(plan.input_cid, true), "</dd>\n");
  }
  if (!plan.version_cid.empty()) {
    absl::StrAppend(&out, "<dt>Definition version</dt><dd>",
                    CidCell(plan.version_cid, true), "</dd>\n");
  }
  for (const std::string& via : plan.via_aliases) {
    absl::StrAppend(&out, "<dt>Alias led to</dt><dd><code>", HtmlEscape(via),
                    "</code></dd>\n");
  }
  absl::StrAppend(&out, "</dl>\n");
  if (!run.output.ok()) {
    absl::StrAppend(&out, ErrorBox(run.output.status().message()));
  }
  absl::StrAppend(&out,
                  "<table>\n<tr><th>Step</th><th>Server</th><th>Definition</th>"
                  "<th>Input</th><th>Output</th><th>Run</th></tr>\n");
  for (size_t i = 0; i < run.steps.size(); ++i) {
    absl::StrAppend(&out, StepRow(run.steps[i], i + 1, stored));
  }
  absl::StrAppend(&out, "</table>\n");
  if (!stored) {
    absl::StrAppend(&out,
                    "<p class=\"muted\">Nothing was stored: the CIDs above "
                    "are names only.</p>\n");
  }
  return out;
}

}  // namespace viewer::http_internal
