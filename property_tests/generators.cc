#include "property_tests/generators.h"

#include <climits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rapidcheck.h"

namespace viewer::property {
namespace {

using rc::gen::arbitrary;
using rc::gen::elementOf;
using rc::gen::inRange;

// Pieces of short names: collisions are frequent, and each piece is a trap
// for some implementation (case, LIKE wildcards, UTF-8, 0xFF, NUL).
const std::vector<std::string>& PieceList() {
  static const auto* pieces = new std::vector<std::string>{
      "a", "b", "A", "B", "_", "%", "é", "É", "\xff", std::string("\0", 1)};
  return *pieces;
}

// `len` pieces joined.
std::string Pieces(int len) {
  std::string s;
  for (int i = 0; i < len; ++i) s += *elementOf(PieceList());
  return s;
}

std::string Short(int max_len) { return Pieces(*inRange(0, max_len + 1)); }

// True one time in n; shrinks to false (RapidCheck shrinks towards 0).
bool OneIn(int n) { return *inRange(0, n) == n - 1; }

}  // namespace

std::string GenText() {
  // Case 0 and the other low cases are the simple ones: RapidCheck shrinks
  // choices towards 0.
  switch (*inRange(0, 12)) {
    case 9:
      return *elementOf(std::vector<std::string>{
          "", "'", "\"", "O'Reilly", "a_b", "100%", "日本語", "🙂", "  ",
          "Robert'); DROP TABLE server;--", "\\", "ab"});
    case 10: {
      std::string s = *rc::gen::container<std::string>(
          inRange<char>(' ', '~'));
      return s.substr(0, 40);
    }
    case 11: {
      std::string piece = *elementOf(PieceList());
      return std::string(*inRange(100, 3000), piece[0]);
    }
    default:
      return Short(3);
  }
}

std::string GenBytes() {
  switch (*inRange(0, 30)) {
    case 29:
      return std::string(*inRange(64 * 1024, 300 * 1024),
                         static_cast<char>(*inRange(0, 256)));
    case 27:
    case 28: {
      std::string s;
      int len = *inRange(0, 100);
      for (int i = 0; i < len; ++i) {
        s.push_back(static_cast<char>(*inRange(0, 256)));
      }
      return s;
    }
    default: {
      int len = *inRange(0, 4);
      std::string s;
      for (int i = 0; i < len; ++i) {
        s.push_back(*elementOf(std::vector<char>{'\0', '\xff', '\x01', 'a'}));
      }
      return s;
    }
  }
}

Value GenValue(const Column& column) {
  if (OneIn(column.not_null ? 12 : 5)) return Value::Null();
  switch (column.type) {
    case ColumnType::kInteger:
      if (*inRange(0, 4) == 3) {
        return Value::Integer(*elementOf(std::vector<int64_t>{
            INT64_MAX, INT64_MIN, INT64_MAX - 1, -1, 1LL << 40}));
      }
      return Value::Integer(*inRange<int64_t>(-3, 12));
    case ColumnType::kText:
      return Value::Text(GenText());
    case ColumnType::kBlob:
      return Value::Blob(GenBytes());
    case ColumnType::kBoolean:
      return Value::Boolean(*arbitrary<bool>());
    case ColumnType::kTimestamp:
      switch (*inRange(0, 20)) {
        case 17:
          return Value::Time(Timestamp{0});
        case 18:
          return Value::Time(Timestamp{Timestamp::kMaxMicros});
        case 19:
          return Value::Time(Timestamp{-1});  // out of range: an error
        default:
          // Coarse steps, so that equal timestamps are common.
          return Value::Time(
              Timestamp{kClockStart + *inRange<int64_t>(0, 20) * 250'000});
      }
  }
  return Value::Null();
}

Value GenPrefix(const Column& column) {
  if (OneIn(15)) return Value::Null();
  // Mostly one piece: "a" against a stored "A..." catches a prefix match
  // that ignores case.
  std::string p = Pieces(*elementOf(std::vector<int>{1, 1, 1, 2, 0}));
  if (column.type == ColumnType::kBlob) return Value::Blob(p);
  if (column.type == ColumnType::kText) return Value::Text(p);
  return Value::Text(p);  // a prefix on a non-text column: an error
}

int64_t GenId(int64_t max_id) {
  if (OneIn(20)) return *elementOf(std::vector<int64_t>{0, -1, INT64_MAX});
  return *inRange<int64_t>(1, max_id + 3);
}

std::string GenColumn(const TableSchema& table) {
  return table.column(*inRange<size_t>(0, table.size())).name;
}

Filter GenFilter(const TableSchema& table, int64_t max_id) {
  const size_t c = *inRange<size_t>(0, table.size());
  const Column& col = table.column(c);
  auto operand = [&] {
    return c == 0 ? Value::Integer(GenId(max_id)) : GenValue(col);
  };
  switch (*inRange(0, 12)) {
    case 0: return Filter::Ne(col.name, operand());
    case 1: return Filter::Lt(col.name, operand());
    case 2: return Filter::Le(col.name, operand());
    case 3: return Filter::Gt(col.name, operand());
    case 4: return Filter::Ge(col.name, operand());
    case 5: return Filter::IsNull(col.name);
    case 6: return Filter::IsNotNull(col.name);
    case 7:
    case 8: {
      std::vector<Value> values;
      int n = *inRange(0, 4);
      for (int i = 0; i < n; ++i) values.push_back(operand());
      return Filter::In(col.name, std::move(values));
    }
    case 9:
    case 10: {
      // Prefix on a text or blob column of this table, if any.
      std::vector<size_t> texty;
      for (size_t i = 0; i < table.size(); ++i) {
        ColumnType t = table.column(i).type;
        if (t == ColumnType::kText || t == ColumnType::kBlob) texty.push_back(i);
      }
      size_t pc = texty.empty() || OneIn(20) ? c : *elementOf(texty);
      return Filter::Prefix(table.column(pc).name, GenPrefix(table.column(pc)));
    }
    default:
      return Filter::Eq(col.name, operand());
  }
}

std::vector<Filter> GenFilters(const TableSchema& table, int64_t max_id) {
  std::vector<Filter> filters;
  int n = *elementOf(std::vector<int>{0, 1, 1, 1, 2, 2, 3});
  for (int i = 0; i < n; ++i) filters.push_back(GenFilter(table, max_id));
  return filters;
}

std::vector<Order> GenOrder(const TableSchema& table) {
  std::vector<Order> order;
  // Often one indexed column alone, which the memory engine serves from the
  // index (ties must still come out by id ascending, in both directions).
  std::vector<std::string> indexed;
  for (const Column& c : table.columns()) {
    if (c.indexed || c.unique) indexed.push_back(c.name);
  }
  if (*inRange(0, 5) >= 3) {
    order.push_back({*elementOf(indexed), *arbitrary<bool>()});
    return order;
  }
  int n = *elementOf(std::vector<int>{0, 1, 1, 2, 3});
  for (int i = 0; i < n; ++i) {
    order.push_back({GenColumn(table), *arbitrary<bool>()});
  }
  return order;
}

Query GenQuery(const TableSchema& table, int64_t max_id) {
  Query q;
  q.where = GenFilters(table, max_id);
  q.order_by = GenOrder(table);
  if (*arbitrary<bool>()) q.limit = *inRange<int64_t>(OneIn(30) ? -1 : 0, 6);
  if (OneIn(3)) q.offset = *inRange<int64_t>(OneIn(30) ? -1 : 0, 4);
  return q;
}

Assignments GenInsert(const TableSchema& table, int64_t max_id) {
  Assignments a;
  if (OneIn(8)) a.push_back({"id", Value::Integer(GenId(max_id))});
  for (size_t c = 1; c < table.size(); ++c) {
    const Column& col = table.column(c);
    bool required = col.not_null && col.default_kind == DefaultKind::kNone;
    if (required ? !OneIn(15) : OneIn(2)) a.push_back({col.name, GenValue(col)});
  }
  return a;
}

Assignments GenUpdate(const TableSchema& table) {
  Assignments a;
  if (OneIn(40)) return a;  // an update of nothing: an error on both
  int n = *inRange(1, 4);
  for (int i = 0; i < n; ++i) {
    size_t c = *inRange<size_t>(1, table.size());
    bool dup = false;
    for (const auto& [name, v] : a) dup = dup || name == table.column(c).name;
    if (!dup || OneIn(10)) a.push_back({table.column(c).name, GenValue(table.column(c))});
  }
  return a;
}

std::string ShowAssignments(const Assignments& a) {
  return absl::StrCat(
      "{",
      absl::StrJoin(a, ", ",
                    [](std::string* out, const auto& kv) {
                      absl::StrAppend(out, kv.first, "=",
                                      kv.second.DebugString());
                    }),
      "}");
}

std::string ShowFilters(const std::vector<Filter>& f) {
  if (f.empty()) return "all";
  return absl::StrJoin(f, " AND ", [](std::string* out, const Filter& x) {
    out->append(x.DebugString());
  });
}

}  // namespace viewer::property
