// Helpers private to the repositories (app/*.h): column positions looked up
// once by name, conversions between Values and struct fields, and a
// savepoint wrapper that makes a multi-statement write atomic.
//
//   static const size_t kName = ColumnIndex(kServerTable, "name");
//   entity.name = TextOf(row[kName]);
#ifndef VIEWER_APP_INTERNAL_ROWS_H_
#define VIEWER_APP_INTERNAL_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/status_macros.h"
#include "engine/store.h"
#include "engine/value.h"

namespace viewer::app_internal {

// The position of `column` in `table` of AppCatalog(). The tables are the
// app's own, so a missing one is a programming error: it aborts with a
// message.
size_t ColumnIndex(absl::string_view table, absl::string_view column);

// TEXT -> string; NULL (or any other kind) -> "".
std::string TextOf(const Value& v);
// TEXT -> string; NULL -> nullopt.
std::optional<std::string> OptTextOf(const Value& v);
// TIMESTAMP -> it; NULL -> Timestamp{0}.
Timestamp TimeOf(const Value& v);
// INTEGER -> it; NULL -> `otherwise`.
int64_t IntegerOr(const Value& v, int64_t otherwise);
// BOOLEAN -> it; NULL -> `otherwise`.
bool BooleanOr(const Value& v, bool otherwise);

Value TextOrNull(const std::optional<std::string>& s);

// kInvalidArgument "limit must be >= 0, got -1" for a negative limit.
absl::Status CheckLimit(int64_t limit);

inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

// Runs `fn()` (returning Status or StatusOr) inside a savepoint of `txn`:
// when it fails, everything it wrote is undone, so a repository write is
// all or nothing inside the caller's transaction. A read-only transaction
// gets no savepoint (its first write fails, and nothing was written).
template <typename Fn>
auto Atomically(Transaction& txn, Fn fn) -> decltype(fn()) {
  static constexpr char kSavepoint[] = "viewer_repository_write";
  if (txn.mode() == TransactionMode::kReadOnly) return fn();
  VIEWER_RETURN_IF_ERROR(txn.Savepoint(kSavepoint));
  auto result = fn();
  if (!StatusOf(result).ok()) {
    absl::Status undone = txn.RollbackTo(kSavepoint);
    if (!undone.ok()) return undone;
  }
  absl::Status released = txn.Release(kSavepoint);
  if (!released.ok()) return released;
  return result;
}

}  // namespace viewer::app_internal

#endif  // VIEWER_APP_INTERNAL_ROWS_H_
