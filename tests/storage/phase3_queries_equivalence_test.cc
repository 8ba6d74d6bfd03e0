// The plan's phase 3 ("database equivalence tests") in C++, second half:
// the page_view, entity_interactions, server_invocation and export tables,
// then checks across all tables (ids, ordering, id ranges, limits and
// offsets, sum overflow). Each operation runs on two backends (each against
// the reference one, tests/storage/backends.h), with whole rows and errors
// compared field by field, and each result also checked against the value it
// must have. The first half is phase3_tables_equivalence_test.cc.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/status_macros.h"
#include "tests/storage/equivalence_helpers.h"
#include "tests/storage/phase3_fixture.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::ElementsAre;

// ------------------------------------------------------------- page_view

TEST_P(Phase3, PageViewCreateWithDefaults) {
  AddOk("page_view",
        {{"path", T("/test/page")},
         {"method", T("GET")},
         {"user_agent", T("TestAgent/1.0")},
         {"ip_address", T("192.168.1.1")}},
        1);
  Advance(absl::Microseconds(7));
  AddOk("page_view", {{"path", T("/bare")}}, 2);
  auto rows = Select("page_view", Q({}));
  ASSERT_OK(rows.a);
  EXPECT_EQ(
      *rows.a,
      (std::vector<Row>{Row{{I(1), T("/test/page"), T("GET"),
                             T("TestAgent/1.0"), T("192.168.1.1"), At(kStart)}},
                        Row{{I(2), T("/bare"), T("GET"), Value(), Value(),
                             At(Timestamp{kStart.micros + 7})}}}));
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("page_view", {{"method", T("POST")}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: page_view.path");
  ExpectSameContents();
}

TEST_P(Phase3, PageViewAggregation) {
  int64_t id = 1;
  for (auto [path, method] :
       std::vector<std::pair<const char*, const char*>>{{"/page1", "GET"},
                                                        {"/page1", "GET"},
                                                        {"/page2", "POST"},
                                                        {"/page1", "GET"},
                                                        {"/page3", "GET"},
                                                        {"/page2", "GET"}}) {
    AddOk("page_view", {{"path", T(path)}, {"method", T(method)}}, id++);
  }
  auto by_path = ReadBoth(
      [](Transaction& txn) { return txn.CountBy("page_view", "path"); });
  ExpectSame(by_path);
  ASSERT_OK(by_path.a);
  EXPECT_THAT(*by_path.a, ElementsAre(GroupCount{T("/page1"), 3},
                                      GroupCount{T("/page2"), 2},
                                      GroupCount{T("/page3"), 1}));
  auto distinct = ReadBoth(
      [](Transaction& txn) { return txn.CountDistinct("page_view", "path"); });
  ExpectSame(distinct);
  EXPECT_EQ(distinct.a.value_or(-1), 3);
  auto get_only = ReadBoth([](Transaction& txn) {
    return txn.CountBy("page_view", "path", {Filter::Eq("method", T("GET"))});
  });
  ExpectSame(get_only);
  ASSERT_OK(get_only.a);
  EXPECT_THAT(*get_only.a, ElementsAre(GroupCount{T("/page1"), 3},
                                       GroupCount{T("/page2"), 1},
                                       GroupCount{T("/page3"), 1}));
  auto methods = ReadBoth(
      [](Transaction& txn) { return txn.CountBy("page_view", "method"); });
  ExpectSame(methods);
  ASSERT_OK(methods.a);
  EXPECT_THAT(*methods.a,
              ElementsAre(GroupCount{T("GET"), 5}, GroupCount{T("POST"), 1}));
  ExpectSameContents();
}

TEST_P(Phase3, PageViewPopularPathsAndNewestFirstPages) {
  const std::vector<const char*> paths = {"/b", "/a", "/c", "/a", "/b",
                                          "/d", "/a", "/c", "/b"};
  int64_t id = 1;
  for (const char* p : paths) {
    AddOk("page_view", {{"path", T(p)}}, id++);
    Advance(absl::Seconds(1));
  }
  // Popular paths: CountBy, then most views first, ties by path.
  auto groups = ReadBoth(
      [](Transaction& txn) { return txn.CountBy("page_view", "path"); });
  ExpectSame(groups);
  ASSERT_OK(groups.a);
  std::vector<GroupCount> popular = *groups.a;
  std::stable_sort(popular.begin(), popular.end(),
                   [](const GroupCount& a, const GroupCount& b) {
                     return a.count > b.count;
                   });
  EXPECT_THAT(popular,
              ElementsAre(GroupCount{T("/a"), 3}, GroupCount{T("/b"), 3},
                          GroupCount{T("/c"), 2}, GroupCount{T("/d"), 1}));
  // Paginate newest first: page 2 of size 3.
  auto page = Select("page_view", Q({}, {Desc("viewed_at")}, 3, 3));
  ASSERT_OK(page.a);
  EXPECT_THAT(Ids(*page.a), ElementsAre(6, 5, 4));
  auto last = Select("page_view", Q({}, {Desc("viewed_at")}, 3, 8));
  ASSERT_OK(last.a);
  EXPECT_THAT(Ids(*last.a), ElementsAre(1));
  ExpectSameContents();
}

TEST_P(Phase3, PrefixIsCaseSensitiveWithOrWithoutAnIndex) {
  // page_view.path and user_agent have no index; server.name has one.
  int64_t id = 1;
  for (auto [path, agent] : std::vector<std::pair<const char*, const char*>>{
           {"/Docs", "Mozilla/5.0"},
           {"/docs", "mozilla/4.0"},
           {"/DOCS/x", "MOZILLA"},
           {"/d", "Mozill"}}) {
    AddOk("page_view", {{"path", T(path)}, {"user_agent", T(agent)}}, id++);
  }
  AddOk("server", Entity("Abc", "x"), 1);
  AddOk("server", Entity("abc", "y"), 2);
  AddOk("server", Entity("ABC", "z"), 3);
  auto agents =
      Select("page_view", Q({Filter::Prefix("user_agent", T("Mozilla"))}));
  ASSERT_OK(agents.a);
  EXPECT_THAT(Ids(*agents.a), ElementsAre(1));
  auto paths = Count("page_view", {Filter::Prefix("path", T("/do"))});
  EXPECT_EQ(paths.a.value_or(-1), 1);
  auto names = Select("server", Q({Filter::Prefix("name", T("ab"))}));
  ASSERT_OK(names.a);
  EXPECT_THAT(Ids(*names.a), ElementsAre(2));
  auto defs = Count("server", {Filter::Prefix("definition", T("X"))});
  EXPECT_EQ(defs.a.value_or(-1), 0);
  auto upd = OnBoth([](Transaction& txn) {
    return txn.UpdateWhere("page_view", {Filter::Prefix("path", T("/DOCS"))},
                           {{"method", T("POST")}});
  });
  ExpectSame(upd);
  EXPECT_EQ(upd.a.value_or(-1), 1);
  auto del = OnBoth([](Transaction& txn) {
    return txn.DeleteWhere("server", {Filter::Prefix("name", T("A"))});
  });
  ExpectSame(del);
  EXPECT_EQ(del.a.value_or(-1), 2);
  ExpectSameContents();
}

// --------------------------------------------------- entity_interactions

TEST_P(Phase3, InteractionsRecordAndListNewestFirst) {
  auto add = [&](const char* type, const char* name, const char* action,
                 Value message, int64_t want) {
    AddOk("entity_interactions",
          {{"entity_type", T(type)},
           {"entity_name", T(name)},
           {"action", T(action)},
           {"message", std::move(message)},
           {"content", T("{\"key\": \"value\"}")}},
          want);
  };
  add("Server", "test-server", "create", T("Server created"), 1);
  Advance(absl::Seconds(1));
  add("Alias", "test-server", "create", Value(), 2);
  add("Server", "test-server", "save", T("saved"), 3);  // same instant as 2
  Advance(absl::Seconds(1));
  add("Server", "other", "create", T("x"), 4);

  auto recent = Select("entity_interactions", Q({}, {Desc("created_at")}, 3));
  ASSERT_OK(recent.a);
  EXPECT_THAT(Ids(*recent.a), ElementsAre(4, 2, 3));
  auto for_entity = Select("entity_interactions",
                           Q({Filter::Eq("entity_type", T("Server")),
                              Filter::Eq("entity_name", T("test-server"))},
                             {Desc("created_at")}));
  ASSERT_OK(for_entity.a);
  EXPECT_THAT(Texts(*for_entity.a, "entity_interactions", "action"),
              ElementsAre("save", "create"));
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("entity_interactions", {{"entity_type", T("Server")},
                                                  {"entity_name", T("n")},
                                                  {"action", T("a")}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: entity_interactions.content");
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("entity_interactions", {{"entity_type", T("Server")},
                                                  {"entity_name", T("n")},
                                                  {"action", T("a")},
                                                  {"content", T("c")},
                                                  {"created_at", Value()}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: entity_interactions.created_at");
  ExpectSameContents();
}

// ----------------------------------------------------- server_invocation

TEST_P(Phase3, InvocationsCreateAndLookUpByCids) {
  AddOk("server_invocation",
        {{"server_name", T("test-server")},
         {"result_cid", T("/cid/result123")},
         {"servers_cid", T("/cid/servers456")},
         {"variables_cid", T("/cid/vars789")},
         {"secrets_cid", T("/cid/secrets012")},
         {"request_details_cid", T("/cid/request345")},
         {"invocation_cid", T("/cid/invoke678")}},
        1);
  Advance(absl::Seconds(2));
  AddOk("server_invocation",
        {{"server_name", T("test-server")}, {"result_cid", T("/cid/r2")}}, 2);
  AddOk("server_invocation",
        {{"server_name", T("other")},
         {"result_cid", T("/cid/result123")},
         {"external_calls_cid", T("/cid/ext")}},
        3);
  auto r = Get("server_invocation", 1);
  ASSERT_OK(r.a);
  EXPECT_EQ(*r.a, (Row{{I(1), T("test-server"), T("/cid/result123"),
                        T("/cid/servers456"), T("/cid/vars789"),
                        T("/cid/secrets012"), T("/cid/request345"),
                        T("/cid/invoke678"), Value(), At(kStart)}}));
  auto by_server = Select(
      "server_invocation",
      Q({Filter::Eq("server_name", T("test-server"))}, {Desc("invoked_at")}));
  ASSERT_OK(by_server.a);
  EXPECT_THAT(Ids(*by_server.a), ElementsAre(2, 1));
  auto by_result = Select(
      "server_invocation",
      Q({Filter::In("result_cid", {T("/cid/result123"), T("/cid/none")})}));
  ASSERT_OK(by_result.a);
  EXPECT_THAT(Ids(*by_result.a), ElementsAre(1, 3));
  auto by_invocation =
      Select("server_invocation",
             Q({Filter::Eq("invocation_cid", T("/cid/invoke678"))}));
  ASSERT_OK(by_invocation.a);
  EXPECT_THAT(Ids(*by_invocation.a), ElementsAre(1));
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("server_invocation", {{"server_name", T("s")}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: server_invocation.result_cid");
  ExpectSameContents();
}

// ---------------------------------------------------------------- export

TEST_P(Phase3, ExportsRecordAndList) {
  AddOk("export", {{"cid", T("/cid/export123")}}, 1);
  Advance(absl::Minutes(5));
  AddOk("export", {{"cid", T("/cid/export456")}}, 2);
  AddOk("export", {{"cid", T("/cid/export123")}}, 3);  // not unique
  auto rows = Select("export", Q({}, {Desc("created_at")}));
  ASSERT_OK(rows.a);
  const Timestamp later{kStart.micros + 300'000'000};
  EXPECT_EQ(*rows.a,
            (std::vector<Row>{Row{{I(2), T("/cid/export456"), At(later)}},
                              Row{{I(3), T("/cid/export123"), At(later)}},
                              Row{{I(1), T("/cid/export123"), At(kStart)}}}));
  EXPECT_EQ(
      Count("export", {Filter::Eq("cid", T("/cid/export123"))}).a.value_or(-1),
      2);
  ExpectRejected([](Transaction& txn) { return txn.Insert("export", {}); },
                 StatusCode::kInvalidArgument,
                 "NOT NULL constraint failed: export.cid");
  ExpectSameContents();
}

// ------------------------------------------------------------ all tables

TEST_P(Phase3, IdsAreMaxPlusOneAndReusedAfterDeletingTheHighest) {
  for (int64_t i = 1; i <= 3; ++i) {
    AddOk("export", {{"cid", T("/e" + std::to_string(i))}}, i);
  }
  auto d = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(txn.Delete("export", 3));
    return txn.Delete("export", 1);
  });
  ExpectSame(d);
  EXPECT_OK(d.a);
  // 3 was the highest and is used again; 1 is not, as in SQLite.
  AddOk("export", {{"cid", T("/again")}}, 3);
  AddOk("export", {{"cid", T("/next")}}, 4);
  ExpectSameContents();
}

TEST_P(Phase3, EveryTableInOneTransaction) {
  auto r = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(
        txn.Insert("cid", {{"path", T("/c")}, {"file_data", B("d")}}).status());
    VIEWER_RETURN_IF_ERROR(
        txn.Insert("page_view", {{"path", T("/")}}).status());
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("s", "d")).status());
    VIEWER_RETURN_IF_ERROR(txn.Insert("alias", {{"name", T("a")}}).status());
    VIEWER_RETURN_IF_ERROR(
        txn.Insert("entity_interactions", {{"entity_type", T("server")},
                                           {"entity_name", T("s")},
                                           {"action", T("create")},
                                           {"content", T("d")}})
            .status());
    VIEWER_RETURN_IF_ERROR(txn.Insert("variable", Entity("v", "1")).status());
    VIEWER_RETURN_IF_ERROR(txn.Insert("secret", Entity("k", "2")).status());
    VIEWER_RETURN_IF_ERROR(
        txn.Insert("server_invocation",
                   {{"server_name", T("s")}, {"result_cid", T("/r")}})
            .status());
    return txn.Insert("export", {{"cid", T("/c")}}).status();
  });
  ExpectSame(r);
  EXPECT_OK(r.a);
  for (const TableSchema& t : AppCatalog().tables()) {
    auto n = Count(t.name());
    EXPECT_EQ(n.a.value_or(-1), 1) << t.name();
  }
  auto stats =
      Both<absl::StatusOr<StoreStats>>{a_.store().Stats(), b_.store().Stats()};
  ASSERT_OK(stats.a);
  ASSERT_OK(stats.b);
  ASSERT_EQ(stats.a->tables.size(), stats.b->tables.size());
  for (size_t i = 0; i < stats.a->tables.size(); ++i) {
    EXPECT_EQ(stats.a->tables[i].table, stats.b->tables[i].table);
    EXPECT_EQ(stats.a->tables[i].rows, stats.b->tables[i].rows);
  }
  ExpectSameContents();
}

TEST_P(Phase3, OrderByTwoColumnsAndFilterOnId) {
  AddOk("server", Entity("d", "1"), 1);
  AddOk("server",
        {{"name", T("c")}, {"definition", T("2")}, {"enabled", Bool(false)}},
        2);
  AddOk("server", Entity("b", "1"), 3);
  AddOk("server",
        {{"name", T("a")}, {"definition", T("2")}, {"enabled", Bool(false)}},
        4);
  auto rows = Select("server", Q({}, {Desc("enabled"), Asc("name")}));
  ASSERT_OK(rows.a);
  EXPECT_THAT(Ids(*rows.a), ElementsAre(3, 1, 4, 2));
  auto by_def = Select("server", Q({}, {Asc("definition"), Desc("name")}));
  ASSERT_OK(by_def.a);
  EXPECT_THAT(Ids(*by_def.a), ElementsAre(1, 3, 2, 4));
  auto ids =
      Select("server",
             Q({Filter::Gt("id", I(1)), Filter::Ne("id", I(3))}, {Desc("id")}));
  ASSERT_OK(ids.a);
  EXPECT_THAT(Ids(*ids.a), ElementsAre(4, 2));
  auto in = Select("server", Q({Filter::In("id", {I(4), I(1), I(99)})}));
  ASSERT_OK(in.a);
  EXPECT_THAT(Ids(*in.a), ElementsAre(1, 4));
  auto by_enabled = ReadBoth(
      [](Transaction& txn) { return txn.CountBy("server", "enabled"); });
  ExpectSame(by_enabled);
  ASSERT_OK(by_enabled.a);
  EXPECT_THAT(*by_enabled.a, ElementsAre(GroupCount{Bool(false), 2},
                                         GroupCount{Bool(true), 2}));
  // Moving rows out of the range being updated (the "Halloween" case).
  auto moved = OnBoth([](Transaction& txn) {
    return txn.UpdateWhere("server", {Filter::Ge("name", T("b"))},
                           {{"name", T("zz")}, {"enabled", Bool(true)}});
  });
  ExpectSame(moved);
  EXPECT_THAT(moved.a, StatusIs(StatusCode::kAlreadyExists,
                                "UNIQUE constraint failed: server.name"));
  auto one = OnBoth([](Transaction& txn) {
    return txn.UpdateWhere("server", {Filter::Ge("name", T("d"))},
                           {{"name", T("e")}});
  });
  ExpectSame(one);
  EXPECT_EQ(one.a.value_or(-1), 1);
  ExpectSameContents();
}

// Id ranges that select nothing, or run past either end of the table,
// in both directions.
TEST_P(Phase3, EmptyAndOutOfRangeIdRanges) {
  for (int64_t i = 1; i <= 4; ++i) {
    AddOk("export", {{"cid", T("/e" + std::to_string(i))}}, i);
  }
  using Filters = std::vector<Filter>;
  const std::vector<std::pair<Filters, std::vector<int64_t>>> cases = {
      {{Filter::Gt("id", I(10)), Filter::Lt("id", I(3))}, {}},
      {{Filter::Gt("id", I(3)), Filter::Lt("id", I(2))}, {}},
      {{Filter::Gt("id", I(2)), Filter::Lt("id", I(3))}, {}},
      {{Filter::Ge("id", I(3)), Filter::Le("id", I(3))}, {3}},
      {{Filter::Gt("id", I(10))}, {}},
      {{Filter::Lt("id", I(1))}, {}},
      {{Filter::Ge("id", I(-5)), Filter::Le("id", I(99))}, {1, 2, 3, 4}},
  };
  for (const auto& [where, want] : cases) {
    for (bool desc : {false, true}) {
      std::string trace;
      for (const Filter& f : where) trace += f.DebugString() + " ";
      SCOPED_TRACE(trace + (desc ? "DESC" : "ASC"));
      auto rows = Select("export", Q(where, {Order{"id", desc}}));
      ASSERT_OK(rows.a);
      std::vector<int64_t> expected = want;
      if (desc) std::reverse(expected.begin(), expected.end());
      EXPECT_EQ(Ids(*rows.a), expected);
      EXPECT_EQ(Count("export", where).a.value_or(-1),
                static_cast<int64_t>(want.size()));
    }
  }
  ExpectSameContents();
}

class Phase3Limits : public Phase3 {
 protected:
  static constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  // page_view rows 1-5 with user agents e c a d b. user_agent has no index
  // (the memory engine collects and sorts); viewed_at has one (it walks
  // the index in order).
  void AddViews() {
    int64_t id = 1;
    for (const char* agent : {"e", "c", "a", "d", "b"}) {
      AddOk("page_view", {{"path", T("/")}, {"user_agent", T(agent)}}, id++);
    }
  }
};

TEST_P(Phase3Limits, ZeroLimitBigOffsetAndNegatives) {
  AddViews();
  for (const char* column : {"user_agent", "viewed_at"}) {
    SCOPED_TRACE(column);
    auto none = Select("page_view", Q({}, {Asc(column)}, 0));
    ASSERT_OK(none.a);
    EXPECT_TRUE(none.a->empty());
    auto big_offset = Select("page_view", Q({}, {Desc(column)}, 1, kMax));
    ASSERT_OK(big_offset.a);
    EXPECT_TRUE(big_offset.a->empty());
    auto past_end = Select("page_view", Q({}, {Asc(column)}, std::nullopt, 5));
    ASSERT_OK(past_end.a);
    EXPECT_TRUE(past_end.a->empty());
    auto page = Select("page_view", Q({}, {Asc(column)}, 2, 1));
    ASSERT_OK(page.a);
    EXPECT_EQ(page.a->size(), 2u);
  }
  auto negative = Select("page_view", Q({}, {}, -1));
  EXPECT_THAT(negative.a, StatusIs(StatusCode::kInvalidArgument,
                                   "LIMIT must not be negative"));
  auto neg_offset = Select("page_view", Q({}, {}, std::nullopt, -1));
  EXPECT_THAT(neg_offset.a, StatusIs(StatusCode::kInvalidArgument,
                                     "OFFSET must not be negative"));
  ExpectSameContents();
}

TEST_P(Phase3Limits, HugeLimitWithAnOffsetOnAnIndexWalk) {
  AddViews();
  auto rest = Select("page_view", Q({}, {Asc("viewed_at")}, kMax, 1));
  ASSERT_OK(rest.a);
  EXPECT_THAT(Ids(*rest.a), ElementsAre(2, 3, 4, 5));
  ExpectSameContents();
}

// "No limit" spelled as INT64_MAX with an offset, where rows must be
// sorted: SQLite returns the rows after the offset.
TEST_P(Phase3Limits, HugeLimitWithAnOffsetOnASortedQuery) {
  AddViews();
  auto rest = Select("page_view", Q({}, {Asc("user_agent")}, kMax, 3));
  ASSERT_OK(rest.a);
  EXPECT_THAT(Texts(*rest.a, "page_view", "user_agent"), ElementsAre("d", "e"));
  ExpectSameContents();
}

TEST_P(Phase3, SumOverflowIsAnError) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  AddOk("cid",
        {{"path", T("/a")}, {"file_data", B("a")}, {"file_size", I(kMax)}}, 1);
  auto max =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(max);
  EXPECT_EQ(max.a.value_or(Value()), I(kMax));
  AddOk("cid", {{"path", T("/b")}, {"file_data", B("b")}, {"file_size", I(1)}},
        2);
  auto over =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(over);
  EXPECT_THAT(over.a, StatusIs(StatusCode::kOutOfRange, "integer overflow"));
  auto one = ReadBoth([](Transaction& txn) {
    return txn.Sum("cid", "file_size", {Filter::Eq("path", T("/b"))});
  });
  ExpectSame(one);
  EXPECT_EQ(one.a.value_or(Value()), I(1));
  ExpectSameContents();
}

INSTANTIATE_TEST_SUITE_P(Compare, Phase3Limits, AllPairs(), PairParamName);

}  // namespace
}  // namespace viewer::testing
