#include "sqlite_backend/internal/value_codec.h"

#include <sqlite3.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace viewer::sqlite_internal {
namespace {

absl::string_view ColumnBytes(sqlite3_stmt* stmt, int index, bool text) {
  // Per SQLite's documentation, fetch the pointer first, then the length.
  const void* data =
      text ? static_cast<const void*>(sqlite3_column_text(stmt, index))
           : sqlite3_column_blob(stmt, index);
  int size = sqlite3_column_bytes(stmt, index);
  if (data == nullptr || size <= 0) return absl::string_view();
  return absl::string_view(static_cast<const char*>(data),
                           static_cast<size_t>(size));
}

// What the file holds, for the kDataLoss message.
std::string Describe(sqlite3_stmt* stmt, int index) {
  switch (sqlite3_column_type(stmt, index)) {
    case SQLITE_INTEGER:
      return absl::StrCat("INTEGER ", sqlite3_column_int64(stmt, index));
    case SQLITE_FLOAT:
      return absl::StrCat("REAL ", sqlite3_column_double(stmt, index));
    case SQLITE_TEXT:
      return absl::StrCat(
          "TEXT ", Value::Text(std::string(ColumnBytes(stmt, index, true)))
                       .DebugString());
    case SQLITE_BLOB:
      return absl::StrCat(
          "BLOB ", Value::Blob(std::string(ColumnBytes(stmt, index, false)))
                       .DebugString());
    default:
      return "NULL";
  }
}

}  // namespace

int BindValue(sqlite3_stmt* stmt, int index, const Value& value) {
  switch (value.kind()) {
    case ValueKind::kNull:
      return sqlite3_bind_null(stmt, index);
    case ValueKind::kInteger:
      return sqlite3_bind_int64(stmt, index, value.integer());
    case ValueKind::kBoolean:
      return sqlite3_bind_int64(stmt, index, value.boolean() ? 1 : 0);
    case ValueKind::kTimestamp: {
      std::string text = value.timestamp().ToString();
      return sqlite3_bind_text64(stmt, index, text.data(), text.size(),
                                 SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    case ValueKind::kText:
      // std::string::data() is never null, so "" binds as empty TEXT.
      return sqlite3_bind_text64(stmt, index, value.text().data(),
                                 value.text().size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
    case ValueKind::kBlob:
      // A null data pointer would bind NULL; zeroblob(0) is an empty BLOB.
      if (value.blob().empty()) return sqlite3_bind_zeroblob(stmt, index, 0);
      return sqlite3_bind_blob64(stmt, index, value.blob().data(),
                                 value.blob().size(), SQLITE_STATIC);
  }
  return SQLITE_MISUSE;
}

absl::StatusOr<Value> ReadValue(sqlite3_stmt* stmt, int index,
                                const TableSchema& table, size_t column,
                                std::optional<int64_t> row_id) {
  const int stored = sqlite3_column_type(stmt, index);
  if (stored == SQLITE_NULL) return Value::Null();
  const ColumnType type = table.column(column).type;
  switch (type) {
    case ColumnType::kInteger:
      if (stored == SQLITE_INTEGER) {
        return Value::Integer(sqlite3_column_int64(stmt, index));
      }
      break;
    case ColumnType::kBoolean:
      if (stored == SQLITE_INTEGER) {
        int64_t v = sqlite3_column_int64(stmt, index);
        if (v == 0 || v == 1) return Value::Boolean(v == 1);
      }
      break;
    case ColumnType::kText:
      if (stored == SQLITE_TEXT) {
        return Value::Text(std::string(ColumnBytes(stmt, index, true)));
      }
      break;
    case ColumnType::kBlob:
      if (stored == SQLITE_BLOB) {
        return Value::Blob(std::string(ColumnBytes(stmt, index, false)));
      }
      break;
    case ColumnType::kTimestamp:
      if (stored == SQLITE_TEXT) {
        absl::StatusOr<Timestamp> t =
            Timestamp::Parse(ColumnBytes(stmt, index, true));
        if (t.ok()) return Value::Time(*t);
      }
      break;
  }
  return absl::DataLossError(absl::StrCat(
      "cannot read ", table.name(), ".", table.column(column).name,
      row_id ? absl::StrCat(" of row ", *row_id)
             : std::string(" (in an aggregate)"),
      ": stored ", Describe(stmt, index), " is not a ", ColumnTypeName(type)));
}

}  // namespace viewer::sqlite_internal
