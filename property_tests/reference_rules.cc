#include "property_tests/reference_rules.h"

#include <algorithm>
#include <limits>

#include "engine/store.h"

namespace viewer::property {
namespace {

template <typename T>
int Order3(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Bytes as unsigned characters: 0xFF sorts after 'z'.
int CompareBytes(absl::string_view a, absl::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return Order3(a.size(), b.size());
}

absl::string_view BytesOf(const Value& v) {
  return v.kind() == ValueKind::kText ? absl::string_view(v.text())
                                      : absl::string_view(v.blob());
}

// The first UNIQUE column (schema order) where `row` holds a non-NULL value
// that a row of `table` other than `self` holds too; 0 when none does.
size_t UniqueClash(const TableSchema& schema, const Table& table,
                   const std::vector<Value>& row, int64_t self) {
  for (size_t c = 1; c < schema.size(); ++c) {
    if (!schema.column(c).unique || row[c].is_null()) continue;
    for (const auto& [id, other] : table) {
      if (id != self && !other[c].is_null() &&
          CompareColumnValues(other[c], row[c]) == 0) {
        return c;
      }
    }
  }
  return 0;
}

bool MatchesAllFilters(const std::vector<BoundFilter>& where,
                       const std::vector<Value>& row) {
  for (const BoundFilter& f : where) {
    if (!Satisfies(f, row[f.column])) return false;
  }
  return true;
}

}  // namespace

int CompareColumnValues(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return Order3(!a.is_null(), !b.is_null());
  if (a.kind() != b.kind()) {
    // One column holds one kind; a filter operand is checked to be of the
    // column's kind before it gets here.
    return Order3(static_cast<int>(a.kind()), static_cast<int>(b.kind()));
  }
  switch (a.kind()) {
    case ValueKind::kInteger:
      return Order3(a.integer(), b.integer());
    case ValueKind::kText:
    case ValueKind::kBlob:
      return CompareBytes(BytesOf(a), BytesOf(b));
    case ValueKind::kBoolean:
      return Order3(a.boolean(), b.boolean());
    case ValueKind::kTimestamp:
      return Order3(a.timestamp().micros, b.timestamp().micros);
    case ValueKind::kNull:
      break;
  }
  return 0;
}

bool Satisfies(const BoundFilter& f, const Value& v) {
  switch (f.op) {
    case Op::kIsNull:
      return v.is_null();
    case Op::kIsNotNull:
      return !v.is_null();
    case Op::kIn:
      return !v.is_null() &&
             std::any_of(f.values.begin(), f.values.end(), [&](const Value& x) {
               return !x.is_null() && CompareColumnValues(v, x) == 0;
             });
    case Op::kPrefix: {
      if (v.is_null() || f.value.is_null()) return false;
      const absl::string_view bytes = BytesOf(v);
      const absl::string_view prefix = BytesOf(f.value);
      return bytes.substr(0, prefix.size()) == prefix;
    }
    default:
      break;
  }
  if (v.is_null() || f.value.is_null()) return false;
  const int c = CompareColumnValues(v, f.value);
  switch (f.op) {
    case Op::kEq:
      return c == 0;
    case Op::kNe:
      return c != 0;
    case Op::kLt:
      return c < 0;
    case Op::kLe:
      return c <= 0;
    case Op::kGt:
      return c > 0;
    case Op::kGe:
      return c >= 0;
    default:
      return false;
  }
}

std::vector<const std::vector<Value>*> MatchingRows(
    const Table& table, const std::vector<BoundFilter>& where) {
  std::vector<const std::vector<Value>*> out;
  for (const auto& [id, row] : table) {
    if (MatchesAllFilters(where, row)) out.push_back(&row);
  }
  return out;
}

absl::StatusOr<int64_t> InsertRow(const TableSchema& schema, Table& table,
                                  std::vector<Value> row) {
  int64_t id;
  if (row[0].is_null()) {
    id = table.empty() ? 1 : table.rbegin()->first + 1;
    row[0] = Value::Integer(id);
  } else {
    id = row[0].integer();
    if (table.count(id) != 0) return UniqueViolation(schema, 0);
  }
  if (size_t c = UniqueClash(schema, table, row, id); c != 0) {
    return UniqueViolation(schema, c);
  }
  table.emplace(id, std::move(row));
  return id;
}

absl::Status UpdateRow(const TableSchema& schema, Table& table, int64_t id,
                       const std::vector<std::pair<size_t, Value>>& set) {
  auto it = table.find(id);
  if (it == table.end()) return RowNotFound(schema, id);
  std::vector<Value> row = it->second;
  for (const auto& [column, value] : set) row[column] = value;
  if (size_t c = UniqueClash(schema, table, row, id); c != 0) {
    return UniqueViolation(schema, c);
  }
  it->second = std::move(row);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> UpdateMatching(
    const TableSchema& schema, Table& table,
    const std::vector<BoundFilter>& where,
    const std::vector<std::pair<size_t, Value>>& set) {
  std::vector<int64_t> ids;
  for (const std::vector<Value>* row : MatchingRows(table, where)) {
    ids.push_back((*row)[0].integer());
  }
  Table after = table;
  for (int64_t id : ids) {
    absl::Status s = UpdateRow(schema, after, id, set);
    if (!s.ok()) return s;
  }
  table = std::move(after);
  return static_cast<int64_t>(ids.size());
}

std::vector<Row> SelectRows(const Table& table, const BoundQuery& query) {
  std::vector<const std::vector<Value>*> rows =
      MatchingRows(table, query.where);
  auto before = [&](const std::vector<Value>* a, const std::vector<Value>* b) {
    for (const BoundOrder& o : query.order_by) {
      const int c = CompareColumnValues((*a)[o.column], (*b)[o.column]);
      if (c != 0) return o.descending ? c > 0 : c < 0;
    }
    return (*a)[0].integer() < (*b)[0].integer();
  };
  std::sort(rows.begin(), rows.end(), before);
  std::vector<Row> out;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t end =
      query.limit ? query.offset + std::min(*query.limit, kMax - query.offset)
                  : kMax;
  for (int64_t i = query.offset;
       i < end && i < static_cast<int64_t>(rows.size()); ++i) {
    out.push_back(Row{*rows[i]});
  }
  return out;
}

int64_t CountDistinctValues(const Table& table, size_t column,
                            const std::vector<BoundFilter>& where) {
  std::vector<Value> seen;
  for (const std::vector<Value>* row : MatchingRows(table, where)) {
    const Value& v = (*row)[column];
    if (v.is_null()) continue;
    if (std::none_of(seen.begin(), seen.end(), [&](const Value& s) {
          return CompareColumnValues(s, v) == 0;
        })) {
      seen.push_back(v);
    }
  }
  return static_cast<int64_t>(seen.size());
}

absl::StatusOr<Value> SumValues(const Table& table, size_t column,
                                const std::vector<BoundFilter>& where) {
  __int128 sum = 0;
  bool any = false;
  for (const std::vector<Value>* row : MatchingRows(table, where)) {
    const Value& v = (*row)[column];
    if (v.is_null()) continue;
    any = true;
    sum += v.integer();
  }
  if (!any) return Value::Null();
  if (sum > std::numeric_limits<int64_t>::max() ||
      sum < std::numeric_limits<int64_t>::min()) {
    return IntegerOverflow();
  }
  return Value::Integer(static_cast<int64_t>(sum));
}

bool SumDependsOnOrder(const std::vector<int64_t>& values) {
  __int128 positives = 0, negatives = 0;
  for (int64_t v : values) (v > 0 ? positives : negatives) += v;
  constexpr __int128 kMax = std::numeric_limits<int64_t>::max();
  constexpr __int128 kMin = std::numeric_limits<int64_t>::min();
  const __int128 total = positives + negatives;
  return total <= kMax && total >= kMin &&
         (positives > kMax || negatives < kMin);
}

std::vector<GroupCount> CountGroups(const Table& table, size_t column,
                                    const std::vector<BoundFilter>& where) {
  std::vector<GroupCount> groups;
  for (const std::vector<Value>* row : MatchingRows(table, where)) {
    const Value& v = (*row)[column];
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
      return CompareColumnValues(g.key, v) == 0;
    });
    if (it == groups.end()) {
      groups.push_back(GroupCount{v, 1});
    } else {
      ++it->count;
    }
  }
  std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
    return CompareColumnValues(a.key, b.key) < 0;
  });
  return groups;
}

}  // namespace viewer::property
