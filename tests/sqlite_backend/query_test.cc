// Queries and writes where SQLite's own behaviour could leak through the
// contract: prefix without LIKE, NULL ordering, IN, SUM overflow,
// constraint messages and statement atomicity, savepoint names.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sqlite_backend/sqlite_store.h"
#include "tests/sqlite_backend/sqlite_test_util.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::viewer::testing::IsOkAndHolds;
using ::viewer::testing::SqliteTestDir;
using ::viewer::testing::StatusIs;
using ::viewer::testing::TestOptions;
using namespace std::string_literals;

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_,
                         SqliteStore::Open(TestOptions(dir_.db(), &clock_)));
    ASSERT_OK_AND_ASSIGN(txn_, store_->Begin(TransactionMode::kReadWrite));
  }

  // Inserts servers named `names` (definition_cid = the name too).
  void AddServers(const std::vector<std::string>& names) {
    for (const std::string& n : names) {
      ASSERT_OK(txn_->Insert("server", {{"name", Value::Text(n)},
                                        {"definition", Value::Text("d")},
                                        {"definition_cid", Value::Text(n)}}));
    }
  }

  // Names of the servers matching `where`, in id order.
  std::vector<std::string> Names(std::vector<Filter> where) {
    Query q;
    q.where = std::move(where);
    absl::StatusOr<std::vector<Row>> rows = txn_->Select("server", q);
    EXPECT_OK(rows);
    std::vector<std::string> out;
    if (rows.ok()) {
      for (const Row& r : *rows) out.push_back(r[1].text());
    }
    return out;
  }

  std::vector<std::string> PrefixNames(std::string prefix) {
    return Names({Filter::Prefix("name", Value::Text(std::move(prefix)))});
  }

  SqliteTestDir dir_;
  ManualClock clock_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Transaction> txn_;
};

TEST_F(QueryTest, PrefixTreatsUnderscoreAndPercentLiterally) {
  AddServers({"a_b", "axb", "a%c", "abc", "a_"});
  EXPECT_THAT(PrefixNames("a_"), ElementsAre("a_b", "a_"));
  EXPECT_THAT(PrefixNames("a%"), ElementsAre("a%c"));
  EXPECT_THAT(PrefixNames("_"), ElementsAre());
  EXPECT_THAT(PrefixNames("%"), ElementsAre());
}

TEST_F(QueryTest, PrefixIsCaseSensitive) {
  AddServers({"Alpha", "alpha", "ALPHA", "alp"});
  EXPECT_THAT(PrefixNames("al"), ElementsAre("alpha", "alp"));
  EXPECT_THAT(PrefixNames("Al"), ElementsAre("Alpha"));
  EXPECT_THAT(PrefixNames("ALPHA"), ElementsAre("ALPHA"));
}

TEST_F(QueryTest, PrefixHandlesFfAndNulBytes) {
  // Stored text is UTF-8 without NUL (engine/store.h), so its highest bytes
  // are those of U+10FFFF; a prefix may hold any bytes.
  const std::string top = "\xf4\x8f\xbf\xbf";    // U+10FFFF
  const std::string below = "\xf4\x8f\xbf\xbe";  // U+10FFFE
  AddServers({top, top + top, top + "\x01", "a" + top, "a" + top + "b", "b",
              "a", below + top});
  EXPECT_THAT(PrefixNames(top), ElementsAre(top, top + top, top + "\x01"));
  EXPECT_THAT(PrefixNames(top + top), ElementsAre(top + top));
  EXPECT_THAT(PrefixNames("a" + top),
              ElementsAre("a" + top, "a" + top + "b"));
  EXPECT_THAT(PrefixNames(below), ElementsAre(below + top));
  EXPECT_THAT(PrefixNames("\xf4\x8f"),
              ElementsAre(top, top + top, top + "\x01", below + top));
  EXPECT_THAT(PrefixNames("\xff"), ElementsAre());
  EXPECT_THAT(PrefixNames("a\0"s), ElementsAre());
  EXPECT_THAT(PrefixNames("a"), ElementsAre("a" + top, "a" + top + "b", "a"));
}

TEST_F(QueryTest, EmptyPrefixMatchesEveryNonNullValue) {
  AddServers({"x", ""});
  ASSERT_OK(txn_->Insert("server", {{"name", Value::Text("y")},
                                    {"definition", Value::Text("d")}}));
  EXPECT_THAT(Names({Filter::Prefix("definition_cid", Value::Text(""))}),
              ElementsAre("x", ""));
  EXPECT_THAT(Names({Filter::Prefix("definition_cid", Value::Null())}),
              ElementsAre());
}

TEST_F(QueryTest, BlobPrefixComparesBytes) {
  const std::vector<std::string> blobs = {"\0\x01"s, "\0"s, ""s, "\xff"s,
                                          "\x01"s};
  for (size_t i = 0; i < blobs.size(); ++i) {
    ASSERT_OK(txn_->Insert("cid", {{"path", Value::Text(absl::StrCat(i))},
                                   {"file_data", Value::Blob(blobs[i])}}));
  }
  auto ids = [&](std::string prefix) {
    Query q;
    q.where = {Filter::Prefix("file_data", Value::Blob(std::move(prefix)))};
    std::vector<int64_t> out;
    auto rows = txn_->Select("cid", q);
    EXPECT_OK(rows);
    if (rows.ok())
      for (const Row& r : *rows) out.push_back(r.id());
    return out;
  };
  EXPECT_THAT(ids("\0"s), ElementsAre(1, 2));
  EXPECT_THAT(ids(""), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_THAT(ids("\xff"), ElementsAre(4));
  // A TEXT-typed operand never matches a BLOB column: the contract layer
  // rejects it before SQL is built.
  Query q;
  q.where = {Filter::Prefix("file_data", Value::Text(""))};
  EXPECT_THAT(txn_->Select("cid", q),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryTest, NullsSortFirstAscendingAndLastDescending) {
  AddServers({"b", "a"});
  ASSERT_OK(txn_->Insert("server", {{"name", Value::Text("n1")},
                                    {"definition", Value::Text("d")}}));
  AddServers({"c"});
  ASSERT_OK(txn_->Insert("server", {{"name", Value::Text("n2")},
                                    {"definition", Value::Text("d")}}));
  auto order = [&](bool descending) {
    Query q;
    q.order_by = {{"definition_cid", descending}};
    std::vector<std::string> out;
    auto rows = txn_->Select("server", q);
    EXPECT_OK(rows);
    if (rows.ok())
      for (const Row& r : *rows) out.push_back(r[1].text());
    return out;
  };
  // Equal keys (the two NULLs) fall back to id ascending both ways.
  EXPECT_THAT(order(false), ElementsAre("n1", "n2", "a", "b", "c"));
  EXPECT_THAT(order(true), ElementsAre("c", "b", "a", "n1", "n2"));
}

TEST_F(QueryTest, OffsetWithoutLimit) {
  AddServers({"a", "b", "c", "d"});
  Query q;
  q.offset = 2;
  ASSERT_OK_AND_ASSIGN(std::vector<Row> rows, txn_->Select("server", q));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], Value::Text("c"));
  q.limit = 0;
  EXPECT_THAT(txn_->Select("server", q), IsOkAndHolds(ElementsAre()));
}

TEST_F(QueryTest, NullOperandsAndInLists) {
  AddServers({"a", "b"});
  ASSERT_OK(txn_->Insert("server", {{"name", Value::Text("n")},
                                    {"definition", Value::Text("d")}}));
  EXPECT_THAT(Names({Filter::Eq("definition_cid", Value::Null())}),
              ElementsAre());
  EXPECT_THAT(Names({Filter::Ne("definition_cid", Value::Null())}),
              ElementsAre());
  EXPECT_THAT(Names({Filter::Ne("definition_cid", Value::Text("a"))}),
              ElementsAre("b"));
  EXPECT_THAT(
      Names({Filter::In("definition_cid", {Value::Null(), Value::Text("b")})}),
      ElementsAre("b"));
  EXPECT_THAT(Names({Filter::In("definition_cid", {})}), ElementsAre());
  EXPECT_THAT(Names({Filter::IsNull("definition_cid")}), ElementsAre("n"));
}

TEST_F(QueryTest, Aggregates) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_THAT(txn_->Sum("tag", "weight"), IsOkAndHolds(Value::Null()));
  ASSERT_OK(txn_->Insert(
      "tag", {{"label", Value::Text("a")}, {"weight", Value::Integer(kMax)}}));
  ASSERT_OK(txn_->Insert("tag", {{"label", Value::Text("b")}}));
  ASSERT_OK(txn_->Insert("tag", {{"weight", Value::Integer(kMax)}}));
  ASSERT_OK(txn_->Insert("tag", {{"weight", Value::Integer(-kMax)}}));
  EXPECT_THAT(
      txn_->Sum("tag", "weight", {Filter::Eq("weight", Value::Integer(kMax))}),
      StatusIs(absl::StatusCode::kOutOfRange, "integer overflow"));
  EXPECT_THAT(txn_->Sum("tag", "weight", {Filter::IsNotNull("label")}),
              IsOkAndHolds(Value::Integer(kMax)));
  EXPECT_THAT(txn_->CountDistinct("tag", "weight"), IsOkAndHolds(2));
  EXPECT_THAT(txn_->Count("tag", {Filter::IsNull("label")}), IsOkAndHolds(2));
  EXPECT_THAT(txn_->CountBy("tag", "weight"),
              IsOkAndHolds(ElementsAre(GroupCount{Value::Null(), 1},
                                       GroupCount{Value::Integer(-kMax), 1},
                                       GroupCount{Value::Integer(kMax), 2})));
}

TEST_F(QueryTest, ConstraintMessagesAreTheContracts) {
  AddServers({"a"});
  EXPECT_THAT(txn_->Insert("server", {{"name", Value::Text("a")},
                                      {"definition", Value::Text("d")}}),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       "UNIQUE constraint failed: server.name"));
  EXPECT_THAT(txn_->Insert("server", {{"id", Value::Integer(1)},
                                      {"name", Value::Text("new")},
                                      {"definition", Value::Text("d")}}),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       "UNIQUE constraint failed: server.id"));
  ASSERT_OK(txn_->Insert("tag", {{"label", Value::Text("t")}}));
  EXPECT_THAT(txn_->Insert("tag", {{"label", Value::Text("t")}}),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       "UNIQUE constraint failed: tag.label"));
  EXPECT_THAT(
      txn_->Update("server", 7, {{"name", Value::Text("z")}}),
      StatusIs(absl::StatusCode::kNotFound, "no row with id 7 in server"));
  EXPECT_THAT(
      txn_->Delete("server", 7),
      StatusIs(absl::StatusCode::kNotFound, "no row with id 7 in server"));
  // The failures left the transaction usable and unchanged.
  EXPECT_THAT(txn_->Count("server"), IsOkAndHolds(1));
  ASSERT_OK(txn_->Commit());
}

TEST_F(QueryTest, FailedMultiRowStatementChangesNothing) {
  AddServers({"a", "b", "c"});
  // Setting one name on three rows fails at the second row; the first must
  // be undone too.
  EXPECT_THAT(txn_->UpdateWhere("server", {}, {{"name", Value::Text("same")}}),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       "UNIQUE constraint failed: server.name"));
  EXPECT_THAT(Names({}), ElementsAre("a", "b", "c"));
  EXPECT_THAT(
      txn_->UpdateWhere("server", {Filter::Eq("name", Value::Text("b"))},
                        {{"name", Value::Text("same")}}),
      IsOkAndHolds(1));
  EXPECT_THAT(
      txn_->DeleteWhere("server", {Filter::Prefix("name", Value::Text("s"))}),
      IsOkAndHolds(1));
}

TEST_F(QueryTest, NewIdsAreMaxPlusOne) {
  AddServers({"a", "b", "c"});
  ASSERT_OK(txn_->Delete("server", 3));
  EXPECT_THAT(txn_->Insert("server", {{"name", Value::Text("d")},
                                      {"definition", Value::Text("d")}}),
              IsOkAndHolds(3));
  EXPECT_THAT(txn_->Insert("server", {{"id", Value::Integer(int64_t{1} << 62)},
                                      {"name", Value::Text("e")},
                                      {"definition", Value::Text("d")}}),
              IsOkAndHolds(int64_t{1} << 62));
  EXPECT_THAT(txn_->Insert("server", {{"name", Value::Text("f")},
                                      {"definition", Value::Text("d")}}),
              IsOkAndHolds((int64_t{1} << 62) + 1));
}

TEST_F(QueryTest, SavepointNamesNeverReachSql) {
  const std::string odd = "x\"; ROLLBACK; --'";
  ASSERT_OK(txn_->Savepoint(odd));
  AddServers({"a"});
  ASSERT_OK(txn_->Savepoint("SP0"));  // SQLite would confuse it with sp0
  AddServers({"b"});
  ASSERT_OK(txn_->RollbackTo(odd));
  EXPECT_THAT(txn_->Count("server"), IsOkAndHolds(0));
  AddServers({"c"});
  ASSERT_OK(txn_->Release(odd));
  EXPECT_THAT(txn_->RollbackTo("SP0"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "no such savepoint: SP0"));
  ASSERT_OK(txn_->Commit());

  ASSERT_OK_AND_ASSIGN(auto reader, store_->Begin(TransactionMode::kReadOnly));
  ASSERT_OK(reader->Savepoint("r"));
  ASSERT_OK(reader->RollbackTo("r"));
  ASSERT_OK(reader->Release("r"));
  EXPECT_THAT(reader->Count("server"), IsOkAndHolds(1));
}

}  // namespace
}  // namespace viewer
