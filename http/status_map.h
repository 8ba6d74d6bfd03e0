// The one place where an absl::Status code becomes an HTTP status
// (docs/design.md, "A request, from socket to store and back"). Handlers never
// pick an error status by hand for a Status they got from app/ or the store.
//
//   absl::Status s = DeleteEntity(txn, kind, name);
//   if (!s.ok()) return ctx.Error(HttpStatusFor(s), s.message());
//
//   kOk                 200
//   kInvalidArgument    400  bad name, missing field, malformed CID...
//   kOutOfRange         400
//   kUnauthenticated    401
//   kPermissionDenied   403
//   kNotFound           404
//   kAlreadyExists      409  duplicate create or rename
//   kFailedPrecondition 409  the request conflicts with the current state
//                            (abseil: "the system is not in a state
//                            required"); nothing about the request itself
//                            is malformed, so not 400
//   kAborted            409
//   kResourceExhausted  507  the memory store is full (a single body over
//                            the limit is 413, decided before any Status)
//   kUnimplemented      501
//   kUnavailable        503  database is locked; try again
//   kDeadlineExceeded   504
//   kCancelled          499  (nginx's "client closed request")
//   kDataLoss, kInternal, kUnknown  500
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_STATUS_MAP_H_
#define VIEWER_HTTP_STATUS_MAP_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace viewer {

int HttpStatusFor(absl::StatusCode code);
inline int HttpStatusFor(const absl::Status& status) {
  return HttpStatusFor(status.code());
}

// The reason phrase for an HTTP status ("Not Found"), or "Error".
absl::string_view HttpReason(int http_status);

}  // namespace viewer

#endif  // VIEWER_HTTP_STATUS_MAP_H_
