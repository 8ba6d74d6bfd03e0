#include "app/pipelines.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "app/cid.h"
#include "app/server_versions.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

// The non-empty segments of `path` ("/a//b/" -> {"a", "b"}).
std::vector<std::string> Segments(absl::string_view path) {
  return absl::StrSplit(path, '/', absl::SkipEmpty());
}

// The path inside this viewer an enabled alias sends "/<segment>" to,
// without its query or fragment ("/s1/x?q=1" -> "/s1/x"); "" when no
// alias routes it, or one sends it elsewhere ("https://...", "//host").
absl::StatusOr<std::string> AliasPath(Transaction& txn,
                                      const AliasResolver* aliases,
                                      absl::string_view segment) {
  if (aliases == nullptr) return std::string();
  absl::StatusOr<std::optional<std::string>> target =
      aliases->Resolve(txn, absl::StrCat("/", segment));
  if (!target.ok()) return target.status();
  const std::string found = target->value_or("");
  if (found.empty() || found[0] != '/' || absl::StartsWith(found, "//")) {
    return std::string();
  }
  return found.substr(0, found.find_first_of("?#"));
}

// The number of leading segments that name enabled servers.
absl::StatusOr<size_t> CountServers(Transaction& txn,
                                    const std::vector<std::string>& segments) {
  size_t n = 0;
  while (n < segments.size()) {
    VIEWER_ASSIGN_OR_RETURN(bool runnable, IsRunnableServer(txn, segments[n]));
    if (!runnable) break;
    if (++n > kMaxPipelineServers) {
      return absl::InvalidArgumentError(
          absl::StrCat("a pipeline runs at most ", kMaxPipelineServers,
                       " servers; this path names more"));
    }
  }
  return n;
}

// The content of the CID `segment` names ("CID" or "CID.ext"), or nullopt
// when it names none this viewer has.
absl::StatusOr<std::optional<std::string>> CidContent(Transaction& txn,
                                                      const CidRepository& cids,
                                                      absl::string_view segment,
                                                      std::string& cid) {
  absl::StatusOr<CidReference> ref = ParseCidReference(segment);
  if (!ref.ok()) return std::nullopt;
  absl::StatusOr<std::shared_ptr<const std::string>> bytes =
      cids.Get(txn, ref->cid.cid);
  if (bytes.status().code() == absl::StatusCode::kNotFound) {
    return std::nullopt;
  }
  if (!bytes.ok()) return bytes.status();
  if ((*bytes)->size() > kMaxPipelineStepBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input CID ", ref->cid.cid, " is ", (*bytes)->size(),
        " bytes; a pipeline step takes at most ", kMaxPipelineStepBytes));
  }
  cid = ref->cid.cid;
  return std::optional<std::string>(**bytes);
}

// Fills the input of `plan` from its one-segment rest: a past version, a
// CID's content, or the text. False when the rest is an alias to follow
// instead (`next` is then the path it leads to).
absl::StatusOr<bool> SettleInput(Transaction& txn, const CidRepository& cids,
                                 const AliasResolver* aliases,
                                 PipelinePlan& plan, std::string& next) {
  const std::string& segment = plan.rest;
  if (plan.servers.size() == 1) {
    VIEWER_ASSIGN_OR_RETURN(
        std::optional<DefinitionVersion> version,
        FindDefinitionVersion(txn, plan.servers[0], segment));
    if (version) {
      plan.version_definition = version->definition;
      plan.version_cid = version->cid;
      plan.rest.clear();
      return true;
    }
  }
  VIEWER_ASSIGN_OR_RETURN(std::optional<std::string> content,
                          CidContent(txn, cids, segment, plan.input_cid));
  if (content) {
    plan.input_kind = PipelineInputKind::kCid;
    plan.input = *std::move(content);
    return true;
  }
  VIEWER_ASSIGN_OR_RETURN(next, AliasPath(txn, aliases, segment));
  if (!next.empty()) return false;
  plan.input_kind = PipelineInputKind::kText;
  plan.input = segment;
  return true;
}

}  // namespace

absl::StatusOr<std::optional<PipelinePlan>> PlanPipeline(
    Transaction& txn, const CidRepository& cids, const AliasResolver* aliases,
    absl::string_view path) {
  std::vector<std::string> segments = Segments(path);
  PipelinePlan plan;
  plan.path = std::string(path);
  absl::flat_hash_set<std::string> followed;  // alias sources already used
  while (true) {
    VIEWER_ASSIGN_OR_RETURN(size_t n, CountServers(txn, segments));
    if (n == 0) return std::nullopt;
    plan.servers.assign(segments.begin(), segments.begin() + n);
    plan.rest = absl::StrJoin(segments.begin() + n, segments.end(), "/");
    plan.input_kind = PipelineInputKind::kNone;
    plan.input.clear();
    if (n == segments.size()) return plan;
    if (n + 1 < segments.size()) {
      plan.input_kind = PipelineInputKind::kText;
      plan.input = plan.rest;
      return plan;
    }
    std::string next;
    VIEWER_ASSIGN_OR_RETURN(bool settled,
                            SettleInput(txn, cids, aliases, plan, next));
    if (settled) return plan;
    const std::string source = absl::StrCat("/", segments.back());
    if (!followed.insert(source).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("alias loop: ", source, " leads back to itself (via ",
                       absl::StrJoin(plan.via_aliases, " -> "), ")"));
    }
    if (followed.size() > kMaxPipelineAliasHops) {
      return absl::InvalidArgumentError(absl::StrCat(
          "a pipeline follows at most ", kMaxPipelineAliasHops, " aliases"));
    }
    segments.pop_back();
    for (std::string& s : Segments(next)) segments.push_back(std::move(s));
    plan.via_aliases.push_back(absl::StrCat("/", absl::StrJoin(segments, "/")));
  }
}

absl::StatusOr<PipelineRun> RunPipeline(Transaction& txn,
                                        const CidRepository& cids,
                                        const PipelinePlan& plan,
                                        const ServerRequest& request,
                                        Timestamp now, bool store) {
  const bool bounded =
      plan.servers.size() > 1 || plan.input_kind != PipelineInputKind::kNone;
  PipelineRun out;
  std::string current = plan.input;
  for (size_t i = plan.servers.size(); i-- > 0;) {
    const std::string& name = plan.servers[i];
    StepInput step{.definition = plan.version_definition,
                   .input = current,
                   .rest = plan.rest,
                   .max_output_bytes =
                       bounded ? kMaxPipelineStepBytes : kMaxServerOutputBytes};
    ServerRun run;
    if (store) {
      VIEWER_ASSIGN_OR_RETURN(run,
                              RunServer(txn, cids, name, request, now, step));
    } else {
      VIEWER_ASSIGN_OR_RETURN(run, PreviewServer(txn, name, request, step));
    }
    PipelineStep done{.server = name,
                      .input_cid = run.input_cid,
                      .definition_cid = run.definition_cid,
                      .invocation_cid = run.invocation_cid,
                      .input_bytes = current.size()};
    if (!run.output.ok()) {
      out.steps.push_back(std::move(done));
      out.output = run.output.status();
      return out;
    }
    done.output_cid = run.result_cid;
    done.output_bytes = run.output->size();
    out.steps.push_back(std::move(done));
    current = *std::move(run.output);
  }
  out.output = std::move(current);
  return out;
}

bool IsDebugValue(absl::string_view value) {
  const std::string lower = absl::AsciiStrToLower(value);
  return lower == "1" || lower == "true" || lower == "yes" || lower == "on";
}

}  // namespace viewer
