// A server's definition history: every definition it was saved with, by
// CID, from its entity interactions (app/interactions.h) and its current
// row. `/<server>/<cid-prefix>` runs a past version (docs/pipelines.md).
//
//   VIEWER_ASSIGN_OR_RETURN(std::vector<DefinitionVersion> versions,
//                           DefinitionHistory(txn, "hello"));
//   // versions[0] is the newest; versions[i].cid == ComputeCid(definition)
//   VIEWER_ASSIGN_OR_RETURN(std::optional<DefinitionVersion> v,
//                           FindDefinitionVersion(txn, "hello", "AAAAAAAF"));
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_SERVER_VERSIONS_H_
#define VIEWER_APP_SERVER_VERSIONS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/store.h"
#include "engine/value.h"

namespace viewer {

// The shortest CID prefix that selects a version: the 8-character length
// prefix. Anything shorter is a pipeline's input, not a version.
inline constexpr size_t kMinVersionPrefixChars = 8;

struct DefinitionVersion {
  // ComputeCid(definition).
  std::string cid;
  std::string definition;
  // When this definition was last saved (the newest interaction that
  // saved it; the row's updated_at for a definition no interaction holds).
  Timestamp saved_at;
  // True for the definition the server has now.
  bool current = false;

  friend bool operator==(const DefinitionVersion& a,
                         const DefinitionVersion& b) = default;
};

// The distinct definitions server `name` was created or updated with,
// newest first, each once (a definition saved again moves to its newest
// save). The current definition is always included, even when no
// interaction recorded it (a database written by something else).
// kNotFound "no server named 'x'"; the store's errors.
absl::StatusOr<std::vector<DefinitionVersion>> DefinitionHistory(
    Transaction& txn, absl::string_view name);

// True when `segment` could select a version: at least
// kMinVersionPrefixChars characters, all of base64url.
bool LooksLikeVersionPrefix(absl::string_view segment);

// The version of server `name` whose CID starts with `prefix`; nullopt
// when none does (or the prefix cannot select one: LooksLikeVersionPrefix).
// kInvalidArgument when several do: "CID prefix 'AAAA' matches 2
// definitions of server 'x': <cid>, <cid>"; kNotFound when there is no
// such server; the store's errors.
absl::StatusOr<std::optional<DefinitionVersion>> FindDefinitionVersion(
    Transaction& txn, absl::string_view name, absl::string_view prefix);

}  // namespace viewer

#endif  // VIEWER_APP_SERVER_VERSIONS_H_
