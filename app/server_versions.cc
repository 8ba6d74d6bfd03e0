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

// Adds `definition` saved at `at` to `out` (newest first, each CID once):
// a definition already listed keeps its place when `at` is older.
void AddVersion(std::vector<DefinitionVersion>& out,
                const std::string& definition, Timestamp at) {
  const std::string cid = ComputeCid(definition);
  for (DefinitionVersion& v : out) {
    if (v.cid != cid) continue;
    if (at > v.saved_at) v.saved_at = at;
    return;
  }
  out.push_back({.cid = cid, .definition = definition, .saved_at = at});
}

}  // namespace

absl::StatusOr<std::vector<DefinitionVersion>> DefinitionHistory(
    Transaction& txn, absl::string_view name) {
  VIEWER_ASSIGN_OR_RETURN(Entity server,
                          GetEntity(txn, EntityKind::kServer, name));
  VIEWER_ASSIGN_OR_RETURN(std::vector<Interaction> saves,
                          AllInteractions(txn, "server", name));
  std::vector<DefinitionVersion> out;
  for (const Interaction& i : saves) {
    if (i.action == "create" || i.action == "update") {
      AddVersion(out, i.content, i.created_at);
    }
  }
  const std::string current = server.definition.value_or("");
  AddVersion(out, current, server.updated_at);
  const std::string current_cid = ComputeCid(current);
  for (DefinitionVersion& v : out) v.current = v.cid == current_cid;
  std::stable_sort(out.begin(), out.end(),
                   [](const DefinitionVersion& a, const DefinitionVersion& b) {
                     return a.saved_at > b.saved_at;
                   });
  return out;
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
