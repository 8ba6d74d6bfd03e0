// Queries: filters (ANDed), an order, a limit and an offset; rows; and the
// assignments of an insert or update.
//
//   Query q;
//   q.where = {Filter::Prefix("path", Value::Text("/AAAA")),
//              Filter::IsNotNull("file_size")};
//   q.order_by = {{"created_at", /*descending=*/true}};
//   q.limit = 10;
//
// Comparisons follow SQL: a filter on a NULL column value, or with a NULL
// operand, matches nothing (x = NULL is never true; use IsNull). IN matches
// when the column equals one of the listed non-NULL values. Prefix matches
// TEXT or BLOB values whose bytes start with the given bytes, case-sensitive,
// with no wildcards. Results are ordered by `order_by` then `id` ascending;
// NULL sorts first ascending and last descending.
#ifndef VIEWER_ENGINE_QUERY_H_
#define VIEWER_ENGINE_QUERY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "engine/schema.h"
#include "engine/value.h"

namespace viewer {

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kIsNull, kIsNotNull, kIn, kPrefix };

absl::string_view OpName(Op op);

struct Filter {
  std::string column;
  Op op = Op::kEq;
  Value value;                // operand of = != < <= > >= and prefix
  std::vector<Value> values;  // operands of IN

  static Filter Eq(std::string c, Value v) { return Make(std::move(c), Op::kEq, std::move(v)); }
  static Filter Ne(std::string c, Value v) { return Make(std::move(c), Op::kNe, std::move(v)); }
  static Filter Lt(std::string c, Value v) { return Make(std::move(c), Op::kLt, std::move(v)); }
  static Filter Le(std::string c, Value v) { return Make(std::move(c), Op::kLe, std::move(v)); }
  static Filter Gt(std::string c, Value v) { return Make(std::move(c), Op::kGt, std::move(v)); }
  static Filter Ge(std::string c, Value v) { return Make(std::move(c), Op::kGe, std::move(v)); }
  static Filter IsNull(std::string c) { return Make(std::move(c), Op::kIsNull, {}); }
  static Filter IsNotNull(std::string c) { return Make(std::move(c), Op::kIsNotNull, {}); }
  static Filter Prefix(std::string c, Value v) { return Make(std::move(c), Op::kPrefix, std::move(v)); }
  static Filter In(std::string c, std::vector<Value> vs) {
    Filter f = Make(std::move(c), Op::kIn, {});
    f.values = std::move(vs);
    return f;
  }

  std::string DebugString() const;

 private:
  static Filter Make(std::string c, Op op, Value v) {
    Filter f;
    f.column = std::move(c);
    f.op = op;
    f.value = std::move(v);
    return f;
  }
};

struct Order {
  std::string column;
  bool descending = false;
};

struct Query {
  std::vector<Filter> where;
  std::vector<Order> order_by;
  std::optional<int64_t> limit;  // nullopt: no limit; must be >= 0
  int64_t offset = 0;            // must be >= 0

  std::string DebugString() const;
};

// Column values of an insert or update, by column name.
using Assignments = std::vector<std::pair<std::string, Value>>;

// One row: values in schema order; values[0] is the id.
struct Row {
  std::vector<Value> values;

  int64_t id() const { return values[0].integer(); }
  const Value& operator[](size_t i) const { return values[i]; }
  std::string DebugString() const;
  friend bool operator==(const Row& a, const Row& b) = default;
};

// One group of a count grouped by a column.
struct GroupCount {
  Value key;
  int64_t count = 0;
  friend bool operator==(const GroupCount& a, const GroupCount& b) = default;
};

// ---- Resolved forms, produced by the contract layer for the backends. ----

struct BoundFilter {
  size_t column = 0;
  Op op = Op::kEq;
  Value value;
  std::vector<Value> values;
};

struct BoundOrder {
  size_t column = 0;
  bool descending = false;
};

struct BoundQuery {
  std::vector<BoundFilter> where;
  std::vector<BoundOrder> order_by;  // without the final id tie-breaker
  std::optional<int64_t> limit;
  int64_t offset = 0;
};

// The least byte string greater than every string that starts with
// `prefix`: `prefix` without its trailing 0xFF bytes, last byte plus one.
// nullopt when there is none (empty or all 0xFF): the range is then open.
// Every backend answers a prefix filter as the byte range
// [prefix, PrefixUpperBound(prefix)).
std::optional<std::string> PrefixUpperBound(absl::string_view prefix);
// A value of the same kind as `like` (TEXT or BLOB) holding `bytes`: a
// range bound must share its column's kind to compare bytewise with it.
Value SameKind(const Value& like, std::string bytes);

// SQL semantics of one filter on one column value.
bool Matches(const BoundFilter& f, const Value& v);
// True when every filter matches `row`.
bool MatchesAll(const std::vector<BoundFilter>& filters,
                const std::vector<Value>& row);
// Orders rows as the contract says: by `order`, then id ascending.
bool RowBefore(absl::Span<const BoundOrder> order,
               const std::vector<Value>& a, const std::vector<Value>& b);

}  // namespace viewer

#endif  // VIEWER_ENGINE_QUERY_H_
