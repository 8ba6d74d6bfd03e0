// What `?debug=1` on a pipeline answers: the plan (servers, input, aliases
// followed) and each step with its input and output CIDs, as JSON or HTML
// (docs/pipelines.md).
//
//   ctx.Json(200, PipelineDebugJson(plan, run, /*stored=*/true));
//   ctx.Page("Pipeline", PipelineDebugHtml(plan, run, true), "servers");
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_INTERNAL_PIPELINE_PAGES_H_
#define VIEWER_HTTP_INTERNAL_PIPELINE_PAGES_H_

#include <string>

#include "app/pipelines.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

// "none", "text" or "cid".
const char* InputKindName(PipelineInputKind kind);

// `stored`: the run's CIDs were stored (false in a read-only demo, whose
// CIDs are names only, and for a run that failed and was rolled back).
nlohmann::json PipelineDebugJson(const PipelinePlan& plan,
                                 const PipelineRun& run, bool stored);
std::string PipelineDebugHtml(const PipelinePlan& plan, const PipelineRun& run,
                              bool stored);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_PIPELINE_PAGES_H_
