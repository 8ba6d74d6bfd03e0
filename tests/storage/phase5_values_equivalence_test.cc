// The plan's phase 5 ("transaction and edge case tests") in C++, second
// half: NULLs, special characters and timestamps, each run on two backends
// (each against the reference one, tests/storage/backends.h) with the results
// compared field by field and checked against the value they must have.
// Transactions are in phase5_transactions_equivalence_test.cc.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "engine/status_macros.h"
#include "tests/storage/equivalence_helpers.h"
#include "tests/storage/phase5_fixture.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::ElementsAre;

// ---------------------------------------------------------------- NULLs

class Phase5Nulls : public Phase5 {
 protected:
  // page_view rows: 1 and 3 without user agent, 2 "b-agent", 4 "a-agent".
  void AddViews() {
    AddRow("page_view", {{"path", T("/1")}}, 1);
    AddRow("page_view", {{"path", T("/2")}, {"user_agent", T("b-agent")}}, 2);
    AddRow("page_view", {{"path", T("/3")}, {"user_agent", Value()}}, 3);
    AddRow("page_view", {{"path", T("/4")}, {"user_agent", T("a-agent")}}, 4);
  }
};

TEST_P(Phase5Nulls, NullableColumnsKeepNull) {
  AddRow("server",
         {{"name", T("null-test")},
          {"definition", T("has null cid")},
          {"definition_cid", Value()}},
         1);
  AddRow("alias", {{"name", T("al")}, {"definition", Value()}}, 1);
  AddRow("server_invocation",
         {{"server_name", T("s")}, {"result_cid", T("/r")}}, 1);
  auto server = ReadBoth([](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(server);
  ASSERT_OK(server.a);
  EXPECT_TRUE((*server.a)[Col("server", "definition_cid")].is_null());
  auto alias = ReadBoth([](Transaction& txn) { return txn.Get("alias", 1); });
  ExpectSame(alias);
  ASSERT_OK(alias.a);
  EXPECT_TRUE((*alias.a)[Col("alias", "definition")].is_null());
  auto inv = ReadBoth(
      [](Transaction& txn) { return txn.Get("server_invocation", 1); });
  ExpectSame(inv);
  ASSERT_OK(inv.a);
  for (const char* c :
       {"servers_cid", "variables_cid", "secrets_cid", "request_details_cid",
        "invocation_cid", "external_calls_cid"}) {
    EXPECT_TRUE((*inv.a)[Col("server_invocation", c)].is_null()) << c;
  }
  // Setting a nullable column back to NULL works on both.
  auto clear = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(
        txn.Update("server", 1, {{"definition_cid", T("/cid/x")}}));
    return txn.Update("server", 1, {{"definition_cid", Value()}});
  });
  ExpectSame(clear);
  EXPECT_OK(clear.a);
  EXPECT_EQ(Count("server", {Filter::IsNull("definition_cid")}).a.value_or(-1),
            1);
  ExpectSameContents();
}

TEST_P(Phase5Nulls, IsNullAndIsNotNull) {
  AddViews();
  auto nulls = Select("page_view", Q({Filter::IsNull("user_agent")}));
  ASSERT_OK(nulls.a);
  EXPECT_THAT(Ids(*nulls.a), ElementsAre(1, 3));
  auto set = Select("page_view", Q({Filter::IsNotNull("user_agent")}));
  ASSERT_OK(set.a);
  EXPECT_THAT(Ids(*set.a), ElementsAre(2, 4));
  // Every column of the row counts: ip_address is NULL everywhere.
  EXPECT_EQ(Count("page_view", {Filter::IsNull("ip_address")}).a.value_or(-1),
            4);
  auto both = Count("page_view", {Filter::IsNull("user_agent"),
                                  Filter::IsNotNull("user_agent")});
  EXPECT_EQ(both.a.value_or(-1), 0);
  ExpectSameContents();
}

TEST_P(Phase5Nulls, ComparisonsWithNullMatchNothing) {
  AddViews();
  for (const Filter& f :
       {Filter::Eq("user_agent", Value()), Filter::Ne("user_agent", Value()),
        Filter::Lt("user_agent", Value()), Filter::Ge("user_agent", Value()),
        Filter::In("user_agent", {Value()}), Filter::In("user_agent", {}),
        Filter::Prefix("user_agent", Value())}) {
    auto n = Count("page_view", {f});
    EXPECT_EQ(n.a.value_or(-1), 0) << f.DebugString();
  }
  // != skips NULL rows; IN ignores a NULL among real values.
  auto ne = Select("page_view", Q({Filter::Ne("user_agent", T("a-agent"))}));
  ASSERT_OK(ne.a);
  EXPECT_THAT(Ids(*ne.a), ElementsAre(2));
  auto in = Select("page_view",
                   Q({Filter::In("user_agent", {Value(), T("a-agent")})}));
  ASSERT_OK(in.a);
  EXPECT_THAT(Ids(*in.a), ElementsAre(4));
  auto upd = OnBoth([](Transaction& txn) {
    return txn.UpdateWhere("page_view", {Filter::Eq("user_agent", Value())},
                           {{"method", T("HEAD")}});
  });
  ExpectSame(upd);
  EXPECT_EQ(upd.a.value_or(-1), 0);
  ExpectSameContents();
}

TEST_P(Phase5Nulls, NullsSortFirstAscendingAndLastDescending) {
  AddViews();
  auto asc = Select("page_view", Q({}, {Asc("user_agent")}));
  ASSERT_OK(asc.a);
  EXPECT_THAT(Ids(*asc.a), ElementsAre(1, 3, 4, 2));
  // Ties (the two NULLs) stay in id order in both directions.
  auto desc = Select("page_view", Q({}, {Desc("user_agent")}));
  ASSERT_OK(desc.a);
  EXPECT_THAT(Ids(*desc.a), ElementsAre(2, 4, 1, 3));
  auto limited = Select("page_view", Q({}, {Desc("user_agent")}, 3));
  ASSERT_OK(limited.a);
  EXPECT_THAT(Ids(*limited.a), ElementsAre(2, 4, 1));
  ExpectSameContents();
}

TEST_P(Phase5Nulls, EmptyStringIsNotNull) {
  AddRow("server", Entity("empty", ""), 1);
  AddRow("alias", {{"name", T("empty")}, {"definition", T("")}}, 1);
  AddRow("alias", {{"name", T("null")}, {"definition", Value()}}, 2);
  auto r = OnBoth([](Transaction& txn) {
    return txn.Insert("server", {{"name", T("null")}, {"definition", Value()}});
  });
  ExpectSame(r);
  EXPECT_THAT(r.a, StatusIs(StatusCode::kInvalidArgument,
                            "NOT NULL constraint failed: server.definition"));
  auto empty = Select("alias", Q({Filter::Eq("definition", T(""))}));
  ASSERT_OK(empty.a);
  EXPECT_THAT(Ids(*empty.a), ElementsAre(1));
  auto null = Select("alias", Q({Filter::IsNull("definition")}));
  ASSERT_OK(null.a);
  EXPECT_THAT(Ids(*null.a), ElementsAre(2));
  auto prefix = Select("alias", Q({Filter::Prefix("definition", T(""))}));
  ASSERT_OK(prefix.a);
  EXPECT_THAT(Ids(*prefix.a), ElementsAre(1));
  auto order = Select("alias", Q({}, {Asc("definition")}));
  ASSERT_OK(order.a);
  EXPECT_THAT(Ids(*order.a), ElementsAre(2, 1));
  ExpectSameContents();
}

TEST_P(Phase5Nulls, AggregatesOverNulls) {
  AddViews();
  AddRow("page_view", {{"path", T("/5")}, {"user_agent", T("a-agent")}}, 5);
  auto distinct = ReadBoth([](Transaction& txn) {
    return txn.CountDistinct("page_view", "user_agent");
  });
  ExpectSame(distinct);
  EXPECT_EQ(distinct.a.value_or(-1), 2);
  auto groups = ReadBoth(
      [](Transaction& txn) { return txn.CountBy("page_view", "user_agent"); });
  ExpectSame(groups);
  ASSERT_OK(groups.a);
  EXPECT_THAT(*groups.a,
              ElementsAre(GroupCount{Value(), 2}, GroupCount{T("a-agent"), 2},
                          GroupCount{T("b-agent"), 1}));
  AddRow("cid", {{"path", T("/a")}, {"file_data", Value::Blob("x")}}, 1);
  auto sum_null =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(sum_null);
  EXPECT_EQ(sum_null.a.value_or(I(-1)), Value());
  AddRow("cid",
         {{"path", T("/b")},
          {"file_data", Value::Blob("yy")},
          {"file_size", I(2)}},
         2);
  auto sum =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(sum);
  EXPECT_EQ(sum.a.value_or(Value()), I(2));
  ExpectSameContents();
}

// ---------------------------------------------------- special characters

TEST_P(Phase5, QuotesAndSqlAreStoredLiterally) {
  const std::vector<std::string> names = {"'; DROP TABLE server; --",
                                          "\"double\"",
                                          "back\\slash\\",
                                          "it's",
                                          "semi;colon",
                                          "/* comment */",
                                          "?1 :name @x $y"};
  int64_t id = 1;
  for (const std::string& n : names) AddServer(n, n + " definition", id++);
  for (const std::string& n : names) {
    auto found = Select("server", Q({Filter::Eq("name", T(n))}));
    ASSERT_OK(found.a);
    ASSERT_EQ(found.a->size(), 1u) << n;
    EXPECT_EQ((*found.a)[0][Col("server", "definition")], T(n + " definition"));
  }
  EXPECT_EQ(Count("server", {}).a.value_or(-1),
            static_cast<int64_t>(names.size()));
  ExpectSameContents();
}

TEST_P(Phase5, PercentAndUnderscoreAreNotWildcards) {
  int64_t id = 1;
  for (const char* p : {"/a%b", "/a_b", "/axb", "/A_b", "/a\\b"}) {
    AddRow("cid", {{"path", T(p)}, {"file_data", Value::Blob(p)}}, id++);
  }
  auto pct = Select("cid", Q({Filter::Prefix("path", T("/a%"))}));
  ASSERT_OK(pct.a);
  EXPECT_THAT(Ids(*pct.a), ElementsAre(1));
  auto under = Select("cid", Q({Filter::Prefix("path", T("/a_"))}));
  ASSERT_OK(under.a);
  EXPECT_THAT(Ids(*under.a), ElementsAre(2));
  auto slash = Select("cid", Q({Filter::Prefix("path", T("/a\\"))}));
  ASSERT_OK(slash.a);
  EXPECT_THAT(Ids(*slash.a), ElementsAre(5));
  auto all_a =
      Select("cid", Q({Filter::Prefix("path", T("/a"))}, {Asc("path")}));
  ASSERT_OK(all_a.a);
  EXPECT_THAT(Ids(*all_a.a), ElementsAre(1, 5, 2, 3));
  auto gone = OnBoth([](Transaction& txn) {
    return txn.DeleteWhere("cid", {Filter::Prefix("path", T("/a_"))});
  });
  ExpectSame(gone);
  EXPECT_EQ(gone.a.value_or(-1), 1);
  ExpectSameContents();
}

TEST_P(Phase5, UnicodeAndEmoji) {
  const std::string hello =
      "Hello \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x8c\x8d caf\xc3\xa9 \xc3\xb1";
  AddServer("unicode-test", hello, 1);
  AddServer("\xc3\xa9t\xc3\xa9", "lower", 2);  // été
  AddServer("\xc3\x89t\xc3\xa9", "upper", 3);  // Été
  AddServer("\xf0\x9f\x98\x80", "emoji", 4);   // U+1F600
  AddServer("zebra", "ascii", 5);
  auto r = ReadBoth([](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(r);
  ASSERT_OK(r.a);
  EXPECT_EQ((*r.a)[Col("server", "definition")], T(hello));
  auto ordered = Select("server", Q({}, {Asc("name")}));
  ASSERT_OK(ordered.a);
  // Byte order: ASCII, then 0xC3 0x89 (É) before 0xC3 0xA9 (é), then 0xF0.
  EXPECT_THAT(Ids(*ordered.a), ElementsAre(1, 5, 3, 2, 4));
  auto prefix = Select("server", Q({Filter::Prefix("name", T("\xc3\xa9"))}));
  ASSERT_OK(prefix.a);
  EXPECT_THAT(Ids(*prefix.a), ElementsAre(2));
  auto emoji = Select(
      "server", Q({Filter::Prefix("definition", T("Hello \xe4\xb8\x96"))}));
  ASSERT_OK(emoji.a);
  EXPECT_THAT(Ids(*emoji.a), ElementsAre(1));
  ExpectSameContents();
}

TEST_P(Phase5, NulBytesAndNonUtf8BytesInText) {
  AddServer("a", "plain", 1);
  // Refused by both, the same way, when stored; searched for, they match
  // nothing stored.
  for (const std::string& text :
       {std::string("a\0b", 3), std::string("a\0", 2), std::string("a\xff")}) {
    auto add = OnBoth([&](Transaction& txn) {
      return txn.Insert("server", Entity(text, "def"));
    });
    ExpectSame(add);
    EXPECT_THAT(add.a,
                StatusIs(StatusCode::kInvalidArgument,
                         "TEXT must be UTF-8 without NUL bytes: server.name"));
    auto def = OnBoth([&](Transaction& txn) {
      return txn.Insert("server", Entity("b", text));
    });
    ExpectSame(def);
    auto find = ReadBoth([&](Transaction& txn) {
      return txn.Select("server", Q({Filter::Prefix("name", T(text))}));
    });
    ExpectSame(find);
    ASSERT_OK(find.a);
    EXPECT_THAT(Ids(*find.a), ElementsAre());
  }
  EXPECT_THAT(CommittedNames(), ElementsAre("a"));
  ExpectSameContents();
}

TEST_P(Phase5, VeryLongText) {
  std::string long_text;
  while (long_text.size() < 100 * 1024) {
    long_text += "line " + std::to_string(long_text.size()) + " \xe2\x9c\x93\n";
  }
  AddServer("long", long_text, 1);
  // An indexed column holds at most kMaxIndexedBytes (engine/store.h).
  auto too_long = OnBoth([&](Transaction& txn) {
    return txn.Insert("server", Entity(long_text, "long name"));
  });
  ExpectSame(too_long);
  EXPECT_THAT(too_long.a,
              StatusIs(StatusCode::kInvalidArgument,
                       "value too long for an indexed column (2048 bytes at "
                       "most): server.name"));
  const std::string longest(kMaxIndexedBytes, 'n');
  AddServer(longest, "long name", 2);
  auto row = ReadBoth([](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(row);
  ASSERT_OK(row.a);
  EXPECT_TRUE((*row.a)[Col("server", "definition")].text() == long_text);
  auto by_name = Select("server", Q({Filter::Eq("name", T(longest))}));
  ASSERT_OK(by_name.a);
  EXPECT_THAT(Ids(*by_name.a), ElementsAre(2));
  auto by_long = Select("server", Q({Filter::Eq("name", T(long_text))}));
  ASSERT_OK(by_long.a);
  EXPECT_THAT(Ids(*by_long.a), ElementsAre());
  auto prefix =
      Select("server",
             Q({Filter::Prefix("definition", T(long_text.substr(0, 50000)))}));
  ASSERT_OK(prefix.a);
  EXPECT_THAT(Ids(*prefix.a), ElementsAre(1));
  ExpectSameContents();
}

// ------------------------------------------------------------ timestamps

TEST_P(Phase5, TimestampsKeepMicroseconds) {
  const Timestamp odd{1'700'000'000'123'457};
  a_.clock().Set(odd);
  b_.clock().Set(odd);
  AddServer("auto", "a", 1);
  const Timestamp explicit_at{1'234'567'890'000'001};
  AddRow("server",
         {{"name", T("explicit")},
          {"definition", T("e")},
          {"created_at", At(explicit_at)},
          {"updated_at", At(Timestamp{explicit_at.micros + 999'999})}},
         2);
  auto rows = Select("server", Q({}));
  ASSERT_OK(rows.a);
  ASSERT_EQ(rows.a->size(), 2u);
  const size_t created = Col("server", "created_at");
  const size_t updated = Col("server", "updated_at");
  EXPECT_EQ((*rows.a)[0][created], At(odd));
  EXPECT_EQ((*rows.a)[0][updated], At(odd));
  EXPECT_EQ((*rows.a)[1][created], At(explicit_at));
  EXPECT_EQ((*rows.a)[1][updated], At(Timestamp{explicit_at.micros + 999'999}));
  ExpectSameContents();
}

TEST_P(Phase5, OrderingByTimeBreaksTiesById) {
  AddRow("page_view", {{"path", T("/first")}}, 1);
  Advance(absl::Microseconds(1));
  AddRow("page_view", {{"path", T("/second")}}, 2);
  AddRow("page_view", {{"path", T("/same-instant")}}, 3);
  Advance(absl::Microseconds(1));
  AddRow("page_view", {{"path", T("/last")}}, 4);
  // An explicit time earlier than everything, inserted last.
  AddRow("page_view", {{"path", T("/backdated")}, {"viewed_at", At(kStart)}},
         5);
  auto asc = Select("page_view", Q({}, {Asc("viewed_at")}));
  ASSERT_OK(asc.a);
  EXPECT_THAT(Ids(*asc.a), ElementsAre(1, 5, 2, 3, 4));
  auto desc = Select("page_view", Q({}, {Desc("viewed_at")}));
  ASSERT_OK(desc.a);
  EXPECT_THAT(Ids(*desc.a), ElementsAre(4, 2, 3, 1, 5));
  ExpectSameContents();
}

TEST_P(Phase5, TimeRangeFiltersHaveInclusiveBounds) {
  for (int64_t i = 1; i <= 5; ++i) {
    AddRow("export", {{"cid", T("/e" + std::to_string(i))}}, i);
    Advance(absl::Seconds(1));
  }
  const Timestamp second{kStart.micros + 1'000'000};
  const Timestamp fourth{kStart.micros + 3'000'000};
  auto closed = Select("export", Q({Filter::Ge("created_at", At(second)),
                                    Filter::Le("created_at", At(fourth))},
                                   {Desc("created_at")}));
  ASSERT_OK(closed.a);
  EXPECT_THAT(Ids(*closed.a), ElementsAre(4, 3, 2));
  auto open = Select("export", Q({Filter::Gt("created_at", At(second)),
                                  Filter::Lt("created_at", At(fourth))}));
  ASSERT_OK(open.a);
  EXPECT_THAT(Ids(*open.a), ElementsAre(3));
  // One microsecond off the bound excludes the row.
  auto off = Count("export",
                   {Filter::Ge("created_at", At(Timestamp{second.micros + 1})),
                    Filter::Le("created_at", At(fourth))});
  EXPECT_EQ(off.a.value_or(-1), 2);
  auto exact = Count("export", {Filter::Eq("created_at", At(fourth))});
  EXPECT_EQ(exact.a.value_or(-1), 1);
  ExpectSameContents();
}

TEST_P(Phase5, UpdatedAtIsSetToNowOnEveryUpdate) {
  AddServer("a", "1", 1);
  AddServer("b", "2", 2);
  Advance(absl::Seconds(10));
  auto one = OnBoth([](Transaction& txn) {
    return txn.Update("server", 1, {{"enabled", Bool(false)}});
  });
  ExpectSame(one);
  Advance(absl::Seconds(10));
  auto all = OnBoth([](Transaction& txn) {
    return txn.UpdateWhere("server", {Filter::Prefix("name", T(""))},
                           {{"definition", T("x")}});
  });
  ExpectSame(all);
  EXPECT_EQ(all.a.value_or(-1), 2);
  Advance(absl::Seconds(10));
  // An explicit updated_at wins over "now"; a failed update changes nothing.
  const Timestamp chosen{kStart.micros + 5};
  auto expl = OnBoth([&](Transaction& txn) {
    return txn.Update("server", 2, {{"updated_at", At(chosen)}});
  });
  ExpectSame(expl);
  auto failed = OnBoth([](Transaction& txn) {
    return txn.Update("server", 1, {{"name", T("b")}});
  });
  ExpectSame(failed);
  EXPECT_THAT(failed.a, StatusIs(StatusCode::kAlreadyExists));
  auto rows = Select("server", Q({}));
  ASSERT_OK(rows.a);
  const Timestamp t20{kStart.micros + 20'000'000};
  EXPECT_EQ(*rows.a,
            (std::vector<Row>{Row{{I(1), T("a"), T("x"), Value(), At(kStart),
                                   At(t20), Bool(false)}},
                              Row{{I(2), T("b"), T("x"), Value(), At(kStart),
                                   At(chosen), Bool(true)}}}));
  ExpectSameContents();
}

TEST_P(Phase5, TimestampRangeEnds) {
  const Timestamp epoch{0};
  const Timestamp last{Timestamp::kMaxMicros};
  AddRow("export", {{"cid", T("/max")}, {"created_at", At(last)}}, 1);
  AddRow("export", {{"cid", T("/epoch")}, {"created_at", At(epoch)}}, 2);
  auto rows = Select("export", Q({}, {Asc("created_at")}));
  ASSERT_OK(rows.a);
  EXPECT_EQ(*rows.a, (std::vector<Row>{Row{{I(2), T("/epoch"), At(epoch)}},
                                       Row{{I(1), T("/max"), At(last)}}}));
  auto bad = OnBoth([](Transaction& txn) {
    return txn.Insert("export",
                      {{"cid", T("/neg")}, {"created_at", At(Timestamp{-1})}});
  });
  ExpectSame(bad);
  EXPECT_THAT(bad.a, StatusIs(StatusCode::kInvalidArgument,
                              "timestamp out of range for export.created_at "
                              "(1970-01-01 to 9999-12-31)"));
  ExpectSameContents();
}

INSTANTIATE_TEST_SUITE_P(Compare, Phase5Nulls, AllPairs(), PairParamName);

}  // namespace
}  // namespace viewer::testing
