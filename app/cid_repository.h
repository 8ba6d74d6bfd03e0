// CidRepository: content by CID, from the active store's `cid` table, the
// read-only cids/ folder, or the CID itself (the plan's db_access cids
// module; docs/design.md, "CIDs").
//
//   std::unique_ptr<CidDirectory> folder = ...;  // may be absent
//   CidRepository cids(folder.get());
//   VIEWER_ASSIGN_OR_RETURN(std::string cid, cids.Create(txn, "hello"));
//   // cid == "AAAAAAAFaGVsbG8"
//   VIEWER_ASSIGN_OR_RETURN(std::shared_ptr<const std::string> bytes,
//                           cids.Get(txn, cid));
//   VIEWER_ASSIGN_OR_RETURN(std::vector<std::string> matches,
//                           cids.FindByPrefix(txn, "AAAAAAAF", 10));
//
// New content always goes to the store's `cid` table (row path "/" + CID);
// the folder is only read. In memory mode new CIDs vanish with the process.
// Nothing is committed here: the caller commits.
//
// Thread safety: a CidRepository holds no mutable state and may be used
// from many threads at once (each with its own Transaction). The folder,
// when given, must outlive the repository; it is not owned.
#ifndef VIEWER_APP_CID_REPOSITORY_H_
#define VIEWER_APP_CID_REPOSITORY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/cid_directory.h"
#include "engine/store.h"
#include "engine/value.h"

namespace viewer {

// One row of the `cid` table.
struct CidRecord {
  int64_t id = 0;
  // The CID: the row's path without its leading '/'.
  std::string cid;
  // The bytes, shared with the store (never null).
  std::shared_ptr<const std::string> data;
  // The stored file_size, or the byte count when the column is NULL.
  int64_t file_size = 0;
  // NULL (only in a database written by something else) reads as 0.
  Timestamp created_at;

  // Compares the bytes, not the pointers.
  friend bool operator==(const CidRecord& a, const CidRecord& b);
};

class CidRepository {
 public:
  // `folder` may be null: then only the store and literal CIDs are used.
  explicit CidRepository(CidDirectory* folder = nullptr) : folder_(folder) {}

  // Stores `bytes` under their CID and returns the CID. When a row with
  // that CID already exists nothing is written and the same CID is
  // returned (the stored bytes are not compared). Errors are the store's
  // (e.g. kResourceExhausted past the memory limit).
  absl::StatusOr<std::string> Create(Transaction& txn,
                                     absl::string_view bytes) const;

  // Stores `bytes` under the name `cid`, which may be any form that names
  // them: their CID, or the hashed form of a short content's name
  // (app/hashed_cid.h), which Create would never choose. As with Create,
  // an existing row is left as it is. kInvalidArgument when `cid` is no
  // valid CID or does not name `bytes` (CheckCidBytes' message); the
  // store's errors.
  absl::Status CreateNamed(Transaction& txn, absl::string_view cid,
                           absl::string_view bytes) const;

  // The bytes `cid` names, looked up in this order: the store's `cid`
  // table, the folder, the CID itself when it is a literal CID. The bytes
  // are shared; the pointer stays valid as long as the caller holds it.
  //   kInvalidArgument  `cid` is no valid CID (ParseCid's message); a
  //                     leading '/' or an extension is not accepted here
  //   kNotFound         "no content for CID <cid>"
  //   kDataLoss         the folder's file for a hashed CID does not match
  //                     its name (never served; CidDirectory reports it
  //                     once). A literal CID is served from itself instead.
  //   and the folder's kResourceExhausted / kUnavailable, or the store's
  //   errors.
  absl::StatusOr<std::shared_ptr<const std::string>> Get(
      Transaction& txn, absl::string_view cid) const;

  // True when Get would find `cid` in the store or the folder (literal
  // CIDs not counted). Does not read folder files.
  absl::StatusOr<bool> Exists(Transaction& txn, absl::string_view cid) const;

  // CIDs starting with `prefix` (case-sensitive bytes, no wildcards: '_'
  // and '%' are plain characters), from the store and the folder, merged
  // without duplicates, in ascending byte order, at most `limit`.
  // kInvalidArgument for a negative limit.
  absl::StatusOr<std::vector<std::string>> FindByPrefix(
      Transaction& txn, absl::string_view prefix, int64_t limit) const;

  // The `limit` most recently stored rows of the `cid` table: created_at
  // descending, then id descending (the later insert first when two share
  // a timestamp). The folder is not included. kInvalidArgument for a
  // negative limit.
  absl::StatusOr<std::vector<CidRecord>> Recent(Transaction& txn,
                                                int64_t limit) const;

  // Rows in the store's `cid` table (the folder is not counted).
  absl::StatusOr<int64_t> Count(Transaction& txn) const;

  CidDirectory* folder() const { return folder_; }

 private:
  CidDirectory* const folder_;
};

}  // namespace viewer

#endif  // VIEWER_APP_CID_REPOSITORY_H_
