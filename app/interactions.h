// Entity interactions: the history of what was done to each server, alias,
// variable and secret (table entity_interactions; the plan's db_access
// interactions module).
//
//   VIEWER_ASSIGN_OR_RETURN(
//       Interaction i,
//       RecordInteraction(txn, {.entity_type = "server",
//                               .entity_name = "echo",
//                               .action = "update",
//                               .message = "changed the greeting",
//                               .content = definition}));
//   VIEWER_ASSIGN_OR_RETURN(std::vector<Interaction> last10,
//                           RecentInteractions(txn, "server", "echo", 10));
//
// The entity repository (app/entities.h) records one interaction per write
// by itself; call RecordInteraction directly for other actions (e.g. an
// AI-assisted edit). Nothing is committed here: the caller commits.
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_INTERACTIONS_H_
#define VIEWER_APP_INTERACTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/store.h"
#include "engine/value.h"

namespace viewer {

// Messages longer than this many characters (UTF-8 code points) are cut.
inline constexpr size_t kMaxInteractionMessageChars = 500;
// What an interaction with a secret records as its content instead of the
// secret's value (every write, and every imported history entry).
inline constexpr char kRedactedContent[] = "<redacted>";

struct InteractionInput {
  std::string entity_type;  // "server", "alias", "variable", "secret"
  std::string entity_name;
  std::string action;  // "create", "update", "enable", "disable", "delete"...
  std::optional<std::string> message;
  std::string content;  // never a secret's value

  friend bool operator==(const InteractionInput& a,
                         const InteractionInput& b) = default;
};

// One row of entity_interactions: what was recorded, its id and when. A
// NULL created_at (only in a database written by something else) reads as
// Timestamp{0}.
struct Interaction : InteractionInput {
  int64_t id = 0;
  Timestamp created_at;

  friend bool operator==(const Interaction& a, const Interaction& b) = default;
};

// `message` cut to at most `max_chars` UTF-8 characters, always on a
// character boundary (a character starts at every byte that is not a UTF-8
// continuation byte). Invalid UTF-8 is kept as it is, never rejected.
std::string TruncateUtf8(absl::string_view message, size_t max_chars);

// Inserts an interaction (created_at = now; message cut to 500 characters)
// and returns the row as stored. Errors are the store's.
absl::StatusOr<Interaction> RecordInteraction(Transaction& txn,
                                              const InteractionInput& input);

// The `limit` most recent interactions with one entity: newest first
// (created_at descending), then by id descending. An empty list when there
// are none. kInvalidArgument for a negative limit.
absl::StatusOr<std::vector<Interaction>> RecentInteractions(
    Transaction& txn, absl::string_view entity_type,
    absl::string_view entity_name, int64_t limit);

// Every interaction with one entity, oldest first (created_at, then id).
absl::StatusOr<std::vector<Interaction>> AllInteractions(
    Transaction& txn, absl::string_view entity_type,
    absl::string_view entity_name);

}  // namespace viewer

#endif  // VIEWER_APP_INTERACTIONS_H_
