// A store filled as a busy viewer session fills it, for the dump tests and
// the dump benchmark: of `rows` rows, half page views, 30% entity
// interactions, 5% CIDs of 1 KB with as many server invocations, and the
// rest split evenly over servers, aliases, variables and secrets.
//
//   VIEWER_RETURN_IF_ERROR(FillBusySession(txn, 100'000));
//
// Nothing is committed here: the caller commits.
#ifndef VIEWER_TESTS_BUSY_SESSION_H_
#define VIEWER_TESTS_BUSY_SESSION_H_

#include "absl/status/status.h"
#include "engine/store.h"

namespace viewer {

// Inserts exactly `rows` rows (rows >= 20, a multiple of 20 for exact
// shares) into the application's tables through `txn`.
absl::Status FillBusySession(Transaction& txn, int rows);

}  // namespace viewer

#endif  // VIEWER_TESTS_BUSY_SESSION_H_
