// Editing a CID's text: the content a CID prefix names, and saving an
// edited text as a new CID (the old one stays: content never changes
// under its name). docs/editing.md.
//
//   VIEWER_ASSIGN_OR_RETURN(std::string cid,
//                           ResolveCidPrefix(txn, cids, "AAAAAAAFaGVs"));
//   VIEWER_ASSIGN_OR_RETURN(std::string text, EditableText(txn, cids, cid));
//   VIEWER_ASSIGN_OR_RETURN(std::string saved,
//                           SaveEditedText(txn, cids, "hello, world"));
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_CID_EDIT_H_
#define VIEWER_APP_CID_EDIT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/cid_repository.h"
#include "engine/store.h"

namespace viewer {

// Largest text the editor saves.
inline constexpr size_t kMaxEditedTextBytes = size_t{16} << 20;

// The one CID `prefix` names: a whole CID this viewer has (stored, in the
// cids folder, or literal), or the prefix of exactly one stored or folder
// CID. kInvalidArgument for a prefix with a character outside base64url,
// or one that matches several CIDs ("CID prefix 'AAAA' matches several
// CIDs: A, B, ..." listing up to 10); kNotFound "no CID starts with
// 'x'"; the store's errors.
absl::StatusOr<std::string> ResolveCidPrefix(Transaction& txn,
                                             const CidRepository& cids,
                                             absl::string_view prefix);

// The content of `cid` as text to edit. kFailedPrecondition "CID x is
// not UTF-8 text; it cannot be edited here" for binary content; Get's
// errors.
absl::StatusOr<std::string> EditableText(Transaction& txn,
                                         const CidRepository& cids,
                                         absl::string_view cid);

// Stores `text` as a CID and returns it. kInvalidArgument for text that
// is not UTF-8 or is over kMaxEditedTextBytes; the store's errors.
absl::StatusOr<std::string> SaveEditedText(Transaction& txn,
                                           const CidRepository& cids,
                                           absl::string_view text);

}  // namespace viewer

#endif  // VIEWER_APP_CID_EDIT_H_
