// Pipelines: a path of server names runs them right to left, each on the
// output of the one to its right (docs/pipelines.md).
//
//   /s1                 s1 on its own ({{input}} empty)
//   /echo/hello/world   echo with {{input}} = "hello/world" and
//                       {{request.rest}} = "hello/world"
//   /s2/s1/input        s1 on "input", then s2 on s1's output
//   /s2/s1/<CID>        s1 on the CID's content, then s2
//   /s1/<cid-prefix>    s1's past definition whose CID starts so
//                       (app/server_versions.h)
//
// A rest of one segment that an enabled alias routes to a path inside
// this viewer is followed: "/s2/a" with the alias "/a -> /s1/x" runs
// "/s2/s1/x". Following an alias back to a path already seen is a loop,
// refused whole.
//
//   VIEWER_ASSIGN_OR_RETURN(std::optional<PipelinePlan> plan,
//                           PlanPipeline(txn, cids, &aliases, "/s2/s1/x"));
//   if (!plan) ...;  // the path names no server: not a pipeline
//   VIEWER_ASSIGN_OR_RETURN(PipelineRun run,
//                           RunPipeline(txn, cids, *plan, request, now));
//   if (!run.output.ok()) ...;  // a step did not render: nothing stored
//
// Bounds: at most kMaxPipelineServers servers and kMaxPipelineAliasHops
// aliases followed; with more than one server, every step's input and
// output is at most kMaxPipelineStepBytes.
// Errors (kInvalidArgument, answered 400): too many servers, an alias
// loop, an input CID over the step size, several versions matching a
// prefix.
//
// Nothing is committed here: the caller commits (or rolls back when a step
// did not render).
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_PIPELINES_H_
#define VIEWER_APP_PIPELINES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/alias_resolver.h"
#include "app/cid_repository.h"
#include "app/server_runs.h"
#include "engine/store.h"
#include "engine/value.h"

namespace viewer {

inline constexpr size_t kMaxPipelineServers = 8;
inline constexpr size_t kMaxPipelineAliasHops = 8;
inline constexpr size_t kMaxPipelineStepBytes = size_t{1} << 20;

// Where the rightmost server's {{input}} came from.
enum class PipelineInputKind {
  kNone,  // nothing after the server names
  kText,  // the rest of the path, as text
  kCid,   // the content of the CID the rest names
};

struct PipelinePlan {
  // The path as requested ("/s2/s1/x").
  std::string path;
  // Server names, left to right as in the path (run right to left).
  std::vector<std::string> servers;
  // The path after the server names, without a leading '/' ("x").
  std::string rest;
  PipelineInputKind input_kind = PipelineInputKind::kNone;
  // The rightmost server's {{input}}.
  std::string input;
  // The CID the rest names (kCid only).
  std::string input_cid;
  // A past definition of the single server (/s1/<cid-prefix>).
  std::optional<std::string> version_definition;
  std::string version_cid;
  // The paths aliases led to, in order ("/s2/s1/x" for "/s2/a").
  std::vector<std::string> via_aliases;
};

// One server's run in a pipeline.
struct PipelineStep {
  std::string server;
  // The names of the step's input ("" when it was empty) and output (""
  // when it did not render): CIDs, or their hashed form for short content
  // holding a secret (app/server_runs.h). Stored unless the run was a
  // preview.
  std::string input_cid;
  std::string output_cid;
  std::string definition_cid;
  std::string invocation_cid;  // "" for a preview
  size_t input_bytes = 0;
  size_t output_bytes = 0;
};

struct PipelineRun {
  // The leftmost server's output, or why a step did not render (the
  // message names the server). When not OK nothing should be committed.
  absl::StatusOr<std::string> output;
  // The steps that ran, in the order they ran (rightmost server first).
  std::vector<PipelineStep> steps;
};

// The pipeline `path` (decoded, without the query) names, or nullopt when
// its first segment is not an enabled server. `aliases` may be null (no
// alias is followed then). Errors: see above; the store's.
absl::StatusOr<std::optional<PipelinePlan>> PlanPipeline(
    Transaction& txn, const CidRepository& cids, const AliasResolver* aliases,
    absl::string_view path);

// Runs `plan` for `request`: each step through RunServer (stored, one
// invocation per step) or, when `store` is false, PreviewServer (nothing
// stored). The store's errors; a server disabled or deleted since the
// plan is kNotFound.
absl::StatusOr<PipelineRun> RunPipeline(Transaction& txn,
                                        const CidRepository& cids,
                                        const PipelinePlan& plan,
                                        const ServerRequest& request,
                                        Timestamp now, bool store = true);

// True for the values of ?debug= that ask for a pipeline's steps: 1,
// true, yes, on (any case).
bool IsDebugValue(absl::string_view value);

}  // namespace viewer

#endif  // VIEWER_APP_PIPELINES_H_
