// Fallback steps for paths no fixed route takes (after the fixed routes,
// before CIDs):
//
//   1. aliases: the enabled aliases, in name order, each rule in order;
//      the first match redirects (302 for GET and HEAD, 307 otherwise),
//      keeping the query string (app/alias_resolver.h).
//   2. servers: /<name> of an enabled server runs its template (GET or
//      POST), stores the output as a CID, records a server_invocation and
//      redirects (302 for GET, 303 for POST) to /<result CID>
//      (app/server_runs.h). An unknown placeholder is 422 and stores
//      nothing. In a read-only demo the output is the answer itself (200)
//      and nothing is stored.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/alias_rules.h"
#include "app/server_runs.h"
#include "engine/status_macros.h"
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

// A read-only demo runs a server without storing anything: the output is
// the answer itself (200), not a redirect to a new CID.
void PreviewServerAnswer(const Site& site, const std::string& name, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, ServerRun run,
                      PreviewServer(*txn, name, ServerRequestOf(ctx.req)));
  if (!run.output.ok()) return ctx.Error(422, run.output.status().message());
  ctx.res.status = 200;
  SandboxUserContent(ctx.res);
  ctx.res.set_header("Cache-Control", "no-store");
  ctx.res.set_content(*run.output, MimeTypeFor("", *run.output).c_str());
}

// The one-segment path that names a server ("/hello"), if `path` is one.
std::optional<std::string> ServerNameOf(absl::string_view path) {
  const std::vector<absl::string_view> segments = SplitPath(path);
  if (segments.size() != 1 || segments[0].empty()) return std::nullopt;
  return std::string(segments[0]);
}

// True when `name` is an enabled server. Most paths that get here are
// CIDs, so this looks in a snapshot, without taking the write slot; a
// lookup that fails counts as "no" (the CID step comes next).
absl::StatusOr<bool> IsServerName(const Site& site, const std::string& name) {
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, site.Read());
  absl::StatusOr<bool> runnable = IsRunnableServer(*txn, name);
  return runnable.ok() && *runnable;
}

// Runs the server `name` for a GET or POST (RunServer, one transaction)
// and redirects to its output.
void RunServerAnswer(const Site& site, const std::string& name, Ctx& ctx) {
  const std::string& method = ctx.req.method;
  if (method != "GET" && method != "POST") {
    ctx.res.set_header("Allow", "GET, POST");
    return ctx.Error(
        405, absl::StrCat(method, " does not run a server; use GET or POST"));
  }
  const ServerRequest request = ServerRequestOf(ctx.req);
  std::optional<ServerRun> run;
  absl::Status status = site.Write([&](Transaction& txn) -> absl::Status {
    VIEWER_ASSIGN_OR_RETURN(
        run, RunServer(txn, site.cids(), name, request, site.clock().Now()));
    return run->output.status();  // a template that failed stores nothing
  });
  if (run && !run->output.ok()) {
    // An unknown placeholder is the definition's problem, not the
    // request's syntax: 422, and nothing was stored.
    return ctx.Error(422, run->output.status().message());
  }
  HTTP_RETURN_IF_ERROR(ctx, status);
  ctx.Redirect(method == "POST" ? 303 : 302,
               absl::StrCat("/", run->result_cid));
}

}  // namespace

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
  const std::optional<std::string> name = ServerNameOf(ctx.req.path);
  if (!name) return false;
  absl::StatusOr<bool> is_server = IsServerName(site, *name);
  if (!is_server.ok()) {
    ctx.Fail(is_server.status());
    return true;
  }
  if (!*is_server) return false;
  // A read-only demo lets only GET and HEAD get this far; running a server
  // there stores nothing, so HEAD is answered as GET is.
  if (site.options().read_only) {
    PreviewServerAnswer(site, *name, ctx);
  } else {
    RunServerAnswer(site, *name, ctx);
  }
  return true;
}

}  // namespace viewer::http_internal
