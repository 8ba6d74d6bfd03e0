// Server invocations: one row per run of a server, naming by CID what went
// in and what came out (table server_invocation; the plan's db_access
// invocations module).
//
//   VIEWER_ASSIGN_OR_RETURN(
//       Invocation inv,
//       CreateInvocation(txn, {.server_name = "echo",
//                              .result_cid = result,
//                              .request_details_cid = request}));
//   VIEWER_ASSIGN_OR_RETURN(std::vector<Invocation> uses,
//                           InvocationsByAnyCid(txn, cid));
//
// Every list is newest first: invoked_at descending, then id descending.
// The CIDs are stored as given (not checked: they may name content that is
// gone). Nothing is committed here: the caller commits.
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_INVOCATIONS_H_
#define VIEWER_APP_INVOCATIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/store.h"
#include "engine/value.h"

namespace viewer {

struct InvocationInput {
  std::string server_name;
  std::string result_cid;
  std::optional<std::string> servers_cid;
  std::optional<std::string> variables_cid;
  std::optional<std::string> secrets_cid;
  std::optional<std::string> request_details_cid;
  std::optional<std::string> invocation_cid;
  std::optional<std::string> external_calls_cid;

  friend bool operator==(const InvocationInput& a,
                         const InvocationInput& b) = default;
};

// One row of server_invocation: what was recorded, its id and when. A NULL
// invoked_at (only in a database written by something else) reads as
// Timestamp{0}.
struct Invocation : InvocationInput {
  int64_t id = 0;
  Timestamp invoked_at;

  friend bool operator==(const Invocation& a, const Invocation& b) = default;
};

// Inserts an invocation (invoked_at = now) and returns the row as stored.
absl::StatusOr<Invocation> CreateInvocation(Transaction& txn,
                                            const InvocationInput& input);

// Invocations of one server; at most `limit` when given (kInvalidArgument
// when negative).
absl::StatusOr<std::vector<Invocation>> InvocationsForServer(
    Transaction& txn, absl::string_view server_name,
    std::optional<int64_t> limit = std::nullopt);

// Invocations whose result_cid is one of `result_cids` (an empty list
// matches nothing).
absl::StatusOr<std::vector<Invocation>> InvocationsByResultCids(
    Transaction& txn, const std::vector<std::string>& result_cids);

// What /server_events lists: every filter optional (empty or nullopt
// matches all).
struct InvocationFilter {
  std::string server_name;         // exact
  std::string result_cid;          // exact
  std::optional<Timestamp> start;  // invoked_at >= start
  std::optional<Timestamp> end;    // invoked_at <= end
};

// One page of FilteredInvocations.
struct InvocationPage {
  std::vector<Invocation> invocations;  // newest first
  int64_t total = 0;                    // matching, on all pages
  int64_t page = 1;
  int64_t per_page = 50;
  int64_t pages() const { return (total + per_page - 1) / per_page; }
};

// Page `page` (1-based) of the invocations `filter` matches, `per_page`
// (1-1000) a page. kInvalidArgument for a page below 1 or per_page out of
// range; a page past the end is empty.
absl::StatusOr<InvocationPage> FilteredInvocations(
    Transaction& txn, const InvocationFilter& filter, int64_t page,
    int64_t per_page);

// Invocations naming `cid` in any of the seven CID columns, each once.
absl::StatusOr<std::vector<Invocation>> InvocationsByAnyCid(
    Transaction& txn, absl::string_view cid);

}  // namespace viewer

#endif  // VIEWER_APP_INVOCATIONS_H_
