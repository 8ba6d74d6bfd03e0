#include "app/server_versions.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/cid.h"
#include "app/entities.h"
#include "app/interactions.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

// Adds `definition` saved at `at` as the `seq`th save to `out` (each CID
// once): a definition already listed takes the newer time and the later
// save.
void AddVersion(std::vector<DefinitionVersion>& out, std::vector<int>& seqs,
                const std::string& definition, Timestamp at, int seq) {
  const std::string cid = ComputeCid(definition);
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i].cid != cid) continue;
    if (at >= out[i].saved_at) {
      out[i].saved_at = at;
      seqs[i] = seq;
    }
    return;
  }
  out.push_back({.cid = cid, .definition = definition, .saved_at = at});
  seqs.push_back(seq);
}

}  // namespace

absl::StatusOr<std::vector<DefinitionVersion>> DefinitionHistory(
    Transaction& txn, absl::string_view name) {
  VIEWER_ASSIGN_OR_RETURN(Entity server,
                          GetEntity(txn, EntityKind::kServer, name));
  VIEWER_ASSIGN_OR_RETURN(std::vector<Interaction> saves,
                          AllInteractions(txn, "server", name));
  std::vector<DefinitionVersion> out;
  std::vector<int> seqs;  // for each of out, its latest save's position
  int seq = 0;
  for (const Interaction& i : saves) {
    if (i.action == "create" || i.action == "update") {
      AddVersion(out, seqs, i.content, i.created_at, seq++);
    }
  }
  const std::string current = server.definition.value_or("");
  AddVersion(out, seqs, current, server.updated_at, seq);
  const std::string current_cid = ComputeCid(current);
  for (DefinitionVersion& v : out) v.current = v.cid == current_cid;
  // Newest first; saves within one clock tick in the order they were made.
  std::vector<size_t> order(out.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (out[a].saved_at != out[b].saved_at) {
      return out[a].saved_at > out[b].saved_at;
    }
    return seqs[a] > seqs[b];
  });
  std::vector<DefinitionVersion> sorted;
  sorted.reserve(out.size());
  for (size_t i : order) sorted.push_back(std::move(out[i]));
  return sorted;
}

bool LooksLikeVersionPrefix(absl::string_view segment) {
  if (segment.size() < kMinVersionPrefixChars ||
      segment.size() > kCidMaxChars) {
    return false;
  }
  for (char c : segment) {
    if (!IsBase64UrlChar(c)) return false;
  }
  return true;
}

absl::StatusOr<std::optional<DefinitionVersion>> FindDefinitionVersion(
    Transaction& txn, absl::string_view name, absl::string_view prefix) {
  if (!LooksLikeVersionPrefix(prefix)) return std::nullopt;
  VIEWER_ASSIGN_OR_RETURN(std::vector<DefinitionVersion> versions,
                          DefinitionHistory(txn, name));
  std::vector<const DefinitionVersion*> matches;
  for (const DefinitionVersion& v : versions) {
    if (absl::StartsWith(v.cid, prefix)) matches.push_back(&v);
  }
  if (matches.empty()) return std::nullopt;
  if (matches.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "CID prefix '", prefix, "' matches ", matches.size(),
        " definitions of server '", name, "': ",
        absl::StrJoin(matches, ", ",
                      [](std::string* out, const DefinitionVersion* v) {
                        out->append(v->cid);
                      })));
  }
  return *matches.front();
}

}  // namespace viewer
