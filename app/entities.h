// Servers, aliases, variables and secrets: the four user-defined entity
// kinds (the plan's db_access generic_crud, servers, aliases, variables and
// secrets modules). They share one table shape (app/schemas.h) and one
// repository: free functions over any Store's Transaction.
//
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
//                           store.Begin(TransactionMode::kReadWrite));
//   VIEWER_ASSIGN_OR_RETURN(
//       Entity s, CreateEntity(*txn, EntityKind::kServer,
//                              {.name = "echo", .definition = "def main..."}));
//   VIEWER_RETURN_IF_ERROR(
//       SetEntityEnabled(*txn, EntityKind::kServer, "echo", false).status());
//   VIEWER_RETURN_IF_ERROR(txn->Commit());
//
// Every write (create, update, enable/disable, delete) also records an
// entity interaction (app/interactions.h) in the same transaction, and is
// atomic: on any error, the entity row and the interaction are both left as
// they were (a savepoint inside the caller's transaction). Nothing is
// committed here: the caller commits.
//
// Names written (create, and the new name of an update) must be 1-100
// characters of A-Z a-z 0-9 . _ - and not "." or ".."; anything else is
// kInvalidArgument before anything is touched. Names looked up (get, update,
// enable, delete) are not validated: a name that cannot exist is simply
// kNotFound, so rows loaded from an older database stay reachable.
//
// Errors:
//   kInvalidArgument  a bad name ("name must be 1-100 characters of A-Z a-z
//                     0-9 . _ -, got \"a b\""), a missing definition for a
//                     server, variable or secret ("a server needs a
//                     definition")
//   kNotFound         "no server named 'x'"
//   kAlreadyExists    "a server named 'x' already exists" (create, rename)
//   anything the store returns (e.g. kFailedPrecondition "transaction is
//   read-only", kResourceExhausted past the memory limit).
//
// Thread safety: these functions keep no state; a Transaction belongs to one
// thread at a time (engine/store.h).
#ifndef VIEWER_APP_ENTITIES_H_
#define VIEWER_APP_ENTITIES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/store.h"
#include "engine/value.h"

namespace viewer {

enum class EntityKind { kServer, kAlias, kVariable, kSecret };

inline constexpr std::array<EntityKind, 4> kAllEntityKinds = {
    EntityKind::kServer, EntityKind::kAlias, EntityKind::kVariable,
    EntityKind::kSecret};

// The table holding `kind`: "server", "alias", "variable", "secret".
absl::string_view EntityTableName(EntityKind kind);
// For messages and entity_interactions.entity_type: "server", "alias", ...
absl::string_view EntityDisplayName(EntityKind kind);
// The URL word and plural: "servers", "aliases", "variables", "secrets".
absl::string_view EntityPluralName(EntityKind kind);
// "servers" (or "server") -> kServer, ...; nullopt for anything else.
// Case-sensitive.
std::optional<EntityKind> ParseEntityKind(absl::string_view word);
// True for server, variable and secret: their definition is NOT NULL.
bool EntityNeedsDefinition(EntityKind kind);

// Longest name accepted by CreateEntity / UpdateEntity.
inline constexpr size_t kMaxEntityNameLength = 100;

// One row of an entity table. A NULL timestamp (only possible in a database
// written by something else) reads as Timestamp{0}.
struct Entity {
  int64_t id = 0;
  EntityKind kind = EntityKind::kServer;
  std::string name;
  // Always set for server, variable and secret; optional for alias.
  std::optional<std::string> definition;
  // Servers only: ComputeCid(definition) (app/cid.h); create and update also
  // store the definition's bytes under that CID. nullopt for the others.
  std::optional<std::string> definition_cid;
  Timestamp created_at;
  Timestamp updated_at;
  bool enabled = true;

  friend bool operator==(const Entity& a, const Entity& b) = default;
};

// What a create or update writes.
struct EntityInput {
  // The entity's name (for an update: its new name; equal to the old one
  // unless renaming).
  std::string name;
  // Required for server, variable and secret (an empty string is a
  // definition); for an alias, nullopt stores NULL.
  std::optional<std::string> definition;
  // nullopt: true on create, unchanged on update.
  std::optional<bool> enabled;
};

// OK when `name` may be written as an entity name, else kInvalidArgument
// with the message above.
absl::Status ValidateEntityName(absl::string_view name);

// OK when `definition` may be written as the definition of a `kind`: it is
// valid UTF-8 (engine/utf8.h) and, for an alias, ParseAliasDefinition
// accepts it (app/alias_rules.h). kInvalidArgument "the definition is not
// valid UTF-8" or "alias definition: line 2: ...". nullopt (no definition)
// is OK here; whether a kind needs one is CreateEntity's check.
// The repository functions below store any definition; every front door
// (the web forms and JSON API, the import) calls this first, so all of
// them refuse the same definitions with the same message.
absl::Status ValidateEntityDefinition(
    EntityKind kind, const std::optional<std::string>& definition);

// All entities of `kind`, ordered by name (bytewise), then id.
absl::StatusOr<std::vector<Entity>> ListEntities(Transaction& txn,
                                                 EntityKind kind);
// The entity called `name`; kNotFound "no server named 'x'".
absl::StatusOr<Entity> GetEntity(Transaction& txn, EntityKind kind,
                                 absl::string_view name);
absl::StatusOr<int64_t> CountEntities(Transaction& txn, EntityKind kind);
absl::StatusOr<bool> EntityExists(Transaction& txn, EntityKind kind,
                                  absl::string_view name);
// The smallest name (bytewise), or nullopt when there is no entity.
absl::StatusOr<std::optional<std::string>> FirstEntityName(Transaction& txn,
                                                           EntityKind kind);

// Creates an entity and records a "create" interaction. Returns the row as
// stored. kAlreadyExists when the name is taken.
absl::StatusOr<Entity> CreateEntity(Transaction& txn, EntityKind kind,
                                    const EntityInput& input);
// Replaces the name and definition of the entity called `name` (and its
// enabled flag when input.enabled is set), records an "update" interaction
// under the new name, and returns the row as stored. updated_at becomes
// now even when nothing changed. Renaming onto another entity's name is
// kAlreadyExists; kNotFound when `name` does not exist.
absl::StatusOr<Entity> UpdateEntity(Transaction& txn, EntityKind kind,
                                    absl::string_view name,
                                    const EntityInput& input);
// Sets the enabled flag and records an "enable" or "disable" interaction.
// When the flag already has that value nothing is written or recorded, and
// the entity is returned as it is. kNotFound when `name` does not exist.
absl::StatusOr<Entity> SetEntityEnabled(Transaction& txn, EntityKind kind,
                                        absl::string_view name, bool enabled);
// Deletes the entity and records a "delete" interaction with empty content
// (the interactions recorded earlier, which hold its definitions, stay).
// kNotFound when `name` does not exist.
absl::Status DeleteEntity(Transaction& txn, EntityKind kind,
                          absl::string_view name);

}  // namespace viewer

#endif  // VIEWER_APP_ENTITIES_H_
