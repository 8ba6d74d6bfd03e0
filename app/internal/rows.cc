#include "app/internal/rows.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "app/schemas.h"

namespace viewer::app_internal {

size_t ColumnIndex(absl::string_view table, absl::string_view column) {
  const TableSchema* schema = AppCatalog().Find(table);
  std::optional<size_t> index;
  if (schema != nullptr) index = schema->Find(column);
  if (!index) {
    std::fprintf(stderr, "app: no column %.*s.%.*s in the app catalog\n",
                 static_cast<int>(table.size()), table.data(),
                 static_cast<int>(column.size()), column.data());
    std::abort();
  }
  return *index;
}

std::string TextOf(const Value& v) {
  return v.kind() == ValueKind::kText ? v.text() : std::string();
}

std::optional<std::string> OptTextOf(const Value& v) {
  if (v.kind() != ValueKind::kText) return std::nullopt;
  return v.text();
}

Timestamp TimeOf(const Value& v) {
  return v.kind() == ValueKind::kTimestamp ? v.timestamp() : Timestamp{0};
}

int64_t IntegerOr(const Value& v, int64_t otherwise) {
  return v.kind() == ValueKind::kInteger ? v.integer() : otherwise;
}

bool BooleanOr(const Value& v, bool otherwise) {
  return v.kind() == ValueKind::kBoolean ? v.boolean() : otherwise;
}

Value TextOrNull(const std::optional<std::string>& s) {
  return s ? Value::Text(*s) : Value::Null();
}

absl::Status CheckLimit(int64_t limit) {
  if (limit < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit must be >= 0, got ", limit));
  }
  return absl::OkStatus();
}

}  // namespace viewer::app_internal
