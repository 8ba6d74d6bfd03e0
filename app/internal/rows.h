// Helpers private to the repositories (app/*.h): how a table's rows map
// onto a struct (RowMapping, declared once per repository), column
// positions looked up once by name, conversions between Values and struct
// fields, and a savepoint wrapper that makes a multi-statement write
// atomic.
//
//   const RowMapping<ExportRecord>& Rows() {
//     static const auto* rows = new RowMapping<ExportRecord>(
//         kExportTable, {{"cid", &ExportRecord::cid},
//                        {"created_at", &ExportRecord::created_at}});
//     return *rows;
//   }
//   VIEWER_ASSIGN_OR_RETURN(std::vector<ExportRecord> last,
//                           Rows().Select(txn, query));
#ifndef VIEWER_APP_INTERNAL_ROWS_H_
#define VIEWER_APP_INTERNAL_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

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

// How the columns of one table fill the fields of a struct T, and the
// reverse. A field is one of:
//   std::string                 TEXT; NULL reads as ""
//   std::optional<std::string>  TEXT or NULL
//   Timestamp                   TIMESTAMP; NULL reads as Timestamp{0}
//   int64_t                     INTEGER; NULL reads as 0
//   bool                        BOOLEAN; NULL reads as false
// T::id, when read, gets the row's id. Columns are looked up by name once,
// when the mapping is made (a missing one aborts: see ColumnIndex).
//
// Thread safety: immutable once made; share it freely.
template <typename T>
class RowMapping {
 public:
  using Member = std::variant<std::string T::*, std::optional<std::string> T::*,
                              Timestamp T::*, int64_t T::*, bool T::*>;
  struct Field {
    const char* column;
    Member member;
  };

  RowMapping(const char* table, const std::vector<Field>& fields)
      : table_(table) {
    for (const Field& f : fields) Add(f);
  }
  // The mapping of `base` (a base class of T) and `more` fields.
  template <typename Base>
  RowMapping(const RowMapping<Base>& base, const std::vector<Field>& more)
      : table_(base.table()) {
    static_assert(std::is_base_of_v<Base, T>);
    for (const auto& f : base.fields()) {
      std::visit([&](auto m) { Add({f.column, Member(Widen(m))}); }, f.member);
    }
    for (const Field& f : more) Add(f);
  }

  const char* table() const { return table_; }
  const std::vector<Field>& fields() const { return fields_; }

  // The struct one row of the table fills.
  T FromRow(const Row& row) const {
    T out;
    out.id = row.id();
    for (size_t i = 0; i < fields_.size(); ++i) {
      std::visit([&](auto m) { Read(row[index_[i]], out.*m); },
                 fields_[i].member);
    }
    return out;
  }
  // The values of every field of `value`, for Insert or Update.
  Assignments Values(const T& value) const {
    Assignments out;
    out.reserve(fields_.size());
    for (const Field& f : fields_) {
      std::visit([&](auto m) { out.emplace_back(f.column, Write(value.*m)); },
                 f.member);
    }
    return out;
  }

  // The rows `query` selects, mapped.
  absl::StatusOr<std::vector<T>> Select(Transaction& txn,
                                        const Query& query) const {
    VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows, txn.Select(table_, query));
    std::vector<T> out;
    out.reserve(rows.size());
    for (const Row& row : rows) out.push_back(FromRow(row));
    return out;
  }
  // Row `id`, mapped; the store's kNotFound when there is none.
  absl::StatusOr<T> Get(Transaction& txn, int64_t id) const {
    VIEWER_ASSIGN_OR_RETURN(Row row, txn.Get(table_, id));
    return FromRow(row);
  }
  // Inserts `values` and returns the row as stored (defaults filled in).
  absl::StatusOr<T> Insert(Transaction& txn, const Assignments& values) const {
    VIEWER_ASSIGN_OR_RETURN(int64_t id, txn.Insert(table_, values));
    return Get(txn, id);
  }

 private:
  template <typename V, typename Base>
  static V T::*Widen(V Base::*m) {
    return m;
  }
  void Add(const Field& f) {
    fields_.push_back(f);
    index_.push_back(ColumnIndex(table_, f.column));
  }
  static void Read(const Value& v, std::string& out) { out = TextOf(v); }
  static void Read(const Value& v, std::optional<std::string>& out) {
    out = OptTextOf(v);
  }
  static void Read(const Value& v, Timestamp& out) { out = TimeOf(v); }
  static void Read(const Value& v, int64_t& out) { out = IntegerOr(v, 0); }
  static void Read(const Value& v, bool& out) { out = BooleanOr(v, false); }
  static Value Write(const std::string& v) { return Value::Text(v); }
  static Value Write(const std::optional<std::string>& v) {
    return TextOrNull(v);
  }
  static Value Write(Timestamp v) { return Value::Time(v); }
  static Value Write(int64_t v) { return Value::Integer(v); }
  static Value Write(bool v) { return Value::Boolean(v); }

  const char* table_;
  std::vector<Field> fields_;
  std::vector<size_t> index_;  // the column of fields_[i]
};

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
