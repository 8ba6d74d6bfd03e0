// Contract tests on every backend: value round trips, defaults, "now on
// update", NOT NULL and UNIQUE, row ids.
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/storage/contract_fixture.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::ElementsAre;

class Values : public ContractTest {};

TEST_P(Values, BlobHoldsAllByteValues) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  int64_t id = AddThing("bytes", {{"data", B(bytes)}});
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("thing", id));
  ASSERT_EQ(row[kData].kind(), ValueKind::kBlob);
  EXPECT_EQ(row[kData].blob(), bytes);
}

TEST_P(Values, OneMegabyteBlob) {
  std::string bytes(1'000'000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
  int64_t id = AddThing("big", {{"data", B(bytes)}});
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("thing", id));
  EXPECT_EQ(row[kData].blob().size(), 1'000'000u);
  EXPECT_EQ(row[kData].blob(), bytes);
}

TEST_P(Values, NonAsciiText) {
  const std::string text = "Grüße, 世界 — ✓ 🙂 ﬁ";
  int64_t id = AddThing(text, {{"note", T(text)}});
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("thing", id));
  EXPECT_EQ(row[kName].text(), text);
  EXPECT_EQ(row[kNote].text(), text);
}

TEST_P(Values, EmptyStringIsNotNull) {
  int64_t a = AddThing("a", {{"note", T("")}, {"data", B("")}});
  int64_t b = AddThing("b");
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Row ra, txn->Get("thing", a));
  ASSERT_OK_AND_ASSIGN(Row rb, txn->Get("thing", b));
  EXPECT_EQ(ra[kNote], T(""));
  EXPECT_EQ(ra[kData].kind(), ValueKind::kBlob);
  EXPECT_EQ(ra[kData].blob(), "");
  EXPECT_TRUE(rb[kNote].is_null());
  EXPECT_TRUE(rb[kData].is_null());
  ASSERT_OK_AND_ASSIGN(int64_t nulls,
                       txn->Count("thing", {Filter::IsNull("note")}));
  EXPECT_EQ(nulls, 1);
  ASSERT_OK_AND_ASSIGN(int64_t empties,
                       txn->Count("thing", {Filter::Eq("note", T(""))}));
  EXPECT_EQ(empties, 1);
}

TEST_P(Values, TextFullOfSqlQuotes) {
  const std::string nasty =
      "'; DROP TABLE thing; -- \"quoted\" `back` \\ %_ \n\t\r ''";
  int64_t id = AddThing(nasty, {{"note", T(nasty)}, {"tag", T("'")}});
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("thing", id));
  EXPECT_EQ(row[kName].text(), nasty);
  ASSERT_OK_AND_ASSIGN(auto rows,
                       txn->Select("thing", {{Filter::Eq("name", T(nasty))}}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][kNote].text(), nasty);
}

// TEXT holds UTF-8 without NUL bytes on every backend (PostgreSQL can
// hold nothing else); storing anything else is refused the same way
// everywhere, changes nothing, and leaves the transaction usable.
TEST_P(Values, TextMustBeUtf8WithoutNulBytes) {
  const int64_t id = AddThing("kept", {{"note", T("note")}});
  const std::vector<Row> before = All();
  const std::string bad[] = {
      std::string("a\0b", 3),  // NUL
      "\xff",                  // never in UTF-8
      "a\x80",                 // a lone continuation byte
      "\xc3",                  // cut short
      "\xc0\xaf",              // overlong "/"
      "\xed\xa0\x80",          // a surrogate (U+D800)
      "\xf4\x90\x80\x80",      // past U+10FFFF
  };
  auto txn = h_.Write();
  for (const std::string& text : bad) {
    SCOPED_TRACE(Value::Text(text).DebugString());
    EXPECT_THAT(txn->Insert("thing", {{"name", T(text)}}),
                StatusIs(StatusCode::kInvalidArgument,
                         "TEXT must be UTF-8 without NUL bytes: thing.name"));
    EXPECT_THAT(txn->Update("thing", id, {{"note", T(text)}}),
                StatusIs(StatusCode::kInvalidArgument,
                         "TEXT must be UTF-8 without NUL bytes: thing.note"));
    EXPECT_THAT(txn->UpdateWhere("thing", {Filter::Eq("id", I(id))},
                                 {{"tag", T(text)}}),
                StatusIs(StatusCode::kInvalidArgument,
                         "TEXT must be UTF-8 without NUL bytes: thing.tag"));
  }
  // Blobs hold any bytes; the edges of UTF-8 are text.
  const std::string good[] = {"\x7f", "\xc2\x80", "\xed\x9f\xbf",
                              "\xee\x80\x80", "\xef\xbf\xbf",
                              "\xf4\x8f\xbf\xbf"};
  for (const std::string& text : good) {
    EXPECT_OK(txn->Insert("thing", {{"name", T(text)},
                                    {"data", B(std::string("\0\xff", 2))}}));
  }
  ASSERT_OK(txn->Rollback());
  EXPECT_EQ(All(), before);
}

// Every backend refuses what PostgreSQL's B-tree indexes cannot hold, the
// same way: a value stored in an indexed or unique column is at most
// kMaxIndexedBytes. Letters that do not repeat, so that compression
// cannot make a longer value fit on PostgreSQL.
TEST_P(Values, IndexedValuesHoldAtMost2048Bytes) {
  std::string longest;
  for (uint32_t x = 1; longest.size() < kMaxIndexedBytes;) {
    x = x * 1103515245 + 12345;
    longest.push_back(static_cast<char>('a' + (x >> 16) % 26));
  }
  const std::string too_long = longest + "z";
  const int64_t id = AddThing("kept");
  const std::vector<Row> before = All();
  auto txn = h_.Write();
  const std::string message =
      "value too long for an indexed column (2048 bytes at most): ";
  EXPECT_THAT(txn->Insert("thing", {{"name", T(too_long)}}),
              StatusIs(StatusCode::kInvalidArgument, message + "thing.name"));
  EXPECT_THAT(txn->Update("thing", id, {{"tag", T(too_long)}}),
              StatusIs(StatusCode::kInvalidArgument, message + "thing.tag"));
  EXPECT_THAT(txn->Insert("other", {{"code", T(too_long)},
                                    {"payload", B("p")}}),
              StatusIs(StatusCode::kInvalidArgument, message + "other.code"));
  // A filter's operand may be longer: it matches nothing.
  EXPECT_EQ(txn->Count("thing", {Filter::Eq("name", T(too_long))}).value_or(-1),
            0);
  ASSERT_OK(txn->Rollback());
  EXPECT_EQ(All(), before);

  txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(int64_t added,
                       txn->Insert("thing", {{"name", T(longest)},
                                             {"tag", T(longest)},
                                             {"note", T(too_long + too_long)}}));
  EXPECT_OK(txn->Insert("other", {{"code", T(longest)}, {"payload", B("p")}}));
  ASSERT_OK(txn->Commit());
  txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("thing", added));
  EXPECT_EQ(row[kName].text(), longest);
  EXPECT_EQ(row[kNote].text(), too_long + too_long);
}

// A filter's text operand may hold any bytes; it compares bytewise with
// the stored text, so it can match although it could not be stored.
TEST_P(Values, TextFiltersTakeAnyBytes) {
  AddThing("a", {{"tag", T("\xc3\xa9t\xc3\xa9")}});  // "été"
  AddThing("b", {{"tag", T("z")}});
  AddThing("c");
  const std::string nul("\xc3\xa9\0", 3);
  const std::string cut("\xc3");  // the first byte of "é"
  const std::string high("\xff");
  using ::testing::IsEmpty;
  EXPECT_THAT(Names({{Filter::Eq("tag", T(nul))}}), IsEmpty());
  EXPECT_THAT(Names({{Filter::Ne("tag", T(high))}}), ElementsAre("a", "b"));
  EXPECT_THAT(Names({{Filter::Prefix("tag", T(cut))}}), ElementsAre("a"));
  EXPECT_THAT(Names({{Filter::Prefix("tag", T(nul))}}), IsEmpty());
  EXPECT_THAT(Names({{Filter::Lt("tag", T(high))}}), ElementsAre("a", "b"));
  EXPECT_THAT(Names({{Filter::Gt("tag", T(cut))}}), ElementsAre("a"));
  EXPECT_THAT(Names({{Filter::Le("tag", T(std::string("z\0", 2)))}}),
              ElementsAre("b"));
  EXPECT_THAT(Names({{Filter::In("tag", {T("z"), T(nul), Value::Null()})}}),
              ElementsAre("b"));
  auto txn = h_.Write();
  EXPECT_EQ(txn->DeleteWhere("thing", {Filter::Eq("tag", T(nul))}).value_or(-1),
            0);
  EXPECT_EQ(txn->UpdateWhere("thing", {Filter::Prefix("tag", T(cut))},
                             {{"note", T("e")}})
                .value_or(-1),
            1);
  EXPECT_EQ(txn->Count("thing", {Filter::Ne("tag", T(nul))}).value_or(-1), 2);
}

TEST_P(Values, IntegerExtremes) {
  int64_t a = AddThing("min", {{"count", I(INT64_MIN)}});
  int64_t b = AddThing("max", {{"count", I(INT64_MAX)}});
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Row ra, txn->Get("thing", a));
  ASSERT_OK_AND_ASSIGN(Row rb, txn->Get("thing", b));
  EXPECT_EQ(ra[kCount].integer(), INT64_MIN);
  EXPECT_EQ(rb[kCount].integer(), INT64_MAX);
}

TEST_P(Values, BooleansAndTimestampsRoundTrip) {
  Timestamp when{1'234'567'890'123'456};
  int64_t id = AddThing(
      "t", {{"flag", Value::Boolean(false)}, {"at", Value::Time(when)}});
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("thing", id));
  EXPECT_EQ(row[kFlag], Value::Boolean(false));
  EXPECT_EQ(row[kAt], Value::Time(when));
  EXPECT_EQ(when.ToString(), "2009-02-13 23:31:30.123456");
}

TEST_P(Values, TypeMismatchIsRejected) {
  auto txn = h_.Write();
  EXPECT_THAT(txn->Insert("thing", {{"name", I(5)}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "type mismatch: thing.name is TEXT, got INTEGER"));
  EXPECT_THAT(txn->Insert("thing", {{"name", T("x")}, {"data", T("x")}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "type mismatch: thing.data is BLOB, got TEXT"));
  EXPECT_THAT(txn->Select("thing", {{Filter::Eq("count", T("1"))}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "type mismatch: filter on thing.count is INTEGER, got "
                       "TEXT"));
  EXPECT_THAT(
      txn->Insert("thing", {{"name", T("x")},
                            {"at", Value::Time(Timestamp{-1})}}),
      StatusIs(StatusCode::kInvalidArgument,
               "timestamp out of range for thing.at (1970-01-01 to "
               "9999-12-31)"));
  ASSERT_OK_AND_ASSIGN(int64_t n, txn->Count("thing"));
  EXPECT_EQ(n, 0);
}

TEST_P(Values, UnknownTableAndColumn) {
  auto txn = h_.Write();
  EXPECT_THAT(txn->Insert("nope", {}),
              StatusIs(StatusCode::kInvalidArgument, "no such table: nope"));
  EXPECT_THAT(txn->Insert("thing", {{"name", T("a")}, {"zzz", I(1)}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "no such column: thing.zzz"));
  EXPECT_THAT(txn->Select("thing", {.order_by = {{"zzz"}}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "no such column: thing.zzz"));
  EXPECT_THAT(txn->Get("nope", 1), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(Values, DefaultsComeFromConstantsAndTheClock) {
  const Timestamp now = h_.clock().Now();
  int64_t id = AddThing("d");
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("thing", id));
  EXPECT_EQ(row[kFlag], Value::Boolean(true));
  EXPECT_EQ(row[kAt], Value::Time(now));
  EXPECT_EQ(row[kUpdated], Value::Time(now));
  EXPECT_TRUE(row[kCount].is_null());
  auto w = h_.Write();
  ASSERT_OK_AND_ASSIGN(int64_t oid, w->Insert("other", {{"payload", B("p")}}));
  ASSERT_OK_AND_ASSIGN(Row other_row, w->Get("other", oid));
  EXPECT_EQ(other_row[3], T("plain"));
}

TEST_P(Values, ExplicitNullOverridesADefault) {
  auto txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(int64_t id,
                       txn->Insert("other", {{"payload", B("p")},
                                             {"kind", Value::Null()}}));
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("other", id));
  EXPECT_TRUE(row[3].is_null());
}

TEST_P(Values, NowOnUpdate) {
  const Timestamp created = h_.clock().Now();
  int64_t id = AddThing("u");
  h_.clock().Advance(absl::Seconds(90));
  const Timestamp later = h_.clock().Now();
  {
    auto txn = h_.Write();
    ASSERT_OK(txn->Update("thing", id, {{"note", T("changed")}}));
    ASSERT_OK(txn->Commit());
  }
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("thing", id));
  EXPECT_EQ(row[kAt], Value::Time(created));
  EXPECT_EQ(row[kUpdated], Value::Time(later));
}

TEST_P(Values, ExplicitUpdatedAtWinsOverNow) {
  int64_t id = AddThing("u");
  h_.clock().Advance(absl::Seconds(5));
  Timestamp chosen{1'000'000};
  auto txn = h_.Write();
  ASSERT_OK(txn->Update("thing", id, {{"updated", Value::Time(chosen)}}));
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("thing", id));
  EXPECT_EQ(row[kUpdated], Value::Time(chosen));
}

class Constraints : public ContractTest {};

TEST_P(Constraints, UniqueOnInsertChangesNothing) {
  int64_t id = AddThing("dup", {{"note", T("first")}});
  std::vector<Row> before = All();
  auto txn = h_.Write();
  EXPECT_THAT(txn->Insert("thing", {{"name", T("dup")}, {"note", T("2")}}),
              StatusIs(StatusCode::kAlreadyExists,
                       "UNIQUE constraint failed: thing.name"));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(All(), before);
  EXPECT_EQ(id, 1);
}

TEST_P(Constraints, UniqueOnUpdate) {
  AddThing("a");
  int64_t b = AddThing("b");
  auto txn = h_.Write();
  EXPECT_THAT(txn->Update("thing", b, {{"name", T("a")}}),
              StatusIs(StatusCode::kAlreadyExists,
                       "UNIQUE constraint failed: thing.name"));
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("thing", b));
  EXPECT_EQ(row[kName], T("b"));
  // Setting a row's unique column to its own value is fine.
  EXPECT_OK(txn->Update("thing", b, {{"name", T("b")}}));
}

TEST_P(Constraints, UniqueOnANonIndexedColumnAndManyNulls) {
  auto txn = h_.Write();
  ASSERT_OK(txn->Insert("other", {{"payload", B("1")}, {"code", T("x")}}));
  EXPECT_THAT(txn->Insert("other", {{"payload", B("2")}, {"code", T("x")}}),
              StatusIs(StatusCode::kAlreadyExists,
                       "UNIQUE constraint failed: other.code"));
  ASSERT_OK(txn->Insert("other", {{"payload", B("3")}}));
  ASSERT_OK(txn->Insert("other", {{"payload", B("4")}}));
  ASSERT_OK_AND_ASSIGN(int64_t nulls,
                       txn->Count("other", {Filter::IsNull("code")}));
  EXPECT_EQ(nulls, 2);
}

TEST_P(Constraints, UniqueFreedByDeleteAndByRename) {
  int64_t a = AddThing("a");
  auto txn = h_.Write();
  ASSERT_OK(txn->Update("thing", a, {{"name", T("renamed")}}));
  ASSERT_OK(txn->Insert("thing", {{"name", T("a")}}));
  ASSERT_OK(txn->Delete("thing", a));
  ASSERT_OK(txn->Insert("thing", {{"name", T("renamed")}}));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(All().size(), 2u);
}

TEST_P(Constraints, NotNullOnInsert) {
  auto txn = h_.Write();
  EXPECT_THAT(txn->Insert("thing", {{"note", T("no name")}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "NOT NULL constraint failed: thing.name"));
  EXPECT_THAT(txn->Insert("thing", {{"name", Value::Null()}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "NOT NULL constraint failed: thing.name"));
  EXPECT_THAT(
      txn->Insert("thing", {{"name", T("n")}, {"flag", Value::Null()}}),
      StatusIs(StatusCode::kInvalidArgument,
               "NOT NULL constraint failed: thing.flag"));
  EXPECT_THAT(txn->Insert("other", {}),
              StatusIs(StatusCode::kInvalidArgument,
                       "NOT NULL constraint failed: other.payload"));
}

TEST_P(Constraints, NotNullOnUpdate) {
  int64_t id = AddThing("n");
  auto txn = h_.Write();
  EXPECT_THAT(txn->Update("thing", id, {{"name", Value::Null()}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "NOT NULL constraint failed: thing.name"));
  EXPECT_THAT(txn->UpdateWhere("thing", {}, {{"flag", Value::Null()}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "NOT NULL constraint failed: thing.flag"));
}

TEST_P(Constraints, FailedUpdateWhereLeavesEveryRow) {
  AddThing("a", {{"tag", T("t")}});
  AddThing("b", {{"tag", T("t")}});
  AddThing("c", {{"tag", T("u")}});
  std::vector<Row> before = All();
  auto txn = h_.Write();
  ASSERT_OK(txn->Update("thing", 3, {{"note", T("kept")}}));
  EXPECT_THAT(
      txn->UpdateWhere("thing", {Filter::Eq("tag", T("t"))},
                       {{"name", T("same")}}),
      StatusIs(StatusCode::kAlreadyExists,
               "UNIQUE constraint failed: thing.name"));
  ASSERT_OK_AND_ASSIGN(auto rows, txn->Select("thing", {}));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], before[0]);
  EXPECT_EQ(rows[1], before[1]);
  EXPECT_EQ(rows[2][kNote], T("kept"));
}

TEST_P(Constraints, ExplicitIds) {
  auto txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(int64_t id,
                       txn->Insert("thing", {{"id", I(10)}, {"name", T("x")}}));
  EXPECT_EQ(id, 10);
  EXPECT_THAT(txn->Insert("thing", {{"id", I(10)}, {"name", T("y")}}),
              StatusIs(StatusCode::kAlreadyExists,
                       "UNIQUE constraint failed: thing.id"));
  ASSERT_OK_AND_ASSIGN(int64_t next, txn->Insert("thing", {{"name", T("z")}}));
  EXPECT_EQ(next, 11);
  EXPECT_THAT(txn->Insert("thing", {{"id", I(0)}, {"name", T("w")}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "id out of range: thing.id = 0 (1 to 2^62)"));
  EXPECT_THAT(txn->Update("thing", 10, {{"id", I(3)}}),
              StatusIs(StatusCode::kInvalidArgument, "cannot update thing.id"));
}

TEST_P(Constraints, BadAssignments) {
  int64_t id = AddThing("a");
  auto txn = h_.Write();
  EXPECT_THAT(txn->Insert("thing", {{"name", T("x")}, {"name", T("y")}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "column given twice: thing.name"));
  EXPECT_THAT(txn->Update("thing", id, {}),
              StatusIs(StatusCode::kInvalidArgument,
                       "update of thing sets no columns"));
}

TEST_P(Constraints, MissingRows) {
  auto txn = h_.Write();
  EXPECT_THAT(txn->Get("thing", 42),
              StatusIs(StatusCode::kNotFound, "no row with id 42 in thing"));
  EXPECT_THAT(txn->Update("thing", 42, {{"note", T("x")}}),
              StatusIs(StatusCode::kNotFound, "no row with id 42 in thing"));
  EXPECT_THAT(txn->Delete("thing", -1),
              StatusIs(StatusCode::kNotFound, "no row with id -1 in thing"));
}

class RowIds : public ContractTest {};

TEST_P(RowIds, MaxPlusOneAndReuseOfTheHighest) {
  EXPECT_EQ(AddThing("a"), 1);
  EXPECT_EQ(AddThing("b"), 2);
  EXPECT_EQ(AddThing("c"), 3);
  {
    auto txn = h_.Write();
    ASSERT_OK(txn->Delete("thing", 3));
    ASSERT_OK(txn->Delete("thing", 1));
    ASSERT_OK(txn->Commit());
  }
  EXPECT_EQ(AddThing("d"), 3);  // the highest id is used again
  EXPECT_EQ(AddThing("e"), 4);  // the lowest is not
}

TEST_P(RowIds, RolledBackInsertLeavesNoGap) {
  AddThing("a");
  {
    auto txn = h_.Write();
    ASSERT_OK_AND_ASSIGN(int64_t id, txn->Insert("thing", {{"name", T("b")}}));
    EXPECT_EQ(id, 2);
    ASSERT_OK(txn->Rollback());
  }
  EXPECT_EQ(AddThing("c"), 2);
}

TEST_P(RowIds, EmptiedTableStartsAtOne) {
  AddThing("a");
  AddThing("b");
  {
    auto txn = h_.Write();
    ASSERT_OK_AND_ASSIGN(int64_t n, txn->DeleteWhere("thing", {}));
    EXPECT_EQ(n, 2);
    ASSERT_OK(txn->Commit());
  }
  EXPECT_EQ(AddThing("c"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, Values, AllBackends(), BackendParamName);
INSTANTIATE_TEST_SUITE_P(Backends, Constraints, AllBackends(),
                         BackendParamName);
INSTANTIATE_TEST_SUITE_P(Backends, RowIds, AllBackends(), BackendParamName);

}  // namespace
}  // namespace viewer::testing
