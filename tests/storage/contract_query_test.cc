// Contract tests on every backend: ordering, filters, limit and offset,
// aggregates.
#include "tests/storage/contract_fixture.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class Ordering : public ContractTest {};

TEST_P(Ordering, TextIsBytewise) {
  for (const char* n : {"b", "B", "a", "A", "_", "é", "Z", "aa", "\x7f"}) {
    AddThing(n);
  }
  AddThing("\xf4\x8f\xbf\xbf");  // U+10FFFF, the highest code point
  EXPECT_THAT(Names({.order_by = {{"name"}}}),
              ElementsAre("A", "B", "Z", "_", "a", "aa", "b", "\x7f", "é",
                          "\xf4\x8f\xbf\xbf"));
}

TEST_P(Ordering, NullsFirstAscendingLastDescending) {
  AddThing("n1");
  AddThing("t2", {{"tag", T("m")}});
  AddThing("n3");
  AddThing("t4", {{"tag", T("a")}});
  EXPECT_THAT(Names({.order_by = {{"tag"}}}),
              ElementsAre("n1", "n3", "t4", "t2"));
  EXPECT_THAT(Names({.order_by = {{"tag", true}}}),
              ElementsAre("t2", "t4", "n1", "n3"));
  // Also without an index on the column.
  EXPECT_THAT(Names({.order_by = {{"note", true}, {"name", true}}}),
              ElementsAre("t4", "t2", "n3", "n1"));
}

TEST_P(Ordering, IdIsTheFinalTieBreaker) {
  AddThing("c", {{"score", I(1)}});
  AddThing("a", {{"score", I(1)}});
  AddThing("b", {{"score", I(0)}});
  AddThing("d", {{"score", I(1)}});
  EXPECT_THAT(Names({.order_by = {{"score"}}}), ElementsAre("b", "c", "a", "d"));
  EXPECT_THAT(Names({.order_by = {{"score", true}}}),
              ElementsAre("c", "a", "d", "b"));
  EXPECT_THAT(Names({.order_by = {{"flag"}}}), ElementsAre("c", "a", "b", "d"));
  EXPECT_THAT(Names({.order_by = {{"id", true}}}),
              ElementsAre("d", "b", "a", "c"));
}

TEST_P(Ordering, SeveralColumns) {
  AddThing("a", {{"tag", T("x")}, {"count", I(2)}});
  AddThing("b", {{"tag", T("y")}, {"count", I(1)}});
  AddThing("c", {{"tag", T("x")}, {"count", I(3)}});
  AddThing("d", {{"tag", T("y")}, {"count", I(1)}});
  EXPECT_THAT(Names({.order_by = {{"tag", true}, {"count"}}}),
              ElementsAre("b", "d", "a", "c"));
  EXPECT_THAT(Names({.order_by = {{"count"}, {"tag", true}}}),
              ElementsAre("b", "d", "a", "c"));
}

TEST_P(Ordering, BlobsBooleansAndTimestamps) {
  AddThing("a", {{"data", B(std::string("\x01\x00", 2))}});
  h_.clock().Advance(absl::Microseconds(1));
  AddThing("b", {{"data", B("\x01")}, {"flag", Value::Boolean(false)}});
  h_.clock().Advance(absl::Microseconds(1));
  AddThing("c", {{"data", B("\xff")}});
  AddThing("d", {{"data", B("")}});
  EXPECT_THAT(Names({.order_by = {{"data"}}}), ElementsAre("d", "b", "a", "c"));
  EXPECT_THAT(Names({.order_by = {{"flag"}, {"name", true}}}),
              ElementsAre("b", "d", "c", "a"));
  EXPECT_THAT(Names({.order_by = {{"at", true}}}),
              ElementsAre("c", "d", "b", "a"));
}

class Filters : public ContractTest {
 protected:
  void SetUp() override {
    AddThing("a", {{"score", I(1)}, {"count", I(10)}, {"tag", T("x")}});
    AddThing("b", {{"score", I(2)}, {"tag", T("y")}});
    AddThing("c", {{"score", I(3)}, {"count", I(30)}});
    AddThing("d", {{"count", I(40)}, {"tag", T("x")}});
  }
};

TEST_P(Filters, EachComparison) {
  // Indexed (score) and unindexed (count) columns must agree.
  for (const char* col : {"score", "count"}) {
    const int64_t k = std::string(col) == "score" ? 2 : 30;
    SCOPED_TRACE(col);
    EXPECT_THAT(Names({{Filter::Eq(col, I(k))}}),
                ElementsAre(std::string(col) == "score" ? "b" : "c"));
    EXPECT_EQ(Names({{Filter::Ne(col, I(k))}}).size(), 2u);
    EXPECT_EQ(Names({{Filter::Lt(col, I(k))}}).size(), 1u);
    EXPECT_EQ(Names({{Filter::Le(col, I(k))}}).size(), 2u);
    EXPECT_EQ(Names({{Filter::Gt(col, I(k))}}).size(), 1u);
    EXPECT_EQ(Names({{Filter::Ge(col, I(k))}}).size(), 2u);
  }
  EXPECT_THAT(Names({{Filter::Gt("score", I(1)), Filter::Le("score", I(3))}}),
              ElementsAre("b", "c"));
  EXPECT_THAT(Names({{Filter::Gt("id", I(1)), Filter::Lt("id", I(4))}}),
              ElementsAre("b", "c"));
  EXPECT_THAT(Names({{Filter::Gt("id", I(3)), Filter::Lt("id", I(2))}}),
              IsEmpty());
  EXPECT_THAT(Names({{Filter::Ge("name", T("b")), Filter::Lt("name", T("d"))}}),
              ElementsAre("b", "c"));
}

// Found by property_tests: a range on id whose lower bound lies past every
// row, with an upper bound inside the table, read past the end of the
// memory engine's primary map.
TEST_P(Filters, RegressionIdRangeStartingPastTheLastRow) {
  EXPECT_THAT(Names({{Filter::Gt("id", I(100)), Filter::Lt("id", I(2))}}),
              IsEmpty());
  EXPECT_THAT(Names({.where = {Filter::Ge("id", I(5)), Filter::Le("id", I(1))},
                     .order_by = {{"id", true}}}),
              IsEmpty());
  EXPECT_THAT(Names({{Filter::Gt("id", I(4))}}), IsEmpty());
  EXPECT_THAT(Names({{Filter::Ge("id", I(4)), Filter::Le("id", I(4))}}),
              ElementsAre("d"));
}

TEST_P(Filters, NullNeverCompares) {
  EXPECT_THAT(Names({{Filter::Eq("tag", Value::Null())}}), IsEmpty());
  EXPECT_THAT(Names({{Filter::Ne("tag", Value::Null())}}), IsEmpty());
  EXPECT_THAT(Names({{Filter::Ne("tag", T("x"))}}), ElementsAre("b"));
  EXPECT_THAT(Names({{Filter::Lt("count", I(100))}}),
              ElementsAre("a", "c", "d"));
  EXPECT_THAT(Names({{Filter::IsNull("tag")}}), ElementsAre("c"));
  EXPECT_THAT(Names({{Filter::IsNotNull("count")}}), ElementsAre("a", "c", "d"));
  EXPECT_THAT(Names({{Filter::IsNull("score"), Filter::Eq("tag", T("x"))}}),
              ElementsAre("d"));
}

TEST_P(Filters, In) {
  EXPECT_THAT(Names({{Filter::In("score", {I(3), I(1), I(3)})}}),
              ElementsAre("a", "c"));
  EXPECT_THAT(Names({{Filter::In("count", {I(40), Value::Null()})}}),
              ElementsAre("d"));
  EXPECT_THAT(Names({{Filter::In("tag", {})}}), IsEmpty());
  EXPECT_THAT(Names({{Filter::In("id", {I(4), I(2), I(99)})}}),
              ElementsAre("b", "d"));
  EXPECT_THAT(Names({.where = {Filter::In("name", {T("d"), T("a")})},
                     .order_by = {{"name", true}}}),
              ElementsAre("d", "a"));
}

class Prefix : public ContractTest {};

TEST_P(Prefix, CaseSensitiveAndLiteral) {
  for (const char* n : {"ab_c", "abXc", "ab%c", "AB_c", "ab_", "abc", "ab"}) {
    AddThing(n, {{"note", T(n)}});
  }
  for (const char* col : {"name", "note"}) {  // indexed and not
    SCOPED_TRACE(col);
    Query q{.where = {Filter::Prefix(col, T("ab_"))}, .order_by = {{"name"}}};
    EXPECT_THAT(Names(q), ElementsAre("ab_", "ab_c"));
    q.where = {Filter::Prefix(col, T("ab%"))};
    EXPECT_THAT(Names(q), ElementsAre("ab%c"));
    q.where = {Filter::Prefix(col, T("AB"))};
    EXPECT_THAT(Names(q), ElementsAre("AB_c"));
    q.where = {Filter::Prefix(col, T("ab"))};
    EXPECT_EQ(Names(q).size(), 6u);
    q.where = {Filter::Prefix(col, T(""))};
    EXPECT_EQ(Names(q).size(), 7u);
  }
}

TEST_P(Prefix, HighBytesAndBlobs) {
  // Text is UTF-8, so its highest bytes are those of U+10FFFF.
  const std::string top = "\xf4\x8f\xbf\xbf";
  AddThing(top + top + "a", {{"data", B("\xff\xff")}});
  AddThing(top + top, {{"data", B(std::string("\xff\x00", 2))}});
  AddThing(top + "a", {{"data", B("\xfe")}});
  AddThing("x", {{"data", B("")}});
  Query q{.where = {Filter::Prefix("name", T(top + top))},
          .order_by = {{"name"}}};
  EXPECT_THAT(Names(q), ElementsAre(top + top, top + top + "a"));
  q.where = {Filter::Prefix("data", B("\xff"))};
  EXPECT_EQ(Names(q).size(), 2u);
  q.where = {Filter::Prefix("data", B(""))};
  EXPECT_EQ(Names(q).size(), 4u);
  auto txn = h_.Read();
  EXPECT_THAT(txn->Select("thing", {{Filter::Prefix("score", I(1))}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "PREFIX needs a TEXT or BLOB column: thing.score"));
  EXPECT_THAT(Names({{Filter::Prefix("note", Value::Null())}}), IsEmpty());
}

class LimitOffset : public ContractTest {};

TEST_P(LimitOffset, Pages) {
  for (const char* n : {"e", "d", "c", "b", "a"}) AddThing(n);
  EXPECT_THAT(Names({.order_by = {{"name"}}, .limit = 2}),
              ElementsAre("a", "b"));
  EXPECT_THAT(Names({.order_by = {{"name"}}, .limit = 2, .offset = 2}),
              ElementsAre("c", "d"));
  EXPECT_THAT(Names({.order_by = {{"name"}}, .offset = 4}), ElementsAre("e"));
  EXPECT_THAT(Names({.order_by = {{"name"}}, .limit = 0}), IsEmpty());
  EXPECT_THAT(Names({.limit = 10, .offset = 10}), IsEmpty());
  EXPECT_THAT(Names({.order_by = {{"note"}}, .limit = 1, .offset = 1}),
              ElementsAre("d"));
  auto txn = h_.Read();
  EXPECT_THAT(txn->Select("thing", {.limit = -1}),
              StatusIs(StatusCode::kInvalidArgument,
                       "LIMIT must not be negative"));
  EXPECT_THAT(txn->Select("thing", {.offset = -1}),
              StatusIs(StatusCode::kInvalidArgument,
                       "OFFSET must not be negative"));
}

class Aggregates : public ContractTest {};

TEST_P(Aggregates, CountsSumsAndGroups) {
  AddThing("a", {{"tag", T("x")}, {"count", I(5)}});
  AddThing("b", {{"tag", T("y")}, {"count", I(-2)}});
  AddThing("c", {{"tag", T("x")}});
  AddThing("d");
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(int64_t all, txn->Count("thing"));
  EXPECT_EQ(all, 4);
  ASSERT_OK_AND_ASSIGN(int64_t xs, txn->Count("thing", {Filter::Eq("tag", T("x"))}));
  EXPECT_EQ(xs, 2);
  ASSERT_OK_AND_ASSIGN(int64_t distinct, txn->CountDistinct("thing", "tag"));
  EXPECT_EQ(distinct, 2);
  ASSERT_OK_AND_ASSIGN(Value sum, txn->Sum("thing", "count"));
  EXPECT_EQ(sum, I(3));
  ASSERT_OK_AND_ASSIGN(Value none,
                       txn->Sum("thing", "count", {Filter::IsNull("count")}));
  EXPECT_TRUE(none.is_null());
  ASSERT_OK_AND_ASSIGN(auto groups, txn->CountBy("thing", "tag"));
  EXPECT_THAT(groups, ElementsAre(GroupCount{Value::Null(), 1},
                                  GroupCount{T("x"), 2}, GroupCount{T("y"), 1}));
  ASSERT_OK_AND_ASSIGN(auto flags, txn->CountBy("thing", "flag",
                                                {Filter::IsNotNull("tag")}));
  EXPECT_THAT(flags, ElementsAre(GroupCount{Value::Boolean(true), 3}));
  ASSERT_OK_AND_ASSIGN(auto empty, txn->CountBy("thing", "tag",
                                                {Filter::Eq("tag", T("zz"))}));
  EXPECT_THAT(empty, IsEmpty());
}

TEST_P(Aggregates, SumOverflowAndWrongColumn) {
  AddThing("a", {{"count", I(INT64_MAX)}});
  AddThing("b", {{"count", I(1)}});
  auto txn = h_.Read();
  EXPECT_THAT(txn->Sum("thing", "count"),
              StatusIs(StatusCode::kOutOfRange, "integer overflow"));
  EXPECT_THAT(txn->Sum("thing", "name"),
              StatusIs(StatusCode::kInvalidArgument,
                       "SUM needs an INTEGER column: thing.name"));
}

INSTANTIATE_TEST_SUITE_P(Backends, Ordering, AllBackends(), BackendParamName);
INSTANTIATE_TEST_SUITE_P(Backends, Filters, AllBackends(), BackendParamName);
INSTANTIATE_TEST_SUITE_P(Backends, Prefix, AllBackends(), BackendParamName);
INSTANTIATE_TEST_SUITE_P(Backends, LimitOffset, AllBackends(),
                         BackendParamName);
INSTANTIATE_TEST_SUITE_P(Backends, Aggregates, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
