#include "engine/query.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/match.h"

namespace viewer {

std::optional<std::string> PrefixUpperBound(absl::string_view prefix) {
  std::string hi(prefix);
  while (!hi.empty() && static_cast<unsigned char>(hi.back()) == 0xFF) {
    hi.pop_back();
  }
  if (hi.empty()) return std::nullopt;
  hi.back() = static_cast<char>(static_cast<unsigned char>(hi.back()) + 1);
  return hi;
}

Value SameKind(const Value& like, std::string bytes) {
  return like.kind() == ValueKind::kBlob ? Value::Blob(std::move(bytes))
                                         : Value::Text(std::move(bytes));
}

absl::string_view OpName(Op op) {
  switch (op) {
    case Op::kEq: return "=";
    case Op::kNe: return "!=";
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
    case Op::kIsNull: return "IS NULL";
    case Op::kIsNotNull: return "IS NOT NULL";
    case Op::kIn: return "IN";
    case Op::kPrefix: return "PREFIX";
  }
  return "?";
}

std::string Filter::DebugString() const {
  switch (op) {
    case Op::kIsNull:
    case Op::kIsNotNull:
      return absl::StrCat(column, " ", OpName(op));
    case Op::kIn:
      return absl::StrCat(
          column, " IN (",
          absl::StrJoin(values, ", ",
                        [](std::string* out, const Value& v) {
                          out->append(v.DebugString());
                        }),
          ")");
    default:
      return absl::StrCat(column, " ", OpName(op), " ", value.DebugString());
  }
}

std::string Query::DebugString() const {
  std::string out = absl::StrJoin(
      where, " AND ",
      [](std::string* o, const Filter& f) { o->append(f.DebugString()); });
  if (out.empty()) out = "all";
  if (!order_by.empty()) {
    absl::StrAppend(&out, " ORDER BY ",
                    absl::StrJoin(order_by, ", ",
                                  [](std::string* o, const Order& ord) {
                                    absl::StrAppend(o, ord.column,
                                                    ord.descending ? " DESC"
                                                                   : "");
                                  }));
  }
  if (limit) absl::StrAppend(&out, " LIMIT ", *limit);
  if (offset) absl::StrAppend(&out, " OFFSET ", offset);
  return out;
}

std::string Row::DebugString() const {
  return absl::StrCat(
      "(",
      absl::StrJoin(values, ", ",
                    [](std::string* o, const Value& v) {
                      o->append(v.DebugString());
                    }),
      ")");
}

bool Matches(const BoundFilter& f, const Value& v) {
  switch (f.op) {
    case Op::kIsNull:
      return v.is_null();
    case Op::kIsNotNull:
      return !v.is_null();
    case Op::kIn:
      if (v.is_null()) return false;
      for (const Value& candidate : f.values) {
        if (!candidate.is_null() && CompareValues(v, candidate) == 0) {
          return true;
        }
      }
      return false;
    case Op::kPrefix:
      if (v.is_null() || f.value.is_null()) return false;
      return absl::StartsWith(v.bytes(), f.value.bytes());
    default:
      break;
  }
  if (v.is_null() || f.value.is_null()) return false;
  int c = CompareValues(v, f.value);
  switch (f.op) {
    case Op::kEq: return c == 0;
    case Op::kNe: return c != 0;
    case Op::kLt: return c < 0;
    case Op::kLe: return c <= 0;
    case Op::kGt: return c > 0;
    case Op::kGe: return c >= 0;
    default: return false;
  }
}

bool MatchesAll(const std::vector<BoundFilter>& filters,
                const std::vector<Value>& row) {
  for (const BoundFilter& f : filters) {
    if (!Matches(f, row[f.column])) return false;
  }
  return true;
}

bool RowBefore(absl::Span<const BoundOrder> order,
               const std::vector<Value>& a, const std::vector<Value>& b) {
  for (const BoundOrder& o : order) {
    const Value& x = a[o.column];
    const Value& y = b[o.column];
    int c = CompareValues(x, y);
    if (c != 0) return o.descending ? c > 0 : c < 0;
  }
  return a[0].integer() < b[0].integer();
}

}  // namespace viewer
