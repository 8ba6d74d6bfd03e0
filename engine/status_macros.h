// Small helpers for absl::Status plumbing. The installed abseil (20220623)
// has no RETURN_IF_ERROR / ASSIGN_OR_RETURN, so the project defines its own.
//
//   VIEWER_RETURN_IF_ERROR(txn->Commit());
//   VIEWER_ASSIGN_OR_RETURN(int64_t id, txn->Insert("server", values));
#ifndef VIEWER_ENGINE_STATUS_MACROS_H_
#define VIEWER_ENGINE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define VIEWER_RETURN_IF_ERROR(expr)                     \
  do {                                                   \
    ::absl::Status viewer_status_ = (expr);              \
    if (!viewer_status_.ok()) return viewer_status_;     \
  } while (0)

#define VIEWER_STATUS_CONCAT_INNER_(a, b) a##b
#define VIEWER_STATUS_CONCAT_(a, b) VIEWER_STATUS_CONCAT_INNER_(a, b)

#define VIEWER_ASSIGN_OR_RETURN(lhs, expr)                                   \
  VIEWER_ASSIGN_OR_RETURN_IMPL_(                                             \
      VIEWER_STATUS_CONCAT_(viewer_statusor_, __LINE__), lhs, expr)

#define VIEWER_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // VIEWER_ENGINE_STATUS_MACROS_H_
