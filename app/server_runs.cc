#include "app/server_runs.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/entities.h"
#include "app/hashed_cid.h"
#include "app/invocations.h"
#include "app/templates.h"
#include "app/time_text.h"
#include "engine/status_macros.h"
#include "nlohmann/json.hpp"

namespace viewer {
namespace {

using json = nlohmann::json;

// Request headers left out of the stored request details: credentials,
// and what only describes this server's own address.
bool IsPrivateHeader(absl::string_view name) {
  static constexpr absl::string_view kPrivate[] = {
      "authorization", "cookie",      "proxy-authorization", "host",
      "remote_addr",   "remote_port", "local_addr",          "local_port"};
  const std::string lower = absl::AsciiStrToLower(name);
  for (absl::string_view p : kPrivate) {
    if (lower == p) return true;
  }
  return false;
}

json RequestDetails(const ServerRequest& request) {
  json headers = json::object();
  for (const auto& [name, value] : request.headers) {
    if (IsPrivateHeader(name)) continue;
    std::string key = absl::AsciiStrToLower(name);
    if (headers.contains(key)) {
      headers[key] = absl::StrCat(headers[key].get<std::string>(), ", ", value);
    } else {
      headers[key] = value;
    }
  }
  json query = json::array();
  for (const auto& [key, value] : request.query) query.push_back({key, value});
  return {{"method", request.method},
          {"path", request.path},
          {"query", query},
          {"headers", headers},
          {"body_bytes", request.body_bytes}};
}

// JSON text as stored in a CID; invalid UTF-8 becomes U+FFFD.
std::string JsonText(const json& doc) {
  return doc.dump(2, ' ', false, json::error_handler_t::replace);
}

// What a template saw, as stored with an invocation (secrets by name only).
struct Seen {
  json variables = json::array();
  json secrets = json::array();
  json servers = json::array();
  // The enabled secrets' values: never stored, only looked for in what a
  // run stores (OutputName).
  std::vector<std::string> secret_values;
};

// The name `bytes` are stored under: their CID, or, when they hold an
// enabled secret's value and their CID would be literal (a name that
// spells the content out, and shows up in /history, the recent CIDs and
// request logs), the hashed form of that name (ComputeHashedCid).
std::string OutputName(absl::string_view bytes, const Seen& seen) {
  if (bytes.size() > kCidMaxLiteralBytes) return ComputeCid(bytes);
  for (const std::string& secret : seen.secret_values) {
    if (!secret.empty() && absl::StrContains(bytes, secret)) {
      return ComputeHashedCid(bytes);
    }
  }
  return ComputeCid(bytes);
}

// Stores `bytes` under OutputName and returns it; like
// CidRepository::Create, an existing row is left as it is.
absl::StatusOr<std::string> StoreNamed(Transaction& txn,
                                       const CidRepository& cids,
                                       absl::string_view bytes,
                                       const Seen& seen) {
  std::string name = OutputName(bytes, seen);
  VIEWER_RETURN_IF_ERROR(cids.CreateNamed(txn, name, bytes));
  return name;
}

json DefinitionCid(const Entity& server) {
  return server.definition_cid ? json(*server.definition_cid) : json(nullptr);
}

// The template's inputs: the request, and every enabled variable, secret
// and server as `txn` sees them.
absl::Status GatherInputs(Transaction& txn, const ServerRequest& request,
                          const StepInput& step, TemplateInputs& inputs,
                          Seen& seen) {
  inputs.request_path = request.path;
  inputs.input = step.input;
  inputs.rest = step.rest;
  inputs.max_output_bytes = step.max_output_bytes;
  for (const auto& [k, v] : request.query) inputs.query.emplace(k, v);
  for (EntityKind kind :
       {EntityKind::kVariable, EntityKind::kSecret, EntityKind::kServer}) {
    VIEWER_ASSIGN_OR_RETURN(std::vector<Entity> list, ListEntities(txn, kind));
    for (const Entity& e : list) {
      if (!e.enabled) continue;
      const std::string value = e.definition.value_or("");
      if (kind == EntityKind::kVariable) {
        inputs.variables.emplace(e.name, value);
        seen.variables.push_back({{"name", e.name}, {"value", value}});
      } else if (kind == EntityKind::kSecret) {
        inputs.secrets.emplace(e.name, value);
        seen.secrets.push_back(e.name);  // never the value
        seen.secret_values.push_back(value);
      } else {
        seen.servers.push_back({{"name", e.name},
                                {"definition", value},
                                {"definition_cid", DefinitionCid(e)}});
      }
    }
  }
  return absl::OkStatus();
}

// The server's output for `request`, and what its template saw.
absl::StatusOr<ServerRun> Render(Transaction& txn, const Entity& server,
                                 const ServerRequest& request,
                                 const StepInput& step, Seen& seen) {
  TemplateInputs inputs;
  VIEWER_RETURN_IF_ERROR(GatherInputs(txn, request, step, inputs, seen));
  ServerRun run;
  const std::string definition =
      step.definition.value_or(server.definition.value_or(""));
  run.definition_cid = ComputeCid(definition);
  run.output = RenderTemplate(definition, inputs);
  if (!step.input.empty()) run.input_cid = OutputName(step.input, seen);
  if (run.output.ok()) run.result_cid = OutputName(*run.output, seen);
  if (!run.output.ok()) {
    run.output =
        absl::Status(run.output.status().code(),
                     absl::StrCat("server '", server.name,
                                  "': ", run.output.status().message()));
  }
  return run;
}

// Stores the output, the documents of `seen`, the request details and the
// summary as CIDs, and the invocation row naming them.
absl::Status StoreRun(Transaction& txn, const CidRepository& cids,
                      const Entity& server, const StepInput& step,
                      const Seen& seen, const ServerRequest& request,
                      Timestamp now, ServerRun& run) {
  VIEWER_ASSIGN_OR_RETURN(run.result_cid,
                          StoreNamed(txn, cids, *run.output, seen));
  const std::string& result = run.result_cid;
  if (!step.input.empty()) {
    VIEWER_ASSIGN_OR_RETURN(run.input_cid,
                            StoreNamed(txn, cids, step.input, seen));
  }
  if (step.definition) {
    // A past version: its bytes are stored like the current definition's.
    VIEWER_RETURN_IF_ERROR(cids.Create(txn, *step.definition).status());
  }
  InvocationInput row{.server_name = server.name, .result_cid = result};
  for (auto [doc, slot] : {std::pair{&seen.servers, &row.servers_cid},
                           std::pair{&seen.variables, &row.variables_cid},
                           std::pair{&seen.secrets, &row.secrets_cid}}) {
    VIEWER_ASSIGN_OR_RETURN(*slot, cids.Create(txn, JsonText(*doc)));
  }
  VIEWER_ASSIGN_OR_RETURN(row.request_details_cid,
                          cids.Create(txn, JsonText(RequestDetails(request))));
  json summary = {{"server", server.name},
                  {"definition_cid", run.definition_cid},
                  {"result_cid", result},
                  {"servers_cid", *row.servers_cid},
                  {"variables_cid", *row.variables_cid},
                  {"secrets_cid", *row.secrets_cid},
                  {"request_details_cid", *row.request_details_cid},
                  {"invoked_at", FormatTimestamp(now)}};
  if (!run.input_cid.empty()) summary["input_cid"] = run.input_cid;
  VIEWER_ASSIGN_OR_RETURN(row.invocation_cid,
                          cids.Create(txn, JsonText(summary)));
  run.invocation_cid = *row.invocation_cid;
  return CreateInvocation(txn, row).status();
}

}  // namespace

absl::StatusOr<bool> IsRunnableServer(Transaction& txn,
                                      absl::string_view name) {
  absl::StatusOr<Entity> server = GetEntity(txn, EntityKind::kServer, name);
  if (server.status().code() == absl::StatusCode::kNotFound) return false;
  if (!server.ok()) return server.status();
  return server->enabled;
}

absl::StatusOr<ServerRun> RunServer(Transaction& txn, const CidRepository& cids,
                                    absl::string_view name,
                                    const ServerRequest& request, Timestamp now,
                                    const StepInput& step) {
  VIEWER_ASSIGN_OR_RETURN(Entity server,
                          GetEntity(txn, EntityKind::kServer, name));
  if (!server.enabled) {
    return absl::NotFoundError(
        absl::StrCat("server '", name, "' was just disabled"));
  }
  Seen seen;
  VIEWER_ASSIGN_OR_RETURN(ServerRun run,
                          Render(txn, server, request, step, seen));
  if (!run.output.ok()) return run;
  VIEWER_RETURN_IF_ERROR(
      StoreRun(txn, cids, server, step, seen, request, now, run));
  return run;
}

absl::StatusOr<ServerRun> PreviewServer(Transaction& txn,
                                        absl::string_view name,
                                        const ServerRequest& request,
                                        const StepInput& step) {
  VIEWER_ASSIGN_OR_RETURN(Entity server,
                          GetEntity(txn, EntityKind::kServer, name));
  Seen seen;
  return Render(txn, server, request, step, seen);
}

}  // namespace viewer
