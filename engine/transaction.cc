// The backend-independent half of Transaction: name resolution, type,
// TEXT, index size and NOT NULL checks, defaults and "now". Everything here runs identically for
// both backends, so these rules cannot drift between them.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"
#include "engine/store.h"

namespace viewer {
namespace {

constexpr int64_t kMaxExplicitId = int64_t{1} << 62;

absl::Status CheckKind(const TableSchema& t, size_t c, const Value& v,
                       absl::string_view what) {
  const Column& col = t.column(c);
  if (v.is_null()) return absl::OkStatus();
  if (v.kind() != KindOf(col.type)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "type mismatch: ", what, t.name(), ".", col.name, " is ",
        ColumnTypeName(col.type), ", got ", ValueKindName(v.kind())));
  }
  if (v.kind() == ValueKind::kTimestamp && !v.timestamp().InRange()) {
    return absl::InvalidArgumentError(
        absl::StrCat("timestamp out of range for ", t.name(), ".", col.name,
                     " (1970-01-01 to 9999-12-31)"));
  }
  return absl::OkStatus();
}

// What every backend can store (a filter's operand may be any value of
// the column's kind): text that is UTF-8 without NUL bytes, and in an
// indexed column no more than an index entry holds.
absl::Status CheckStorable(const TableSchema& t, size_t c, const Value& v) {
  if (v.kind() == ValueKind::kText && !IsStorableText(v.text())) {
    return InvalidText(t, c);
  }
  const Column& col = t.column(c);
  if ((col.indexed || col.unique) &&
      (v.kind() == ValueKind::kText || v.kind() == ValueKind::kBlob) &&
      v.bytes().size() > kMaxIndexedBytes) {
    return IndexedValueTooLong(t, c);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status IndexedValueTooLong(const TableSchema& table, size_t column) {
  return absl::InvalidArgumentError(absl::StrCat(
      "value too long for an indexed column (", kMaxIndexedBytes,
      " bytes at most): ", table.name(), ".", table.column(column).name));
}

absl::Status RowNotFound(const TableSchema& table, int64_t id) {
  return absl::NotFoundError(
      absl::StrCat("no row with id ", id, " in ", table.name()));
}

absl::Status UniqueViolation(const TableSchema& table, size_t column) {
  return absl::AlreadyExistsError(absl::StrCat(
      "UNIQUE constraint failed: ", table.name(), ".",
      table.column(column).name));
}

absl::Status NotNullViolation(const TableSchema& table, size_t column) {
  return absl::InvalidArgumentError(absl::StrCat(
      "NOT NULL constraint failed: ", table.name(), ".",
      table.column(column).name));
}

bool IsStorableText(absl::string_view bytes) {
  // UTF-8 as RFC 3629 defines it: shortest forms only, no surrogates,
  // nothing past U+10FFFF; and no NUL, which PostgreSQL cannot hold.
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  while (p < end) {
    const unsigned char b = *p;
    if (b < 0x80) {
      if (b == 0) return false;
      ++p;
      continue;
    }
    size_t n;          // continuation bytes
    unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
    if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // past U+10FFFF
    } else {
      return false;
    }
    if (static_cast<size_t>(end - p) <= n || p[1] < lo || p[1] > hi) {
      return false;
    }
    for (size_t i = 2; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
    }
    p += n + 1;
  }
  return true;
}

absl::Status InvalidText(const TableSchema& table, size_t column) {
  return absl::InvalidArgumentError(
      absl::StrCat("TEXT must be UTF-8 without NUL bytes: ", table.name(), ".",
                   table.column(column).name));
}

absl::Status DatabaseLocked() {
  return absl::UnavailableError("database is locked");
}

absl::Status IntegerOverflow() {
  return absl::OutOfRangeError("integer overflow");
}

void Transaction::RollbackIfOpen() {
  if (open_) {
    open_ = false;
    DoRollback();
  }
}

absl::Status Transaction::CheckOpen() const {
  if (!open_) return absl::FailedPreconditionError("transaction is finished");
  return absl::OkStatus();
}

absl::Status Transaction::CheckWritable() const {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  if (mode_ == TransactionMode::kReadOnly) {
    return absl::FailedPreconditionError("transaction is read-only");
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> Transaction::ResolveTable(absl::string_view table) const {
  return catalog_->Resolve(table);
}

absl::StatusOr<int64_t> Transaction::Insert(absl::string_view table,
                                            const Assignments& values) {
  VIEWER_RETURN_IF_ERROR(CheckWritable());
  VIEWER_ASSIGN_OR_RETURN(size_t t, ResolveTable(table));
  const TableSchema& s = schema(t);
  std::vector<Value> row(s.size());
  std::vector<bool> given(s.size(), false);
  for (const auto& [name, value] : values) {
    VIEWER_ASSIGN_OR_RETURN(size_t c, s.Resolve(name));
    if (given[c]) {
      return absl::InvalidArgumentError(
          absl::StrCat("column given twice: ", s.name(), ".", name));
    }
    VIEWER_RETURN_IF_ERROR(CheckKind(s, c, value, ""));
    VIEWER_RETURN_IF_ERROR(CheckStorable(s, c, value));
    given[c] = true;
    row[c] = value;
  }
  if (!row[0].is_null() &&
      (row[0].integer() < 1 || row[0].integer() > kMaxExplicitId)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "id out of range: ", s.name(), ".id = ", row[0].integer(),
        " (1 to 2^62)"));
  }
  Timestamp now{-1};
  for (size_t c = 1; c < s.size(); ++c) {
    if (given[c]) continue;
    const Column& col = s.column(c);
    if (col.default_kind == DefaultKind::kConstant) {
      row[c] = col.default_value;
    } else if (col.default_kind == DefaultKind::kNow) {
      if (now.micros < 0) now = clock_->Now();
      row[c] = Value::Time(now);
    }
  }
  for (size_t c = 1; c < s.size(); ++c) {
    if (s.column(c).not_null && row[c].is_null()) return NotNullViolation(s, c);
  }
  return DoInsert(t, std::move(row));
}

absl::StatusOr<Transaction::BoundAssignments> Transaction::BindUpdate(
    size_t t, const Assignments& values) {
  const TableSchema& s = schema(t);
  if (values.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("update of ", s.name(), " sets no columns"));
  }
  BoundAssignments set;
  std::vector<bool> given(s.size(), false);
  for (const auto& [name, value] : values) {
    VIEWER_ASSIGN_OR_RETURN(size_t c, s.Resolve(name));
    if (c == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot update ", s.name(), ".id"));
    }
    if (given[c]) {
      return absl::InvalidArgumentError(
          absl::StrCat("column given twice: ", s.name(), ".", name));
    }
    VIEWER_RETURN_IF_ERROR(CheckKind(s, c, value, ""));
    VIEWER_RETURN_IF_ERROR(CheckStorable(s, c, value));
    given[c] = true;
    set.push_back({c, value});
  }
  for (size_t c = 1; c < s.size(); ++c) {
    if (given[c] && s.column(c).not_null) {
      for (const Assignment& a : set) {
        if (a.column == c && a.value.is_null()) return NotNullViolation(s, c);
      }
    }
  }
  Timestamp now{-1};
  for (size_t c = 1; c < s.size(); ++c) {
    if (!given[c] && s.column(c).now_on_update) {
      if (now.micros < 0) now = clock_->Now();
      set.push_back({c, Value::Time(now)});
    }
  }
  std::sort(set.begin(), set.end(),
            [](const Assignment& a, const Assignment& b) {
              return a.column < b.column;
            });
  return set;
}

absl::StatusOr<std::vector<BoundFilter>> Transaction::BindFilters(
    size_t t, const std::vector<Filter>& where) const {
  const TableSchema& s = schema(t);
  std::vector<BoundFilter> out;
  out.reserve(where.size());
  for (const Filter& f : where) {
    VIEWER_ASSIGN_OR_RETURN(size_t c, s.Resolve(f.column));
    BoundFilter b{c, f.op, f.value, {}};
    if (f.op == Op::kIn) {
      for (const Value& v : f.values) {
        VIEWER_RETURN_IF_ERROR(CheckKind(s, c, v, "filter on "));
      }
      b.values = f.values;
    } else if (f.op != Op::kIsNull && f.op != Op::kIsNotNull) {
      VIEWER_RETURN_IF_ERROR(CheckKind(s, c, f.value, "filter on "));
    }
    if (f.op == Op::kPrefix) {
      ColumnType type = s.column(c).type;
      if (type != ColumnType::kText && type != ColumnType::kBlob) {
        return absl::InvalidArgumentError(
            absl::StrCat("PREFIX needs a TEXT or BLOB column: ", s.name(),
                         ".", s.column(c).name));
      }
    }
    out.push_back(std::move(b));
  }
  return out;
}

absl::Status Transaction::Update(absl::string_view table, int64_t id,
                                 const Assignments& values) {
  VIEWER_RETURN_IF_ERROR(CheckWritable());
  VIEWER_ASSIGN_OR_RETURN(size_t t, ResolveTable(table));
  VIEWER_ASSIGN_OR_RETURN(BoundAssignments set, BindUpdate(t, values));
  return DoUpdate(t, id, set);
}

absl::Status Transaction::Delete(absl::string_view table, int64_t id) {
  VIEWER_RETURN_IF_ERROR(CheckWritable());
  VIEWER_ASSIGN_OR_RETURN(size_t t, ResolveTable(table));
  return DoDelete(t, id);
}

absl::StatusOr<int64_t> Transaction::UpdateWhere(
    absl::string_view table, const std::vector<Filter>& where,
    const Assignments& values) {
  VIEWER_RETURN_IF_ERROR(CheckWritable());
  VIEWER_ASSIGN_OR_RETURN(size_t t, ResolveTable(table));
  VIEWER_ASSIGN_OR_RETURN(std::vector<BoundFilter> filters,
                          BindFilters(t, where));
  VIEWER_ASSIGN_OR_RETURN(BoundAssignments set, BindUpdate(t, values));
  return DoUpdateWhere(t, filters, set);
}

absl::StatusOr<int64_t> Transaction::DeleteWhere(
    absl::string_view table, const std::vector<Filter>& where) {
  VIEWER_RETURN_IF_ERROR(CheckWritable());
  VIEWER_ASSIGN_OR_RETURN(size_t t, ResolveTable(table));
  VIEWER_ASSIGN_OR_RETURN(std::vector<BoundFilter> filters,
                          BindFilters(t, where));
  return DoDeleteWhere(t, filters);
}

absl::StatusOr<Row> Transaction::Get(absl::string_view table, int64_t id) {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  VIEWER_ASSIGN_OR_RETURN(size_t t, ResolveTable(table));
  return DoGet(t, id);
}

absl::StatusOr<std::vector<Row>> Transaction::Select(absl::string_view table,
                                                     const Query& query) {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  VIEWER_ASSIGN_OR_RETURN(size_t t, ResolveTable(table));
  BoundQuery q;
  VIEWER_ASSIGN_OR_RETURN(q.where, BindFilters(t, query.where));
  for (const Order& o : query.order_by) {
    VIEWER_ASSIGN_OR_RETURN(size_t c, schema(t).Resolve(o.column));
    q.order_by.push_back({c, o.descending});
  }
  if (query.limit && *query.limit < 0) {
    return absl::InvalidArgumentError("LIMIT must not be negative");
  }
  if (query.offset < 0) {
    return absl::InvalidArgumentError("OFFSET must not be negative");
  }
  q.limit = query.limit;
  q.offset = query.offset;
  return DoSelect(t, q);
}

absl::StatusOr<int64_t> Transaction::Count(absl::string_view table,
                                           const std::vector<Filter>& where) {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  VIEWER_ASSIGN_OR_RETURN(size_t t, ResolveTable(table));
  VIEWER_ASSIGN_OR_RETURN(std::vector<BoundFilter> filters,
                          BindFilters(t, where));
  return DoCount(t, filters);
}

absl::StatusOr<int64_t> Transaction::CountDistinct(
    absl::string_view table, absl::string_view column,
    const std::vector<Filter>& where) {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  VIEWER_ASSIGN_OR_RETURN(size_t t, ResolveTable(table));
  VIEWER_ASSIGN_OR_RETURN(size_t c, schema(t).Resolve(column));
  VIEWER_ASSIGN_OR_RETURN(std::vector<BoundFilter> filters,
                          BindFilters(t, where));
  return DoCountDistinct(t, c, filters);
}

absl::StatusOr<Value> Transaction::Sum(absl::string_view table,
                                       absl::string_view column,
                                       const std::vector<Filter>& where) {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  VIEWER_ASSIGN_OR_RETURN(size_t t, ResolveTable(table));
  VIEWER_ASSIGN_OR_RETURN(size_t c, schema(t).Resolve(column));
  if (schema(t).column(c).type != ColumnType::kInteger) {
    return absl::InvalidArgumentError(
        absl::StrCat("SUM needs an INTEGER column: ", schema(t).name(), ".",
                     schema(t).column(c).name));
  }
  VIEWER_ASSIGN_OR_RETURN(std::vector<BoundFilter> filters,
                          BindFilters(t, where));
  return DoSum(t, c, filters);
}

absl::StatusOr<std::vector<GroupCount>> Transaction::CountBy(
    absl::string_view table, absl::string_view column,
    const std::vector<Filter>& where) {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  VIEWER_ASSIGN_OR_RETURN(size_t t, ResolveTable(table));
  VIEWER_ASSIGN_OR_RETURN(size_t c, schema(t).Resolve(column));
  VIEWER_ASSIGN_OR_RETURN(std::vector<BoundFilter> filters,
                          BindFilters(t, where));
  return DoCountBy(t, c, filters);
}

absl::StatusOr<size_t> Transaction::FindSavepoint(absl::string_view name) const {
  for (size_t i = savepoints_.size(); i > 0; --i) {
    if (savepoints_[i - 1] == name) return i - 1;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("no such savepoint: ", name));
}

absl::Status Transaction::Savepoint(absl::string_view name) {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  if (name.empty()) {
    return absl::InvalidArgumentError("savepoint name is empty");
  }
  VIEWER_RETURN_IF_ERROR(DoSavepoint(savepoints_.size()));
  savepoints_.emplace_back(name);
  return absl::OkStatus();
}

absl::Status Transaction::RollbackTo(absl::string_view name) {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  VIEWER_ASSIGN_OR_RETURN(size_t depth, FindSavepoint(name));
  VIEWER_RETURN_IF_ERROR(DoRollbackTo(depth));
  savepoints_.resize(depth + 1);
  return absl::OkStatus();
}

absl::Status Transaction::Release(absl::string_view name) {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  VIEWER_ASSIGN_OR_RETURN(size_t depth, FindSavepoint(name));
  VIEWER_RETURN_IF_ERROR(DoRelease(depth));
  savepoints_.resize(depth);
  return absl::OkStatus();
}

absl::Status Transaction::Commit() {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  open_ = false;
  savepoints_.clear();
  return DoCommit();
}

absl::Status Transaction::Rollback() {
  VIEWER_RETURN_IF_ERROR(CheckOpen());
  open_ = false;
  savepoints_.clear();
  DoRollback();
  return absl::OkStatus();
}

}  // namespace viewer
