// SQL text built from schemas and bound queries: values only as parameters,
// prefix as a byte range, the id tie-breaker, the original DDL layout.
#include "sqlite_backend/internal/sql_builder.h"

#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/sqlite_backend/test_catalog.h"

namespace viewer::sqlite_internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class SqlBuilderTest : public ::testing::Test {
 protected:
  const Catalog catalog_ = viewer::testing::TestCatalog();
  const TableSchema& server_ = *catalog_.Find("server");
  const TableSchema& cid_ = *catalog_.Find("cid");
  const TableSchema& tag_ = *catalog_.Find("tag");
};

TEST_F(SqlBuilderTest, CreateTableFollowsTheOriginalLayout) {
  const std::string sql = CreateTableSql(server_);
  EXPECT_THAT(sql, HasSubstr("\"id\" INTEGER NOT NULL PRIMARY KEY"));
  EXPECT_THAT(sql, HasSubstr("\"name\" VARCHAR NOT NULL,"));
  EXPECT_THAT(sql, HasSubstr("\"definition_cid\" VARCHAR,"));
  EXPECT_THAT(sql, HasSubstr("\"created_at\" DATETIME,"));
  EXPECT_THAT(sql, HasSubstr("\"enabled\" BOOLEAN NOT NULL"));
  EXPECT_THAT(sql, Not(HasSubstr("DEFAULT")));
  EXPECT_THAT(sql, Not(HasSubstr("AUTOINCREMENT")));
  // name is unique *and* indexed: the unique index carries it, not a
  // second inline constraint.
  EXPECT_THAT(sql, Not(HasSubstr("UNIQUE")));
  EXPECT_THAT(CreateTableSql(tag_), HasSubstr("\"label\" VARCHAR UNIQUE"));
  EXPECT_THAT(CreateTableSql(cid_), HasSubstr("\"file_data\" BLOB NOT NULL"));
}

TEST_F(SqlBuilderTest, IndexesAreNamedAsSqlAlchemyNamesThem) {
  EXPECT_THAT(
      CreateIndexSql(server_),
      ElementsAre("CREATE UNIQUE INDEX IF NOT EXISTS \"ix_server_name\" ON "
                  "\"server\" (\"name\")",
                  "CREATE INDEX IF NOT EXISTS \"ix_server_definition_cid\" ON "
                  "\"server\" (\"definition_cid\")"));
  EXPECT_THAT(CreateIndexSql(tag_), ElementsAre());
}

TEST_F(SqlBuilderTest, ValuesAreNeverInTheText) {
  const std::string evil = "x' OR 1=1; DROP TABLE server; --";
  BoundQuery q;
  q.where = {BoundFilter{1, Op::kEq, Value::Text(evil), {}},
             BoundFilter{2, Op::kPrefix, Value::Text(evil), {}},
             BoundFilter{3, Op::kIn, {}, {Value::Text(evil)}}};
  Sql sql = SelectSql(server_, q);
  EXPECT_THAT(sql.text, Not(HasSubstr("OR 1=1")));
  EXPECT_EQ(sql.params.size(), 4u);  // =, prefix lo and hi, one IN value
}

TEST_F(SqlBuilderTest, PrefixIsARangeNeverLikeOrGlob) {
  BoundQuery q;
  q.where = {BoundFilter{1, Op::kPrefix, Value::Text("a_%"), {}}};
  Sql sql = SelectSql(server_, q);
  EXPECT_THAT(sql.text, HasSubstr("\"name\" >= ? AND \"name\" < ?"));
  EXPECT_THAT(sql.text, Not(HasSubstr("LIKE")));
  EXPECT_THAT(sql.text, Not(HasSubstr("GLOB")));
  EXPECT_THAT(sql.params, ElementsAre(Value::Text("a_%"), Value::Text("a_&")));

  // Blob columns get blob bounds; an all-0xFF prefix has no upper bound.
  q.where = {BoundFilter{2, Op::kPrefix, Value::Blob("\xff"), {}}};
  sql = SelectSql(cid_, q);
  EXPECT_THAT(sql.text, HasSubstr("\"file_data\" >= ? ORDER BY"));
  EXPECT_THAT(sql.params, ElementsAre(Value::Blob("\xff")));
}

TEST_F(SqlBuilderTest, InDropsNullsAndEmptyMatchesNothing) {
  BoundQuery q;
  q.where = {BoundFilter{1, Op::kIn, {}, {Value::Null(), Value::Text("a")}}};
  Sql sql = SelectSql(server_, q);
  EXPECT_THAT(sql.text, HasSubstr("\"name\" IN (?)"));
  EXPECT_THAT(sql.params, ElementsAre(Value::Text("a")));

  q.where = {BoundFilter{1, Op::kIn, {}, {Value::Null()}}};
  sql = SelectSql(server_, q);
  EXPECT_THAT(sql.text, HasSubstr(" WHERE 0 ORDER BY"));
  EXPECT_TRUE(sql.params.empty());
}

TEST_F(SqlBuilderTest, OrderEndsWithIdAndOffsetAloneUsesLimitMinusOne) {
  BoundQuery q;
  q.order_by = {{4, true}};
  q.offset = 3;
  Sql sql = SelectSql(server_, q);
  EXPECT_TRUE(absl::EndsWith(
      sql.text, "ORDER BY \"created_at\" DESC, \"id\" ASC LIMIT ? OFFSET ?"))
      << sql.text;
  EXPECT_THAT(sql.params, ElementsAre(Value::Integer(-1), Value::Integer(3)));

  q = BoundQuery();
  sql = SelectSql(server_, q);
  EXPECT_TRUE(absl::EndsWith(sql.text, "ORDER BY \"id\" ASC")) << sql.text;
}

}  // namespace
}  // namespace viewer::sqlite_internal
