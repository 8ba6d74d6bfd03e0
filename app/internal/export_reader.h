// The reader of export documents (app/export_import.h): text in, a checked
// ExportDocument out, or every problem found. Private to app/.
//
//   absl::StatusOr<ExportDocument> doc = ReadExportDocument(text);
//   if (!doc.ok()) return doc.status();  // kInvalidArgument, one per line
//   for (const DocEntity& e : doc->entities[0]) ...
//
// Meant to be fuzzed: it never throws (nlohmann's exceptions are caught),
// nesting deeper than kMaxExportNesting is refused before parsing, and the
// checks walk the parsed value iteratively, at known depths only.
//
// Thread safety: pure functions.
#ifndef VIEWER_APP_INTERNAL_EXPORT_READER_H_
#define VIEWER_APP_INTERNAL_EXPORT_READER_H_

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/value.h"

namespace viewer::app_internal {

// The deepest nesting of arrays and objects a document may have (the
// format itself needs 4).
inline constexpr int kMaxExportNesting = 32;
// Problems listed in one error message; the rest are counted.
inline constexpr size_t kMaxListedProblems = 100;

struct DocEntity {
  std::string name;
  std::optional<std::string> definition;  // nullopt: null or absent (alias)
  bool enabled = true;
  std::optional<Timestamp> created_at;
  std::optional<Timestamp> updated_at;
  // Why the entity is imported as it is (a server of the original's,
  // imported disabled); recorded on its history.
  std::optional<std::string> note;
};

struct DocPageView {
  std::string path;
  std::optional<std::string> method;  // null: nullopt; absent: "GET"
  std::optional<std::string> user_agent;
  std::optional<std::string> ip_address;
  std::optional<Timestamp> viewed_at;
};

struct DocInteraction {
  std::string entity_type;
  std::string entity_name;
  std::string action;
  std::optional<std::string> message;
  std::string content;
  std::optional<Timestamp> created_at;
};

struct DocCid {
  std::string cid;
  std::string bytes;
};

struct ExportDocument {
  // By EntityKind (server, alias, variable, secret); nullopt when the
  // document does not hold that kind (an import then leaves it alone).
  std::array<std::optional<std::vector<DocEntity>>, 4> entities;
  std::vector<DocPageView> page_views;
  std::vector<DocInteraction> interactions;
  std::vector<DocCid> cids;
  // Secrets the document holds encrypted and that were not read, for want
  // of a key (the original's documents only).
  std::vector<std::string> skipped_secrets;
  // Remarks for the import's result, one line each.
  std::vector<std::string> notes;
  // An interaction the store already holds (same entity, action, message
  // and time) is not added again (the original's documents, whose boot
  // images are imported at every start).
  bool history_once = false;
};

// The bytes of a CID a document names without carrying them (the store,
// the cids folder): nullopt when unknown, or the store's error.
using CidLookup = std::function<absl::StatusOr<std::optional<std::string>>(
    absl::string_view cid)>;

struct ReadOptions {
  // The key the original encrypted secrets with; empty: none given.
  std::string secret_key;
  // Empty: only the document's own CIDs (and literal ones) are known.
  CidLookup lookup;
};

// The offset at which arrays and objects in JSON `text` nest deeper than
// `max`, outside strings; nullopt when they never do.
std::optional<size_t> TooDeepAt(absl::string_view text, int max);

// Parses and checks a whole document. kInvalidArgument when anything is
// wrong: the message's first line counts the problems, each further line
// is one problem with its JSON path ("servers[3].name: ...").
// kResourceExhausted when memory runs out.
// The original's documents (format version 6) are read as well
// (original_reader.h), with `options`.
absl::StatusOr<ExportDocument> ReadExportDocument(
    absl::string_view text, const ReadOptions& options = {});

}  // namespace viewer::app_internal

#endif  // VIEWER_APP_INTERNAL_EXPORT_READER_H_
