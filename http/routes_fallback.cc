// Fallback steps for paths no fixed route takes (after the fixed routes,
// before CIDs):
//
//   1. aliases: the enabled aliases, in name order, each rule in order;
//      the first match redirects (302 for GET and HEAD, 307 otherwise),
//      keeping the query string (app/alias_resolver.h).
//   2. servers: a path whose first segment is an enabled server runs the
//      pipeline it names (app/pipelines.h: /s1, /s1/rest, /s2/s1/input,
//      /s1/<cid-prefix> for a past definition; GET or POST), stores each
//      step's output as a CID, records a server_invocation per step and
//      redirects (302 for GET, 303 for POST) to /<output CID>. ?debug=1
//      answers the steps instead (JSON or HTML). A step that does not
//      render is 422 and stores nothing; a loop or too many servers is
//      400. In a read-only demo the output is the answer itself (200) and
//      nothing is stored.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "app/alias_rules.h"
#include "app/pipelines.h"
#include "app/server_runs.h"
#include "engine/status_macros.h"
#include "http/internal/pipeline_pages.h"
#include "http/internal/site.h"
#include "http/mime.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

std::string RawQuery(const httplib::Request& req) {
  size_t q = req.target.find('?');
  return q == std::string::npos ? "" : req.target.substr(q + 1);
}

ServerRequest ServerRequestOf(const httplib::Request& req) {
  ServerRequest request{
      .method = req.method, .path = req.path, .body_bytes = req.body.size()};
  for (const auto& [key, value] : req.params)
    request.query.emplace_back(key, value);
  for (const auto& [name, value] : req.headers) {
    request.headers.emplace_back(name, value);
  }
  return request;
}

// True when the request asks for a pipeline's steps (?debug=1).
bool WantsDebug(const Ctx& ctx) {
  std::optional<std::string> value = ctx.Query("debug");
  return value && IsDebugValue(*value);
}

// The steps of `run` (?debug=1): JSON or HTML, 200 when every step
// rendered, else 422.
void DebugAnswer(const PipelinePlan& plan, const PipelineRun& run, bool stored,
                 Ctx& ctx) {
  const int status = run.output.ok() ? 200 : 422;
  if (WantsJson(ctx.req)) {
    return ctx.Json(status, PipelineDebugJson(plan, run, stored));
  }
  ctx.Page("Pipeline", PipelineDebugHtml(plan, run, stored), "servers", status);
}

// A read-only demo runs a pipeline without storing anything: the output
// is the answer itself (200), not a redirect to a new CID.
void PreviewAnswer(const Site& site, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(
      ctx, std::optional<PipelinePlan> plan,
      PlanPipeline(*txn, site.cids(), &site.aliases(), ctx.req.path));
  if (!plan) return ctx.Error(404, "the server was just disabled");
  HTTP_ASSIGN_OR_FAIL(
      ctx, PipelineRun run,
      RunPipeline(*txn, site.cids(), *plan, ServerRequestOf(ctx.req),
                  site.clock().Now(), /*store=*/false));
  if (WantsDebug(ctx)) return DebugAnswer(*plan, run, false, ctx);
  if (!run.output.ok()) return ctx.Error(422, run.output.status().message());
  ctx.res.status = 200;
  SandboxUserContent(ctx.res);
  ctx.res.set_header("Cache-Control", "no-store");
  ctx.res.set_content(*run.output, MimeTypeFor("", *run.output).c_str());
}

// True when the path's first segment is an enabled server. Most paths
// that get here are CIDs, so this looks in a snapshot, without taking the
// write slot; a lookup that fails counts as "no" (the CID step comes next).
bool StartsWithServer(const Site& site, absl::string_view path) {
  const std::optional<std::string> name = ServerNameOf(path);
  if (!name) return false;
  absl::StatusOr<std::unique_ptr<Transaction>> txn = site.Read();
  if (!txn.ok()) return false;
  absl::StatusOr<bool> runnable = IsRunnableServer(**txn, *name);
  return runnable.ok() && *runnable;
}

// Runs the pipeline the path names for a GET or POST (PlanPipeline and
// RunPipeline, one transaction) and redirects to its output, or shows its
// steps (?debug=1).
void RunAnswer(const Site& site, Ctx& ctx) {
  const std::string& method = ctx.req.method;
  if (method != "GET" && method != "POST") {
    ctx.res.set_header("Allow", "GET, POST");
    return ctx.Error(
        405, absl::StrCat(method, " does not run a server; use GET or POST"));
  }
  const ServerRequest request = ServerRequestOf(ctx.req);
  std::optional<PipelinePlan> plan;
  std::optional<PipelineRun> run;
  absl::Status status = site.Write([&](Transaction& txn) -> absl::Status {
    VIEWER_ASSIGN_OR_RETURN(
        plan, PlanPipeline(txn, site.cids(), &site.aliases(), ctx.req.path));
    if (!plan) return absl::NotFoundError("the server was just disabled");
    VIEWER_ASSIGN_OR_RETURN(
        run, RunPipeline(txn, site.cids(), *plan, request, site.clock().Now()));
    return run->output.status();  // a step that failed stores nothing
  });
  if (run && !run->output.ok()) {
    // A step that did not render is its definition's problem, not the
    // request's syntax: 422, and nothing was stored.
    if (WantsDebug(ctx)) return DebugAnswer(*plan, *run, false, ctx);
    return ctx.Error(422, run->output.status().message());
  }
  HTTP_RETURN_IF_ERROR(ctx, status);
  if (WantsDebug(ctx)) return DebugAnswer(*plan, *run, true, ctx);
  ctx.Redirect(method == "POST" ? 303 : 302,
               absl::StrCat("/", run->steps.back().output_cid));
}

}  // namespace

std::optional<std::string> ServerNameOf(absl::string_view path) {
  const std::vector<absl::string_view> segments =
      absl::StrSplit(path, '/', absl::SkipEmpty());
  if (segments.empty()) return std::nullopt;
  return std::string(segments[0]);
}

bool TryAlias(const Site& site, Ctx& ctx) {
  absl::StatusOr<std::unique_ptr<Transaction>> txn = site.Read();
  if (!txn.ok()) {
    ctx.Fail(txn.status());
    return true;
  }
  absl::StatusOr<std::optional<std::string>> target =
      site.aliases().Resolve(**txn, ctx.req.path);
  if (!target.ok()) {
    ctx.Fail(target.status());
    return true;
  }
  if (!*target) return false;
  const bool get = ctx.req.method == "GET" || ctx.req.method == "HEAD";
  ctx.Redirect(get ? 302 : 307, WithQuery(**target, RawQuery(ctx.req)));
  return true;
}

bool TryServer(const Site& site, Ctx& ctx) {
  if (!StartsWithServer(site, ctx.req.path)) return false;
  // A read-only demo lets only GET and HEAD get this far; running a server
  // there stores nothing, so HEAD is answered as GET is.
  if (site.options().read_only) {
    PreviewAnswer(site, ctx);
  } else {
    RunAnswer(site, ctx);
  }
  return true;
}

}  // namespace viewer::http_internal
