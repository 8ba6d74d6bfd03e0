// Tests of the packed row format (engine/internal/row_format.h): every
// kind of value goes in and comes back out unchanged, NULLs are kept per
// column, texts of any length (with 1-, 2- and 4-byte ends), tables of 64
// columns; and the in-place key order agrees with CompareValues.
#include "engine/internal/row_format.h"

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/internal/key_ref.h"
#include "tests/printers.h"
#include "tests/testutil.h"

namespace viewer::internal {
namespace {

using T = ColumnType;

// A version of `row` in `format`, freed when the holder goes.
struct Packed {
  const RowFormat* format;
  Version* v;
  Packed(const RowFormat& f, const std::vector<Value>& row) : format(&f) {
    Cells cells;
    f.CellsOf(row, &cells);
    v = RowFormat::Allocate(f.SizeFor(cells));
    f.Encode(cells, v);
  }
  ~Packed() { format->Free(v); }
  Packed(const Packed&) = delete;
  Packed& operator=(const Packed&) = delete;
};

TableSchema EveryKind() {
  return TableSchema("t", {Column("i", T::kInteger), Column("s", T::kText),
                           Column("b", T::kBlob), Column("f", T::kBoolean),
                           Column("ts", T::kTimestamp),
                           Column("s2", T::kText).Indexed(),
                           Column("f2", T::kBoolean)});
}

TEST(RowFormat, EveryKindComesBackUnchanged) {
  const TableSchema schema = EveryKind();
  const RowFormat format(schema);
  const std::vector<Value> row = {
      Value::Integer(7),
      Value::Integer(-123456789012345),
      Value::Text("héllo"),
      Value::Blob(std::string("\x00\xff\x01", 3)),
      Value::Boolean(true),
      Value::Time(Timestamp{Timestamp::kMaxMicros}),
      Value::Text("indexed"),
      Value::Boolean(false)};
  Packed p(format, row);
  EXPECT_EQ(format.Decode(p.v), row);
  EXPECT_EQ(format.Id(p.v), 7);
  for (size_t c = 0; c < row.size(); ++c) {
    EXPECT_EQ(format.Get(p.v, c), row[c]) << "column " << c;
    EXPECT_FALSE(format.IsNull(p.v, c));
  }
  EXPECT_EQ(format.ContentSize(p.v), format.SizeFor([&] {
    Cells cells;
    format.CellsOf(row, &cells);
    return cells;
  }()));
  EXPECT_LE(format.ContentSize(p.v), RowFormat::Capacity(p.v));
}

TEST(RowFormat, ExtremesOfEachKind) {
  const TableSchema schema = EveryKind();
  const RowFormat format(schema);
  const std::vector<Value> row = {
      Value::Integer(int64_t{1} << 62),
      Value::Integer(std::numeric_limits<int64_t>::min()),
      Value::Text(""),
      Value::Blob(std::string()),
      Value::Boolean(false),
      Value::Time(Timestamp{0}),
      Value::Text(std::string(1, '\0')),
      Value::Boolean(true)};
  Packed p(format, row);
  EXPECT_EQ(format.Decode(p.v), row);
  // An empty text or blob is not NULL.
  EXPECT_FALSE(format.IsNull(p.v, 2));
  EXPECT_FALSE(format.Key(p.v, 3).is_null());
}

TEST(RowFormat, NullsAreKeptPerColumn) {
  const TableSchema schema = EveryKind();
  const RowFormat format(schema);
  const std::vector<Value> full = {
      Value::Integer(1),   Value::Integer(2),       Value::Text("s"),
      Value::Blob("b"),    Value::Boolean(true),    Value::Time(Timestamp{3}),
      Value::Text("s2"),   Value::Boolean(true)};
  // Every subset of the columns after id set to NULL.
  for (uint32_t mask = 0; mask < (1u << (full.size() - 1)); ++mask) {
    std::vector<Value> row = full;
    for (size_t c = 1; c < row.size(); ++c) {
      if (mask & (1u << (c - 1))) row[c] = Value::Null();
    }
    Packed p(format, row);
    ASSERT_EQ(format.Decode(p.v), row) << "mask " << mask;
    for (size_t c = 1; c < row.size(); ++c) {
      EXPECT_EQ(format.IsNull(p.v, c), row[c].is_null());
      EXPECT_EQ(format.Key(p.v, c).is_null(), row[c].is_null());
    }
  }
}

TEST(RowFormat, TextsOfEveryWidth) {
  const TableSchema schema("t", {Column("a", T::kText), Column("b", T::kText),
                                 Column("c", T::kText).Indexed()});
  const RowFormat format(schema);
  const std::string mega(1 << 20, 'm');
  for (size_t big : {size_t{0}, size_t{200}, size_t{300}, size_t{70000},
                     mega.size()}) {
    const std::vector<Value> row = {Value::Integer(1),
                                    Value::Text(mega.substr(0, big)),
                                    Value::Text(""), Value::Text("tail")};
    Packed p(format, row);
    ASSERT_EQ(format.Decode(p.v), row) << "text of " << big;
    EXPECT_EQ(format.Key(p.v, 1).bytes.size(), big);
    EXPECT_EQ(format.Key(p.v, 3).bytes, "tail");
    // Ends of 1, 2 or 4 bytes, and the texts themselves: nothing more.
    EXPECT_LT(format.ContentSize(p.v), big + 64);
  }
}

TEST(RowFormat, SixtyFourColumns) {
  std::vector<Column> columns;
  for (int c = 1; c < 64; ++c) {
    const ColumnType types[] = {T::kInteger, T::kText, T::kBlob, T::kBoolean,
                                T::kTimestamp};
    columns.push_back(Column(absl::StrCat("c", c), types[c % 5]));
  }
  const TableSchema schema("wide", columns);
  ASSERT_EQ(schema.size(), 64u);
  const RowFormat format(schema);
  std::vector<Value> row = {Value::Integer(64)};
  for (size_t c = 1; c < 64; ++c) {
    if (c % 7 == 0) {
      row.push_back(Value::Null());
      continue;
    }
    switch (schema.column(c).type) {
      case T::kInteger: row.push_back(Value::Integer(c * 1000)); break;
      case T::kText: row.push_back(Value::Text(std::string(c, 't'))); break;
      case T::kBlob: row.push_back(Value::Blob(std::string(c, 'b'))); break;
      case T::kBoolean: row.push_back(Value::Boolean(c % 2)); break;
      case T::kTimestamp: row.push_back(Value::Time(Timestamp{int64_t(c)})); break;
    }
  }
  Packed p(format, row);
  EXPECT_EQ(format.Decode(p.v), row);
}

TEST(RowFormat, BlobsAreSharedAndCopiesShareThem) {
  const TableSchema schema = EveryKind();
  const RowFormat format(schema);
  const Value blob = Value::Blob(std::string(1000, 'x'));
  const std::vector<Value> row = {Value::Integer(1), Value::Null(),
                                  Value::Null(),     blob,
                                  Value::Null(),     Value::Null(),
                                  Value::Null(),     Value::Null()};
  Packed p(format, row);
  EXPECT_EQ(format.Blob(p.v, 0), blob.blob_ref());  // the same bytes
  EXPECT_EQ(format.Get(p.v, 3).blob_ref(), blob.blob_ref());
  Version* copy = RowFormat::Allocate(format.ContentSize(p.v));
  format.CopyBody(p.v, copy);
  EXPECT_EQ(format.Decode(copy), row);
  EXPECT_EQ(format.Blob(copy, 0), blob.blob_ref());
  EXPECT_EQ(blob.blob_ref().use_count(), 4);  // blob, row[3], p, copy
  format.Free(copy);
  EXPECT_EQ(blob.blob_ref().use_count(), 3);
}

// A spread of values of every kind, with ties and prefixes.
std::vector<Value> Spread() {
  std::vector<Value> out = {Value::Null()};
  for (int64_t n : {std::numeric_limits<int64_t>::min(), int64_t{-1},
                    int64_t{0}, int64_t{1}, int64_t{255}, int64_t{256},
                    std::numeric_limits<int64_t>::max()}) {
    out.push_back(Value::Integer(n));
    out.push_back(Value::Time(Timestamp{n}));
  }
  out.push_back(Value::Boolean(false));
  out.push_back(Value::Boolean(true));
  for (const std::string& s : std::vector<std::string>{
           "", "a", "ab", std::string("ab\0", 3), "abcdefg",
                        "abcdefgh", "abcdefgh\x01", "abcdefghi", "abcdefgz",
                        "abd", "\xff", "\xff\xff\xff\xff\xff\xff\xff\xff\xff",
                        "srv-012345", "srv-012346", "srv-01234"}) {
    out.push_back(Value::Text(s));
    out.push_back(Value::Blob(s));
  }
  return out;
}

int Sign(int c) { return c < 0 ? -1 : (c > 0); }

TEST(KeyRef, OrdersAsCompareValues) {
  const std::vector<Value> values = Spread();
  for (const Value& a : values) {
    for (const Value& b : values) {
      EXPECT_EQ(CompareKeys(KeyRef::Of(a), KeyRef::Of(b)),
                Sign(CompareValues(a, b)))
          << a.DebugString() << " vs " << b.DebugString();
      if (CompareValues(a, b) == 0) {
        EXPECT_EQ(HashKey(KeyRef::Of(a)), HashKey(KeyRef::Of(b)));
      }
    }
  }
}

TEST(KeyHead, DecidesAsCompareValuesOrLeavesItOpen) {
  const std::vector<Value> values = Spread();
  int decided = 0;
  for (const Value& a : values) {
    for (const Value& b : values) {
      // One column holds one kind, and NULL.
      if (!a.is_null() && !b.is_null() && a.kind() != b.kind()) continue;
      const int c =
          CompareHeads(KeyHead::Of(KeyRef::Of(a)), KeyHead::Of(KeyRef::Of(b)));
      if (c == kUndecided) {
        // Only two keys longer than 8 bytes with the same first 8.
        EXPECT_GT(a.bytes().size(), 8u) << a.DebugString();
        EXPECT_EQ(a.bytes().substr(0, 8), b.bytes().substr(0, 8));
        continue;
      }
      ++decided;
      EXPECT_EQ(c, Sign(CompareValues(a, b)))
          << a.DebugString() << " vs " << b.DebugString();
    }
  }
  EXPECT_GT(decided, 500);
}

}  // namespace
}  // namespace viewer::internal
