// The data of the column sweep (sweep_equivalence_test.cc): for every
// column of every application table, a fixed set of rows whose values in
// that column repeat, differ in case and in bytes that break naive code
// ('_', '%', control and non-ASCII characters up to U+10FFFF; 0x00 and
// 0xFF as operands, which no backend stores), include NULL where the
// column allows it and the extremes of its type; and the operands to
// filter, order and write that column with: every value the rows hold,
// values between and beyond them, and NULL.
//
//   for (const Assignments& row : SweepRows(schema)) txn.Insert(name, row);
//   for (const Value& v : SweepOperands(schema.column(c))) ...
#ifndef VIEWER_TESTS_STORAGE_SWEEP_DATA_H_
#define VIEWER_TESTS_STORAGE_SWEEP_DATA_H_

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "engine/query.h"
#include "engine/schema.h"
#include "engine/value.h"

namespace viewer::testing {

inline constexpr int kSweepRows = 12;

// Distinct texts (a UNIQUE column takes row i's from here) that sort in an
// order a locale or a case-folding comparison would get wrong. Every one is
// storable (UTF-8 without NUL, engine/store.h); bytes no backend may store
// are operands only (SweepOperands).
inline std::vector<std::string> SweepTexts() {
  return {"a",
          "A",
          "ab",
          "a_b",
          "a%",
          "",
          "\xc3\xa9",
          "\xc3\x89",
          "\xef\xbf\xbf",      // U+FFFF
          "\xf4\x8f\xbf\xbf",  // U+10FFFF, the highest code point
          "a\x01b",
          "B",
          "zz",
          "a b"};
}

inline std::vector<std::string> SweepBlobs() {
  return {"",
          std::string("\0", 1),
          std::string("\0\1", 2),
          "\xff",
          "a",
          "A",
          std::string(2000, 'x'),
          "ab",
          std::string("\xff\0", 2),
          "b",
          "\x01",
          "zz"};
}

inline std::vector<int64_t> SweepIntegers() {
  return {-3, 0,
          1,  1,
          5,  std::numeric_limits<int64_t>::max(),
          42, -1,
          7,  std::numeric_limits<int64_t>::min(),
          1,  5};
}

inline Timestamp SweepTime(int64_t quarter_seconds) {
  return Timestamp{1'700'000'000'000'000 + quarter_seconds * 250'000};
}

// The value of `column` in row `i` (0-based): repeating unless the column
// is UNIQUE, NULL in every fourth row unless it is NOT NULL.
inline Value SweepValue(const Column& column, int i) {
  if (!column.not_null && !column.unique && i % 4 == 3) return Value::Null();
  if (!column.not_null && column.unique && i == 3) return Value::Null();
  const int k = column.unique ? i : (i * 7) % 5 + (i % 3);
  switch (column.type) {
    case ColumnType::kInteger:
      return Value::Integer(SweepIntegers()[k % SweepIntegers().size()]);
    case ColumnType::kText:
      return Value::Text(SweepTexts()[k % SweepTexts().size()]);
    case ColumnType::kBlob:
      return Value::Blob(SweepBlobs()[k % SweepBlobs().size()]);
    case ColumnType::kBoolean:
      return Value::Boolean(k % 2 == 0);
    case ColumnType::kTimestamp:
      if (k == 6) return Value::Time(Timestamp{0});
      return Value::Time(SweepTime(k % 4));
  }
  return Value::Null();
}

// The rows of the sweep for `table`: ids 1, 2, 3, 5, 8, ... (with gaps),
// every column given.
inline std::vector<Assignments> SweepRows(const TableSchema& table) {
  std::vector<Assignments> rows;
  int64_t id = 0, step = 1;
  for (int i = 0; i < kSweepRows; ++i) {
    id += step;
    step = i < 2 ? 1 : step + 1;
    Assignments row = {{"id", Value::Integer(id)}};
    for (size_t c = 1; c < table.size(); ++c) {
      row.emplace_back(table.column(c).name, SweepValue(table.column(c), i));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Operands for `column`: every value the sweep rows hold, values that lie
// between or beyond them, and NULL. For "id", the ids and their gaps.
inline std::vector<Value> SweepOperands(const TableSchema& table, size_t c) {
  const Column& column = table.column(c);
  std::vector<Value> out;
  auto add = [&](Value v) {
    for (const Value& x : out) {
      if (x == v) return;
    }
    out.push_back(std::move(v));
  };
  if (c == 0) {
    for (int64_t id : {0, 1, 2, 3, 4, 5, 8, 9, 30, 100})
      add(Value::Integer(id));
    return out;
  }
  for (int i = 0; i < kSweepRows; ++i) add(SweepValue(column, i));
  switch (column.type) {
    case ColumnType::kInteger:
      for (int64_t v : {int64_t{2}, int64_t{-100}, int64_t{1} << 40}) {
        add(Value::Integer(v));
      }
      break;
    case ColumnType::kText:
      for (const char* v :
           {"aa", "a_", "Ab", "\x01", "\xc3", "zzz", "\xff"}) {
        add(Value::Text(v));
      }
      add(Value::Text(std::string("a\0b", 3)));
      break;
    case ColumnType::kBlob:
      for (const char* v : {"aa", "\x01\x02", "\xfe"}) add(Value::Blob(v));
      break;
    case ColumnType::kBoolean:
      add(Value::Boolean(true));
      add(Value::Boolean(false));
      break;
    case ColumnType::kTimestamp:
      add(Value::Time(SweepTime(-1)));
      add(Value::Time(Timestamp{SweepTime(1).micros + 1}));
      add(Value::Time(Timestamp{Timestamp::kMaxMicros}));
      break;
  }
  add(Value::Null());
  return out;
}

// Prefixes for a TEXT or BLOB column: empty, the first byte and the first
// two bytes of each value, each whole value, and a few that match nothing
// or differ only in case.
inline std::vector<Value> SweepPrefixes(const TableSchema& table, size_t c) {
  std::vector<Value> out;
  const bool blob = table.column(c).type == ColumnType::kBlob;
  auto add = [&](std::string bytes) {
    Value v =
        blob ? Value::Blob(std::move(bytes)) : Value::Text(std::move(bytes));
    for (const Value& x : out) {
      if (x == v) return;
    }
    out.push_back(std::move(v));
  };
  add("");
  for (const Value& v : SweepOperands(table, c)) {
    if (v.is_null()) continue;
    const std::string bytes(v.bytes());
    add(bytes.substr(0, 1));
    add(bytes.substr(0, 2));
    add(bytes);
  }
  for (const char* p : {"A", "a", "\xff", "_", "%", "q"}) add(p);
  return out;
}

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_STORAGE_SWEEP_DATA_H_
