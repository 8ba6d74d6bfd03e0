#include "app/cid_edit.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/cid.h"
#include "engine/status_macros.h"
#include "engine/utf8.h"

namespace viewer {
namespace {

constexpr int64_t kListedMatches = 10;

}  // namespace

absl::StatusOr<std::string> ResolveCidPrefix(Transaction& txn,
                                             const CidRepository& cids,
                                             absl::string_view prefix) {
  if (prefix.empty() || prefix.size() > kCidMaxChars) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a CID prefix is 1 to ", kCidMaxChars, " characters of base64url"));
  }
  for (char c : prefix) {
    if (!IsBase64UrlChar(c)) {
      return absl::InvalidArgumentError(
          "a CID prefix has only the characters A-Z a-z 0-9 - _");
    }
  }
  if (absl::StatusOr<ParsedCid> whole = ParseCid(prefix);
      whole.ok() && whole->is_literal) {
    return whole->cid;  // a literal CID names its content itself
  }
  VIEWER_ASSIGN_OR_RETURN(std::vector<std::string> found,
                          cids.FindByPrefix(txn, prefix, kListedMatches + 1));
  for (const std::string& cid : found) {
    if (cid == prefix) return cid;  // a whole CID wins over longer ones
  }
  if (found.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no CID starts with '", prefix, "'"));
  }
  if (found.size() > 1) {
    if (found.size() > static_cast<size_t>(kListedMatches)) {
      found.resize(kListedMatches);
      found.push_back("...");
    }
    return absl::InvalidArgumentError(
        absl::StrCat("CID prefix '", prefix,
                     "' matches several CIDs: ", absl::StrJoin(found, ", ")));
  }
  return found.front();
}

absl::StatusOr<std::string> EditableText(Transaction& txn,
                                         const CidRepository& cids,
                                         absl::string_view cid) {
  VIEWER_ASSIGN_OR_RETURN(std::shared_ptr<const std::string> bytes,
                          cids.Get(txn, cid));
  if (!IsValidUtf8(*bytes)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "CID ", cid, " is not UTF-8 text; it cannot be edited here"));
  }
  return *bytes;
}

absl::StatusOr<std::string> SaveEditedText(Transaction& txn,
                                           const CidRepository& cids,
                                           absl::string_view text) {
  if (text.size() > kMaxEditedTextBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the text is ", text.size(), " bytes; at most ",
                     kMaxEditedTextBytes, " are saved here"));
  }
  if (!IsValidUtf8(text)) {
    return absl::InvalidArgumentError("the text is not valid UTF-8");
  }
  return cids.Create(txn, text);
}

}  // namespace viewer
