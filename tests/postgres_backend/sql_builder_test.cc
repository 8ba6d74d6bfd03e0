// SQL building without a server: the text prefix bound, the statements'
// shape (no value in the text, bytewise text order, NULL placement, IN as
// one array), and the messages' helpers.
#include "postgres_backend/internal/sql_builder.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "engine/query.h"
#include "engine/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "postgres_backend/internal/connection.h"
#include "postgres_backend/internal/errors.h"
#include "postgres_backend/internal/value_codec.h"

namespace viewer::postgres_internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

TEST(TextPrefixUpperBound, IsTheNextCodePoint) {
  EXPECT_THAT(TextPrefixUpperBound("a"), Optional(std::string("b")));
  // The byte successor would be "a\x80", which is not UTF-8.
  EXPECT_THAT(TextPrefixUpperBound("a\x7f"),
              Optional(std::string("a\xc2\x80")));
  EXPECT_THAT(TextPrefixUpperBound("\xc3\xbf"),  // U+00FF
              Optional(std::string("\xc4\x80")));
  EXPECT_THAT(TextPrefixUpperBound("\xed\x9f\xbf"),  // U+D7FF, then surrogates
              Optional(std::string("\xee\x80\x80")));
  EXPECT_THAT(TextPrefixUpperBound("\xef\xbf\xbf"),  // U+FFFF
              Optional(std::string("\xf0\x90\x80\x80")));
  EXPECT_THAT(TextPrefixUpperBound("x\xf4\x8f\xbf\xbf"),  // U+10FFFF
              Optional(std::string("y")));
  EXPECT_EQ(TextPrefixUpperBound("\xf4\x8f\xbf\xbf\xf4\x8f\xbf\xbf"),
            std::nullopt);
  EXPECT_EQ(TextPrefixUpperBound(""), std::nullopt);
}

// Over every string of up to three characters from an alphabet of edge
// code points: a string starts with p exactly when p <= s < bound
// bytewise, and the bound is storable text.
TEST(TextPrefixUpperBound, BoundsExactlyTheStringsWithThePrefix) {
  const std::vector<std::string> alphabet = {"\x01",
                                             "a",
                                             "\x7f",
                                             "\xc2\x80",
                                             "\xc3\xbf",
                                             "\xed\x9f\xbf",
                                             "\xee\x80\x80",
                                             "\xef\xbf\xbf",
                                             "\xf0\x90\x80\x80",
                                             "\xf4\x8f\xbf\xbf"};
  std::vector<std::string> strings = {""};
  size_t from = 0;
  for (int len = 1; len <= 3; ++len) {
    const size_t to = strings.size();
    for (size_t i = from; i < to; ++i) {
      for (const std::string& c : alphabet) strings.push_back(strings[i] + c);
    }
    from = to;
  }
  int checked = 0;
  for (const std::string& p : strings) {
    std::optional<std::string> hi = TextPrefixUpperBound(p);
    if (hi) {
      EXPECT_TRUE(IsStorableText(*hi)) << p;
    }
    for (const std::string& s : strings) {
      const bool in_range = s >= p && (!hi || s < *hi);
      ASSERT_EQ(absl::StartsWith(s, p), in_range) << "p=" << p << " s=" << s;
      ++checked;
    }
  }
  EXPECT_GT(checked, 1'000'000);
}

TEST(SqlBuilder, SelectKeepsValuesOutOfTheText) {
  TableSchema t("thing", {Column("name", ColumnType::kText),
                          Column("data", ColumnType::kBlob),
                          Column("n", ColumnType::kInteger)});
  BoundQuery q;
  q.where = {
      BoundFilter{1, Op::kGe, Value::Text("O'Brien"), {}},
      BoundFilter{1, Op::kPrefix, Value::Text("ab"), {}},
      BoundFilter{2, Op::kPrefix, Value::Blob("\xff"), {}},
      BoundFilter{
          3, Op::kIn, {}, {Value::Integer(1), Value(), Value::Integer(3)}},
      BoundFilter{1, Op::kEq, Value::Text("x"), {}}};
  q.order_by = {{1, true}, {3, false}};
  q.limit = 5;
  Sql sql = SelectSql(t, q);
  EXPECT_EQ(sql.text,
            "SELECT \"id\", \"name\", \"data\", \"n\" FROM \"thing\" WHERE"
            " \"name\" COLLATE \"C\" >= $1 AND \"name\" COLLATE \"C\" >= $2"
            " AND \"name\" COLLATE \"C\" < $3 AND \"data\" >= $4 AND"
            " \"n\" = ANY($5) AND \"name\" = $6 ORDER BY \"name\" COLLATE"
            " \"C\" DESC NULLS LAST, \"n\" ASC NULLS FIRST, \"id\" ASC"
            " LIMIT $7 OFFSET $8");
  EXPECT_THAT(sql.types, ElementsAre(kTextOid, kTextOid, kTextOid, kByteaOid,
                                     ArrayType(ColumnType::kInteger), kTextOid,
                                     kInt8Oid, kInt8Oid));
  EXPECT_EQ(sql.params[2], Value::Text("ac"));
  EXPECT_EQ(sql.params.size(), 8u);
}

TEST(SqlBuilder, InsertPicksMaxIdPlusOneUnlessGivenOne) {
  TableSchema t("thing", {Column("name", ColumnType::kText)});
  Sql sql = InsertSql(t, {Value(), Value::Text("a")});
  EXPECT_EQ(sql.text,
            "INSERT INTO \"thing\" (\"id\", \"name\") VALUES (COALESCE($1,"
            " (SELECT COALESCE(MAX(\"id\"), 0) + 1 FROM \"thing\")), $2)"
            " RETURNING \"id\"");
}

TEST(Messages, OneLine) {
  EXPECT_EQ(OneLine("connection to server failed: FATAL:  no\nDETAIL:  x\n"),
            "connection to server failed: FATAL: no; DETAIL:  x");
}

TEST(Messages, RedactPassword) {
  EXPECT_EQ(RedactPassword("postgresql://u:p%40ss@h/db?password=two&x=1"),
            "postgresql://u:***@h/db?password=***&x=1");
  EXPECT_EQ(RedactPassword("host=h password='s e c' user=u"),
            "host=h password='***' user=u");
  EXPECT_EQ(RedactPassword("postgresql://u@h/db"), "postgresql://u@h/db");
}

TEST(Messages, ConnectionLostIsUnavailable) {
  absl::Status s = ConnectionLost("server closed the connection\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(s.message(),
            "lost the connection to PostgreSQL: server closed the connection");
}

}  // namespace
}  // namespace viewer::postgres_internal
