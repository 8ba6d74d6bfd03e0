// Running a server: a request fills the placeholders of an enabled server's
// template (app/templates.h) with the enabled variables and secrets. The
// output is stored as a CID, beside four JSON documents saying what went in
// (the servers, the variables, the secret names, the request) and a
// summary naming them all, and one server_invocation row records the run
// (docs/design.md, "Servers and aliases").
//
//   ServerRequest request{.method = "GET", .path = "/hello",
//                         .query = {{"who", "Ada"}}};
//   VIEWER_ASSIGN_OR_RETURN(
//       ServerRun run, RunServer(txn, cids, "hello", request, clock.Now()));
//   if (!run.output.ok()) return run.output.status();  // nothing stored
//   VIEWER_RETURN_IF_ERROR(txn.Commit());
//   // run.result_cid names the output
//
// An output (or a pipeline step's input) of 64 bytes or less that holds an
// enabled secret's value is stored under the hashed form of its CID
// (ComputeHashedCid, app/hashed_cid.h), never under a literal CID whose name
// would spell the secret out in links, /history and logs.
//
// What is stored with a run never holds a secret's value (only its name),
// nor the request headers that carry credentials (Authorization, Cookie,
// Proxy-Authorization) or only describe this server's own address (Host,
// and httplib's REMOTE_ADDR, REMOTE_PORT, LOCAL_ADDR, LOCAL_PORT), so
// identical requests to two viewers are stored identically.
//
// Nothing is committed here: the caller commits (or, when the template did
// not render, rolls back; nothing was written then anyway).
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_SERVER_RUNS_H_
#define VIEWER_APP_SERVER_RUNS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/cid_repository.h"
#include "engine/store.h"
#include "engine/value.h"

namespace viewer {

// The request a server runs for, as the front end received it.
struct ServerRequest {
  std::string method = "GET";
  // The decoded path, without the query: "/hello".
  std::string path;
  // Query parameters in request order (a key may repeat).
  std::vector<std::pair<std::string, std::string>> query;
  // Request headers as received, names in any case (a name may repeat).
  std::vector<std::pair<std::string, std::string>> headers;
  // The size of the request body (the body itself is not stored).
  uint64_t body_bytes = 0;
};

// The largest output a server run may produce on its own.
inline constexpr size_t kMaxServerOutputBytes = size_t{64} << 20;

// What a run gets besides the request: a pipeline step's input, the rest
// of the path, or a past definition (docs/pipelines.md).
struct StepInput {
  // The definition to render instead of the server's current one (a past
  // version, app/server_versions.h); nullopt: the current one.
  std::optional<std::string> definition;
  // {{input}} (app/templates.h). When not empty, RunServer stores it as a
  // CID too (ServerRun::input_cid).
  std::string input;
  // {{request.rest}}: the path after the server names ("a/b").
  std::string rest;
  // Largest output allowed; past it the output does not render.
  size_t max_output_bytes = kMaxServerOutputBytes;
};

struct ServerRun {
  // The template's output, or why it could not be rendered:
  // kInvalidArgument "server 'x': unknown placeholder {{y}}: ..." (the
  // definition's problem, not the request's). When it is not OK, nothing
  // was written.
  absl::StatusOr<std::string> output;
  // The name the output is stored under (RunServer) or would be (a
  // preview): its CID, or the hashed form when it holds a secret's value.
  // Empty when the output did not render.
  std::string result_cid;
  // The input's name, named as the output is (a non-empty
  // StepInput::input), and the CID of the definition that ran.
  std::string input_cid;
  std::string definition_cid;
  // The run's summary document (RunServer).
  std::string invocation_cid;
};

// True when `name` is an enabled server: a path of that one segment runs
// it. False when there is no such server or it is disabled; the store's
// errors.
absl::StatusOr<bool> IsRunnableServer(Transaction& txn, absl::string_view name);

// Runs the enabled server `name` for `request` at `now` (the summary's
// invoked_at) and stores the run in `txn`: the output and the four input
// documents as CIDs through `cids`, the summary as a fifth CID, and the
// server_invocation row.
// Errors: kNotFound "no server named 'x'" or "server 'x' was just
// disabled"; the store's (e.g. kResourceExhausted past the memory limit).
// A template that does not render is no error here: see ServerRun::output.
absl::StatusOr<ServerRun> RunServer(Transaction& txn, const CidRepository& cids,
                                    absl::string_view name,
                                    const ServerRequest& request, Timestamp now,
                                    const StepInput& step = {});

// Renders the server `name` for `request` and stores nothing (a read-only
// demo serves the output itself). The names are set, the invocation not.
// Errors: kNotFound "no server named 'x'"; the store's.
absl::StatusOr<ServerRun> PreviewServer(Transaction& txn,
                                        absl::string_view name,
                                        const ServerRequest& request,
                                        const StepInput& step = {});

}  // namespace viewer

#endif  // VIEWER_APP_SERVER_RUNS_H_
