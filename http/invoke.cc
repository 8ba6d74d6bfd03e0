// Fallback steps for paths no fixed route takes (after the fixed routes,
// before CIDs):
//
//   1. aliases: the enabled aliases, in name order, each rule in order;
//      the first match redirects (302 for GET and HEAD, 307 otherwise),
//      keeping the query string.
//   2. servers: /<name> of an enabled server runs its template (GET or
//      POST), stores the output as a CID, records a server_invocation and
//      redirects (302 for GET, 303 for POST) to /<result CID>. An unknown
//      placeholder is 422 and stores nothing. In a read-only demo the
//      output is the answer itself (200) and nothing is stored.
#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "app/entities.h"
#include "app/invocations.h"
#include "app/alias_rules.h"
#include "http/internal/app.h"
#include "http/mime.h"
#include "http/render.h"
#include "app/templates.h"

namespace viewer::http_internal {
namespace {

// Request headers left out of the stored request details: credentials,
// and what only describes this server's own address (so that identical
// requests to two servers are stored identically).
bool IsPrivateHeader(const std::string& name) {
  static constexpr absl::string_view kPrivate[] = {
      "authorization", "cookie",      "proxy-authorization", "host",
      "remote_addr",   "remote_port", "local_addr",          "local_port"};
  const std::string lower = absl::AsciiStrToLower(name);
  for (absl::string_view p : kPrivate) {
    if (lower == p) return true;
  }
  return false;
}

std::string RawQuery(const httplib::Request& req) {
  size_t q = req.target.find('?');
  return q == std::string::npos ? "" : req.target.substr(q + 1);
}

nlohmann::json RequestDetails(const httplib::Request& req) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, value] : req.headers) {
    if (IsPrivateHeader(name)) continue;
    std::string key = absl::AsciiStrToLower(name);
    if (headers.contains(key)) {
      headers[key] = absl::StrCat(headers[key].get<std::string>(), ", ", value);
    } else {
      headers[key] = value;
    }
  }
  nlohmann::json query = nlohmann::json::array();
  for (const auto& [key, value] : req.params) query.push_back({key, value});
  return {{"method", req.method},
          {"path", req.path},
          {"query", query},
          {"headers", headers},
          {"body_bytes", req.body.size()}};
}

absl::StatusOr<std::string> StoreJson(const App& app, Transaction& txn,
                                      const nlohmann::json& doc) {
  return app.cids().Create(txn, DumpJson(doc, 2));
}

// What a template saw, as stored with an invocation (secrets by name only).
struct Seen {
  nlohmann::json variables = nlohmann::json::array();
  nlohmann::json secrets = nlohmann::json::array();
  nlohmann::json servers = nlohmann::json::array();
};

// The template's inputs: the request, and every enabled variable, secret
// and server as `txn` sees them.
absl::Status GatherInputs(Transaction& txn, const Ctx& ctx,
                          TemplateInputs& inputs, Seen& seen) {
  inputs.request_path = ctx.req.path;
  for (const auto& [k, v] : ctx.req.params) inputs.query.emplace(k, v);
  for (EntityKind kind :
       {EntityKind::kVariable, EntityKind::kSecret, EntityKind::kServer}) {
    absl::StatusOr<std::vector<Entity>> list = ListEntities(txn, kind);
    if (!list.ok()) return list.status();
    for (const Entity& e : *list) {
      if (!e.enabled) continue;
      const std::string value = e.definition.value_or("");
      if (kind == EntityKind::kVariable) {
        inputs.variables.emplace(e.name, value);
        seen.variables.push_back({{"name", e.name}, {"value", value}});
      } else if (kind == EntityKind::kSecret) {
        inputs.secrets.emplace(e.name, value);
        seen.secrets.push_back(e.name);  // never the value
      } else {
        seen.servers.push_back(
            {{"name", e.name},
             {"definition", value},
             {"definition_cid",
              e.definition_cid ? nlohmann::json(*e.definition_cid) : nullptr}});
      }
    }
  }
  return absl::OkStatus();
}

// A read-only demo runs a server without storing anything: the output is
// the answer itself (200), not a redirect to a new CID.
void RunServerReadOnly(const App& app, const std::string& name, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, app.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, Entity server,
                      GetEntity(*txn, EntityKind::kServer, name));
  TemplateInputs inputs;
  Seen seen;
  HTTP_RETURN_IF_ERROR(ctx, GatherInputs(*txn, ctx, inputs, seen));
  absl::StatusOr<std::string> output =
      RenderTemplate(server.definition.value_or(""), inputs);
  if (!output.ok()) {
    return ctx.Error(
        422, absl::StrCat("server '", name, "': ", output.status().message()));
  }
  ctx.res.status = 200;
  ctx.res.set_header("X-Content-Type-Options", "nosniff");
  ctx.res.set_header("Cache-Control", "no-store");
  ctx.res.set_content(*output, MimeTypeFor("", *output).c_str());
}

}  // namespace

bool TryAlias(const App& app, Ctx& ctx) {
  absl::StatusOr<std::unique_ptr<Transaction>> txn = app.Read();
  if (!txn.ok()) {
    ctx.Fail(txn.status());
    return true;
  }
  absl::StatusOr<std::vector<Entity>> aliases =
      ListEntities(**txn, EntityKind::kAlias);
  if (!aliases.ok()) {
    ctx.Fail(aliases.status());
    return true;
  }
  for (const Entity& alias : *aliases) {
    if (!alias.enabled || !alias.definition) continue;
    // Definitions are checked when written; one stored by something else
    // that does not parse simply routes nothing.
    absl::StatusOr<std::shared_ptr<const std::vector<AliasRule>>> rules =
        app.AliasRules(*alias.definition);
    if (!rules.ok()) continue;
    std::optional<std::string> target =
        MatchAliasRules(**rules, ctx.req.path);
    if (!target || *target == ctx.req.path) continue;
    const bool get = ctx.req.method == "GET" || ctx.req.method == "HEAD";
    ctx.Redirect(get ? 302 : 307, WithQuery(*target, RawQuery(ctx.req)));
    return true;
  }
  return false;
}

bool TryServer(const App& app, Ctx& ctx) {
  const std::vector<absl::string_view> segments = SplitPath(ctx.req.path);
  if (segments.size() != 1 || segments[0].empty()) return false;
  const std::string name(segments[0]);
  const std::string& method = ctx.req.method;
  {
    // Most paths that get here are CIDs: look without taking the write slot.
    absl::StatusOr<std::unique_ptr<Transaction>> txn = app.Read();
    if (!txn.ok()) {
      ctx.Fail(txn.status());
      return true;
    }
    absl::StatusOr<Entity> server = GetEntity(**txn, EntityKind::kServer, name);
    if (!server.ok() || !server->enabled) return false;
  }
  // A read-only demo lets only GET and HEAD get this far; running a server
  // there stores nothing, so HEAD is answered as GET is.
  if (app.options().read_only) {
    RunServerReadOnly(app, name, ctx);
    return true;
  }
  if (method != "GET" && method != "POST") {
    ctx.res.set_header("Allow", "GET, POST");
    ctx.Error(405, absl::StrCat(method, " does not run a server; use GET or "
                                        "POST"));
    return true;
  }
  std::string result_cid;
  absl::Status template_status;
  absl::Status status = app.Write([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<Entity> server = GetEntity(txn, EntityKind::kServer, name);
    if (!server.ok()) return server.status();
    if (!server->enabled) {
      return absl::NotFoundError(absl::StrCat("server '", name,
                                              "' was just disabled"));
    }
    TemplateInputs inputs;
    Seen seen;
    if (absl::Status s = GatherInputs(txn, ctx, inputs, seen); !s.ok()) {
      return s;
    }
    nlohmann::json& variables = seen.variables;
    nlohmann::json& secrets = seen.secrets;
    nlohmann::json& servers = seen.servers;
    absl::StatusOr<std::string> output =
        RenderTemplate(server->definition.value_or(""), inputs);
    if (!output.ok()) {
      template_status = output.status();
      return template_status;
    }
    absl::StatusOr<std::string> result = app.cids().Create(txn, *output);
    if (!result.ok()) return result.status();
    InvocationInput row{.server_name = name, .result_cid = *result};
    for (auto [doc, slot] : {std::pair{&servers, &row.servers_cid},
                             std::pair{&variables, &row.variables_cid},
                             std::pair{&secrets, &row.secrets_cid}}) {
      absl::StatusOr<std::string> cid = StoreJson(app, txn, *doc);
      if (!cid.ok()) return cid.status();
      *slot = *cid;
    }
    absl::StatusOr<std::string> details =
        StoreJson(app, txn, RequestDetails(ctx.req));
    if (!details.ok()) return details.status();
    row.request_details_cid = *details;
    absl::StatusOr<std::string> summary = StoreJson(
        app, txn,
        {{"server", name},
         {"definition_cid", server->definition_cid
                                ? nlohmann::json(*server->definition_cid)
                                : nullptr},
         {"result_cid", *result},
         {"servers_cid", *row.servers_cid},
         {"variables_cid", *row.variables_cid},
         {"secrets_cid", *row.secrets_cid},
         {"request_details_cid", *row.request_details_cid},
         {"invoked_at", FormatTimestamp(app.clock().Now())}});
    if (!summary.ok()) return summary.status();
    row.invocation_cid = *summary;
    absl::Status created = CreateInvocation(txn, row).status();
    if (created.ok()) result_cid = *result;
    return created;
  });
  if (!template_status.ok()) {
    // An unknown placeholder is the definition's problem, not the
    // request's syntax: 422, and nothing was stored.
    ctx.Error(422, absl::StrCat("server '", name, "': ",
                                template_status.message()));
  } else if (!status.ok()) {
    ctx.Fail(status);
  } else {
    ctx.Redirect(method == "POST" ? 303 : 302, absl::StrCat("/", result_cid));
  }
  return true;
}

}  // namespace viewer::http_internal
