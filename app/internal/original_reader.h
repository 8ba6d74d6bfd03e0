// The reader of the original application's export documents, format
// version 6 (docs/import.md): the same ExportDocument as viewer's own
// format gives, or every problem found. Private to app/; called by
// ReadExportDocument (export_reader.h) for a document whose "version" is 6
// and that has no "format".
//
//   std::vector<Problem> problems;
//   ExportDocument doc;
//   absl::Status lookup = ReadOriginalDocument(root, options, doc, problems);
//
// A version-6 document is a JSON object whose sections ("aliases",
// "servers", "variables", "secrets", "change_history") are each a CID of
// their JSON text or the JSON itself, and whose "cid_values" object maps
// CIDs to their content. What viewer does not keep ("runtime",
// "project_files", "app_source", "metadata") is ignored, with a note.
//
// Thread safety: pure functions (the lookup is the caller's).
#ifndef VIEWER_APP_INTERNAL_ORIGINAL_READER_H_
#define VIEWER_APP_INTERNAL_ORIGINAL_READER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/internal/export_reader.h"
#include "nlohmann/json.hpp"

namespace viewer::app_internal {

inline constexpr int kOriginalExportVersion = 6;
// The one encryption scheme of the original's secrets section.
inline constexpr char kOriginalSecretScheme[] = "xor-hmac-sha256";

// One problem: the JSON path of what is wrong, and what is wrong.
using Problem = std::pair<std::string, std::string>;

// True when `root` is an object without "format" whose "version" is 6.
bool IsOriginalDocument(const nlohmann::json& root);

// Reads the original's document `root` into `doc`, adding one Problem per
// thing wrong. Servers are read disabled, each with a note (the original
// runs every server definition as code; viewer never runs code). Secrets
// are decrypted with options.secret_key, or, without a key, left out and
// named in doc.skipped_secrets. Returns the lookup's first error (then
// `doc` is incomplete); OK otherwise, problems or not.
absl::Status ReadOriginalDocument(const nlohmann::json& root,
                                  const ReadOptions& options,
                                  ExportDocument& doc,
                                  std::vector<Problem>& problems);

// The original's secret encryption ("xor-hmac-sha256"): `token` is
// base64url of IV (16 bytes), ciphertext, HMAC-SHA256 (32 bytes); the key
// material is SHA-256 of `key`, the keystream SHA-256(material, IV,
// 4-byte big-endian counter) blocks, the MAC over IV and ciphertext.
// kInvalidArgument when the token is malformed, the MAC does not match
// (wrong key or altered value), or the plaintext is not UTF-8.
absl::StatusOr<std::string> DecryptOriginalSecret(absl::string_view token,
                                                  absl::string_view key);

// The inverse, with the given 16-byte IV (for tests and examples).
std::string EncryptOriginalSecret(absl::string_view plaintext,
                                  absl::string_view key, absl::string_view iv);

}  // namespace viewer::app_internal

#endif  // VIEWER_APP_INTERNAL_ORIGINAL_READER_H_
