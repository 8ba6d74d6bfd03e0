// Export and import: one JSON document holding chosen kinds of entities,
// optionally the history, and the CIDs they reference
// (docs/in_memory_database.md, "Export and import").
//
//   CidRepository cids(folder);
//   VIEWER_ASSIGN_OR_RETURN(std::string document,
//                           BuildExport(*reader, cids, {.secrets = true}));
//   ...
//   VIEWER_ASSIGN_OR_RETURN(ImportResult counts, ApplyImport(*writer, body));
//   VIEWER_RETURN_IF_ERROR(writer->Commit());
//   LOG(INFO) << counts.Summary();  // "servers: 2 created, 1 updated, ..."
//
// The document (format version 1):
//   {
//     "format": "viewer-export", "version": 1,
//     "servers":   [{"name": "hello", "definition": "...",
//                    "definition_cid": "...", "enabled": true,
//                    "created_at": "2024-05-01 12:00:00.000000",
//                    "updated_at": "..."}],
//     "aliases":   [...],  // "definition" may be null
//     "variables": [...],
//     "secrets":   [...],  // only when asked for
//     "history":   {"page_views":   [{"path", "method", "user_agent",
//                                     "ip_address", "viewed_at"}],
//                   "interactions": [{"entity_type", "entity_name", "action",
//                                     "message", "content", "created_at"}]},
//     "cids":      [{"cid": "AAAAAAAFaGVsbG8", "base64": "aGVsbG8="}]
//   }
// A kind's key is present exactly when that kind was exported (possibly as
// an empty array); an import leaves the kinds a document lacks alone.
// Timestamps are UTC text. "definition_cid" is informational (an import
// computes it). Unknown keys are ignored.
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_EXPORT_IMPORT_H_
#define VIEWER_APP_EXPORT_IMPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/exports.h"
#include "engine/store.h"

namespace viewer {

inline constexpr char kExportFormat[] = "viewer-export";
inline constexpr int kExportVersion = 1;

struct ExportOptions {
  bool servers = true;    // the server table
  bool aliases = true;    // the alias table
  bool variables = true;  // the variable table
  bool secrets = false;   // the secret table, values in the clear
  bool history = false;   // every page view and entity interaction
  // The CIDs the exported entities reference (below), with their bytes.
  bool cids = true;
  // Also every row of the store's cid table, referenced or not (a backup
  // of all uploads). Implies nothing about `cids`.
  bool all_cids = false;
};

// Builds an export document from what `txn` sees (a read-only transaction
// is enough). The referenced CIDs are each exported server's
// definition_cid and every "/CID" or "/CID.ext" inside an exported
// definition (FindCidReferences), when `cids` finds them in the store or
// its folder (CidRepository::Exists); literal CIDs that are stored nowhere
// need no bytes and are left out, as are folder files found bad. History
// fields that are not valid UTF-8 (user agents are client input) are
// exported with U+FFFD in place of the bad bytes.
// Errors: kFailedPrecondition naming the entity when an exported name or
// definition is not valid UTF-8 (a JSON document cannot hold it exactly);
// the store's errors.
absl::StatusOr<std::string> BuildExport(Transaction& txn,
                                        const CidRepository& cids,
                                        const ExportOptions& options);

// Keeps an export: stores `document` as a CID through `cids` and records
// that CID in the export table (app/exports.h); returns the row. The
// store's errors (kResourceExhausted when a full memory store cannot keep
// it); `document` is not checked.
absl::StatusOr<ExportRecord> StoreExport(Transaction& txn,
                                         const CidRepository& cids,
                                         absl::string_view document);

struct ImportCounts {
  int64_t created = 0;
  int64_t updated = 0;    // name existed: definition or enabled replaced
  int64_t unchanged = 0;  // name existed with the same definition and flag

  friend bool operator==(const ImportCounts&, const ImportCounts&) = default;
};

struct ImportResult {
  ImportCounts servers, aliases, variables, secrets;
  int64_t page_views = 0;    // rows added
  int64_t interactions = 0;  // rows added (besides the import's own)
  // New rows of the cid table: the document's CIDs, and the definitions of
  // the servers it saved (stored as CIDs).
  int64_t cids_added = 0;
  int64_t cids_present = 0;  // CIDs the table held already
  // The original's documents: encrypted secrets left out for want of a
  // key, by name; and remarks (servers imported disabled, sections not
  // imported), one line each.
  std::vector<std::string> skipped_secrets;
  std::vector<std::string> notes;

  const ImportCounts& of(EntityKind kind) const;
  ImportCounts& of(EntityKind kind);
  // "servers: 1 created, 0 updated, 0 unchanged; aliases: ...; page views:
  // 0; interactions: 0; CIDs: 2 added, 0 already present", then, when
  // there are some, "; secrets not imported (no key): A, B".
  std::string Summary() const;

  friend bool operator==(const ImportResult&, const ImportResult&) = default;
};

// Applies an export document inside `txn`. The whole document is read and
// checked first; then, in one savepoint of `txn`: its CIDs are stored (a
// CID already in the cid table is left as it is); its page views and
// interactions are added as new rows with their timestamps (never merged
// with rows already there: importing a history twice holds it twice); then
// each entity whose name exists is updated when its definition or enabled
// flag differs (keeping its created_at), and each other one is created
// with the document's created_at/updated_at when given (else now).
// Entities are written through app/entities.h, so each create or update
// also records its own interaction, after the imported ones, as any other
// write does. Nothing is committed: the caller commits.
//
// All or nothing: on any error the savepoint is rolled back, so `txn` holds
// exactly what it held before the call and stays usable.
//
// Errors:
//   kInvalidArgument  the document is wrong: malformed JSON, nesting
//                     deeper than 32, a wrong format or version, a wrong
//                     type, a missing field, an invalid or duplicate name,
//                     a bad timestamp, a CID whose bytes do not match it.
//                     The message's first line counts the problems; every
//                     further line is one problem, at most 100, each with
//                     its JSON path: `servers[3].name: duplicate name ...`.
//   kResourceExhausted  out of memory, or the memory store's limit
//   the store's other errors (e.g. "transaction is read-only").
absl::StatusOr<ImportResult> ApplyImport(Transaction& txn,
                                         absl::string_view document);

// For the original application's documents (format version 6,
// docs/import.md).
struct ImportOptions {
  // The key the original encrypted its secrets with; empty: encrypted
  // secrets are left out and named in ImportResult::skipped_secrets. A
  // key that does not decrypt one is a problem of the document.
  std::string secret_key;
  // Where CIDs an original's document names without carrying them (and
  // that are not literal) are read, with the import's transaction: the
  // store's table and the repository's folder. Null: nowhere, exactly as
  // ValidateExportDocument reads.
  const CidRepository* cids = nullptr;
};

// ApplyImport, reading viewer's format or the original's version 6: its
// sections (each a CID or inline JSON) and "cid_values" are read into the
// same entities, history and CIDs, then applied as above, except that a
// history event the store already holds (same entity, action, message and
// time) is not added again, as the original does. The original
// runs every server as code, so its servers are imported disabled, each
// with a note on its history and in ImportResult::notes.
absl::StatusOr<ImportResult> ApplyImport(Transaction& txn,
                                         absl::string_view document,
                                         const ImportOptions& options);

// Checks a document exactly as ApplyImport does, without a store: OK, or
// ApplyImport's kInvalidArgument (or kResourceExhausted). For fuzzing and
// for checking an upload before opening a transaction. An original's
// document naming a CID it does not carry (and that is not literal) is
// refused here; ApplyImport given `cids` may find it in the store.
absl::Status ValidateExportDocument(absl::string_view document,
                                    const ImportOptions& options = {});

// The CIDs referenced in `text` as "/CID" or "/CID.ext": a '/' followed by
// a valid CID (app/cid.h) that ends at a character outside A-Za-z0-9-_.
// In order of first appearance, without repeats.
std::vector<std::string> FindCidReferences(absl::string_view text);

}  // namespace viewer

#endif  // VIEWER_APP_EXPORT_IMPORT_H_
