// Exports: the CIDs of export archives made so far (table export; the
// plan's db_access exports module).
//
//   VIEWER_ASSIGN_OR_RETURN(std::string cid, cids.Create(txn, archive));
//   VIEWER_RETURN_IF_ERROR(RecordExport(txn, cid).status());
//   VIEWER_ASSIGN_OR_RETURN(std::vector<ExportRecord> last,
//                           ListExports(txn, 20));
//
// Nothing is committed here: the caller commits.
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_EXPORTS_H_
#define VIEWER_APP_EXPORTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/store.h"
#include "engine/value.h"

namespace viewer {

// One row of export. A NULL created_at (only in a database written by
// something else) reads as Timestamp{0}.
struct ExportRecord {
  int64_t id = 0;
  std::string cid;
  Timestamp created_at;

  friend bool operator==(const ExportRecord& a,
                         const ExportRecord& b) = default;
};

// Records an export of `cid` (created_at = now) and returns the row.
// kInvalidArgument when `cid` is no valid CID (ParseCid's message).
absl::StatusOr<ExportRecord> RecordExport(Transaction& txn,
                                          absl::string_view cid);

// The `limit` most recent exports: created_at descending, then id
// descending. kInvalidArgument for a negative limit.
absl::StatusOr<std::vector<ExportRecord>> ListExports(Transaction& txn,
                                                      int64_t limit);

}  // namespace viewer

#endif  // VIEWER_APP_EXPORTS_H_
