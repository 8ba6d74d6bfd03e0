// Editing all variables (or all secrets) at once as one JSON object of
// name -> value (docs/editing.md).
//
//   VIEWER_ASSIGN_OR_RETURN(std::string text,
//                           BulkDefinitionsText(txn, EntityKind::kVariable));
//   // {"greeting": "Hello", "who": "Ada"}
//   VIEWER_ASSIGN_OR_RETURN(BulkDefinitions wanted,
//                           ParseBulkDefinitions(EntityKind::kVariable, text));
//   VIEWER_ASSIGN_OR_RETURN(BulkEditSummary done,
//                           ApplyBulkDefinitions(txn, EntityKind::kVariable,
//                                                wanted));
//
// The document is validated whole before anything is written: one bad
// entry refuses it all, and the message names every bad entry. Applying
// it makes the kind's entities exactly the document: names not in it are
// deleted, new names created (enabled), changed values updated; an
// unchanged entity is not touched (no interaction recorded). Values that
// are not strings are stored as their JSON text (as the original
// application's bulk editor does).
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_BULK_EDIT_H_
#define VIEWER_APP_BULK_EDIT_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/entities.h"
#include "engine/store.h"

namespace viewer {

// name -> value, ordered by name (bytewise).
using BulkDefinitions = std::map<std::string, std::string>;

struct BulkEditSummary {
  int64_t created = 0;
  int64_t updated = 0;
  int64_t deleted = 0;
  int64_t unchanged = 0;
};

// Largest document ParseBulkDefinitions reads.
inline constexpr size_t kMaxBulkDocumentBytes = size_t{8} << 20;

// The kind's entities as the document the editor shows: a JSON object,
// names sorted, indented. Only variables and secrets (kInvalidArgument
// otherwise); the store's errors.
absl::StatusOr<std::string> BulkDefinitionsText(Transaction& txn,
                                                EntityKind kind);

// Parses and validates `text`. kInvalidArgument: "not JSON: ...", "the
// document must be a JSON object of variable names to values", or the
// list of bad entries ("entry \"a b\": name must be ...; entry \"x\": the
// definition is not valid UTF-8"); for kinds other than variable and
// secret too.
absl::StatusOr<BulkDefinitions> ParseBulkDefinitions(EntityKind kind,
                                                     absl::string_view text);

// Makes the kind's entities exactly `wanted` (see above). Every entry was
// validated by ParseBulkDefinitions, so only the store can fail (e.g.
// kResourceExhausted); the caller then rolls its transaction back whole.
absl::StatusOr<BulkEditSummary> ApplyBulkDefinitions(
    Transaction& txn, EntityKind kind, const BulkDefinitions& wanted);

}  // namespace viewer

#endif  // VIEWER_APP_BULK_EDIT_H_
