// The plan's phase 4.5-4.7 (page views, interactions, invocations) and
// exports: every repository call made on two backends (each against the
// reference one), results compared whole (tests/app/repository_fixture.h).
#include <string>
#include <vector>

#include "app/cid.h"
#include "app/exports.h"
#include "app/interactions.h"
#include "app/invocations.h"
#include "app/page_views.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/repository_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ---- 4.5 page views
// -------------------------------------------------------------

class PageViewEquivalenceTest : public RepositoryEquivalenceTest {
 protected:
  // Views at t0, t0+1s, ... one per path given.
  void SaveAll(const std::vector<std::string>& paths) {
    for (const std::string& p : paths) {
      auto r = Same([&](Transaction& t) {
        return SavePageView(
            t,
            {.path = p, .user_agent = "test-agent", .ip_address = "127.0.0.1"});
      });
      EXPECT_OK(r);
      Advance(absl::Seconds(1));
    }
  }
  Timestamp At(int seconds) const {
    return Timestamp{t0_.micros + int64_t{seconds} * 1'000'000};
  }
  const Timestamp t0_{1'700'000'000'000'000};
};

TEST_P(PageViewEquivalenceTest, SaveReturnsTheRow) {
  auto v = Same([](Transaction& t) {
    return SavePageView(t, {.path = "/servers", .method = "POST"});
  });
  ASSERT_OK(v);
  EXPECT_EQ(v->id, 1);
  EXPECT_EQ(v->path, "/servers");
  EXPECT_EQ(v->method, "POST");
  EXPECT_EQ(v->user_agent, std::nullopt);
  EXPECT_EQ(v->viewed_at, t0_);
  auto get =
      Same([](Transaction& t) { return SavePageView(t, {.path = "/"}); });
  EXPECT_EQ(get->method, "GET");
  ExpectSameContents();
}

TEST_P(PageViewEquivalenceTest, CountsWithInclusiveBounds) {
  SaveAll({"/a", "/b", "/a", "/c", "/a"});  // at t0 .. t0+4s
  auto count = [&](std::optional<Timestamp> s, std::optional<Timestamp> e) {
    return *SameRead([&](Transaction& t) { return CountPageViews(t, s, e); });
  };
  auto distinct = [&](std::optional<Timestamp> s, std::optional<Timestamp> e) {
    return *SameRead(
        [&](Transaction& t) { return CountDistinctPaths(t, s, e); });
  };
  EXPECT_EQ(count(std::nullopt, std::nullopt), 5);
  EXPECT_EQ(count(At(1), At(3)), 3);  // both ends included
  EXPECT_EQ(count(At(1), std::nullopt), 4);
  EXPECT_EQ(count(std::nullopt, At(0)), 1);
  EXPECT_EQ(count(At(3), At(1)), 0);
  EXPECT_EQ(count(Timestamp{At(1).micros + 1}, Timestamp{At(3).micros - 1}), 1);
  EXPECT_EQ(distinct(std::nullopt, std::nullopt), 3);
  EXPECT_EQ(distinct(At(2), At(4)), 2);
  EXPECT_EQ(distinct(At(4), At(4)), 1);
}

TEST_P(PageViewEquivalenceTest, PopularPathsMostViewedFirstThenByPath) {
  SaveAll({"/b", "/a", "/c", "/b", "/a", "/d", "/B"});
  auto top = SameRead([](Transaction& t) { return PopularPaths(t, 10); });
  EXPECT_THAT(*top, ElementsAre(PathCount{"/a", 2}, PathCount{"/b", 2},
                                PathCount{"/B", 1}, PathCount{"/c", 1},
                                PathCount{"/d", 1}));
  EXPECT_THAT(*SameRead([](Transaction& t) { return PopularPaths(t, 1); }),
              ElementsAre(PathCount{"/a", 2}));
  EXPECT_THAT(SameRead([](Transaction& t) { return PopularPaths(t, -2); }),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(PageViewEquivalenceTest, PagesAreNewestFirst) {
  SaveAll({"/1", "/2", "/3", "/4", "/5"});
  // Two views in the same microsecond: the later insert comes first.
  SaveAll({});
  Do([](Transaction& t) { return SavePageView(t, {.path = "/6"}); });
  Do([](Transaction& t) { return SavePageView(t, {.path = "/7"}); });
  auto page = [&](int64_t n, int64_t per,
                  std::optional<Timestamp> s = std::nullopt,
                  std::optional<Timestamp> e = std::nullopt) {
    return SameRead([&](Transaction& t) { return PageViews(t, n, per, s, e); });
  };
  auto paths = [](const PageViewPage& p) {
    std::vector<std::string> out;
    for (const PageView& v : p.views) out.push_back(v.path);
    return out;
  };
  auto p1 = page(1, 3);
  ASSERT_OK(p1);
  EXPECT_THAT(paths(*p1), ElementsAre("/7", "/6", "/5"));
  EXPECT_EQ(p1->total, 7);
  EXPECT_EQ(p1->pages(), 3);
  EXPECT_THAT(paths(*page(2, 3)), ElementsAre("/4", "/3", "/2"));
  EXPECT_THAT(paths(*page(3, 3)), ElementsAre("/1"));
  EXPECT_THAT(paths(*page(4, 3)), IsEmpty());
  EXPECT_THAT(paths(*page(int64_t{1} << 62, 1000)), IsEmpty());
  auto bounded = page(1, 10, At(1), At(3));
  EXPECT_THAT(paths(*bounded), ElementsAre("/4", "/3", "/2"));
  EXPECT_EQ(bounded->total, 3);
  EXPECT_THAT(page(0, 3), StatusIs(absl::StatusCode::kInvalidArgument,
                                   "page must be >= 1, got 0"));
  EXPECT_THAT(page(1, 0), StatusIs(absl::StatusCode::kInvalidArgument,
                                   "per_page must be 1-1000, got 0"));
  EXPECT_THAT(page(1, 1001), StatusIs(absl::StatusCode::kInvalidArgument));
}

// ---- 4.6 interactions
// -------------------------------------------------------------

TEST_P(RepositoryEquivalenceTest, InteractionRecordReturnsTheRow) {
  auto i = Same([](Transaction& t) {
    return RecordInteraction(t, {.entity_type = "server",
                                 .entity_name = "s",
                                 .action = "ai",
                                 .message = "asked for help",
                                 .content = "def main(): pass"});
  });
  ASSERT_OK(i);
  EXPECT_EQ(i->id, 1);
  EXPECT_EQ(i->message, "asked for help");
  EXPECT_EQ(i->created_at, a_.clock().Now());
  auto none = Same([](Transaction& t) {
    return RecordInteraction(t, {.entity_type = "alias",
                                 .entity_name = "a",
                                 .action = "x",
                                 .content = ""});
  });
  EXPECT_EQ(none->message, std::nullopt);
  ExpectSameContents();
}

TEST_P(RepositoryEquivalenceTest, InteractionMessageIsCutAt500Characters) {
  // 499 ASCII characters then "é" (2 bytes) and "€" (3 bytes): the cut
  // keeps 500 characters, 501 bytes, and never splits a character.
  const std::string long_message =
      std::string(499, 'm') + "\xc3\xa9" + "\xe2\x82\xac";
  auto i = Same([&](Transaction& t) {
    return RecordInteraction(t, {.entity_type = "server",
                                 .entity_name = "s",
                                 .action = "update",
                                 .message = long_message,
                                 .content = "c"});
  });
  ASSERT_OK(i);
  EXPECT_EQ(*i->message, std::string(499, 'm') + "\xc3\xa9");
  const std::string exactly(500, 'x');
  auto j = Same([&](Transaction& t) {
    return RecordInteraction(t, {.entity_type = "server",
                                 .entity_name = "s",
                                 .action = "update",
                                 .message = exactly,
                                 .content = "c"});
  });
  EXPECT_EQ(*j->message, exactly);
  EXPECT_EQ(TruncateUtf8("\xe2\x82\xac\xe2\x82\xac", 1), "\xe2\x82\xac");
  EXPECT_EQ(TruncateUtf8("ab", 0), "");
  ExpectSameContents();
}

TEST_P(RepositoryEquivalenceTest, InteractionsRecentAndAllForOneEntity) {
  auto record = [&](const char* type, const char* name, const char* action) {
    Do([&](Transaction& t) {
      return RecordInteraction(t, {.entity_type = type,
                                   .entity_name = name,
                                   .action = action,
                                   .content = ""});
    });
  };
  record("server", "s", "a1");
  Advance(absl::Seconds(1));
  record("server", "s", "a2");
  record("server", "s", "a3");  // same instant as a2
  record("server", "other", "o1");
  record("alias", "s", "x1");  // same name, other type
  Advance(absl::Seconds(1));
  record("server", "s", "a4");
  auto actions = [](const std::vector<Interaction>& list) {
    std::vector<std::string> out;
    for (const Interaction& i : list) out.push_back(i.action);
    return out;
  };
  EXPECT_THAT(actions(*SameRead([](Transaction& t) {
                return RecentInteractions(t, "server", "s", 3);
              })),
              ElementsAre("a4", "a3", "a2"));
  EXPECT_THAT(actions(*SameRead([](Transaction& t) {
                return AllInteractions(t, "server", "s");
              })),
              ElementsAre("a1", "a2", "a3", "a4"));
  EXPECT_THAT(*SameRead([](Transaction& t) {
    return RecentInteractions(t, "variable", "s", 5);
  }),
              IsEmpty());
  EXPECT_THAT(SameRead([](Transaction& t) {
                return RecentInteractions(t, "server", "s", -1);
              }),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// ---- 4.7 invocations
// --------------------------------------------------------------

class InvocationEquivalenceTest : public RepositoryEquivalenceTest {
 protected:
  Invocation Make(const InvocationInput& input) {
    auto r = Same([&](Transaction& t) { return CreateInvocation(t, input); });
    EXPECT_OK(r);
    return r.ok() ? *r : Invocation{};
  }
  static std::vector<int64_t> Ids(const std::vector<Invocation>& list) {
    std::vector<int64_t> ids;
    for (const Invocation& i : list) ids.push_back(i.id);
    return ids;
  }
};

TEST_P(InvocationEquivalenceTest, CreateStoresEveryColumn) {
  Invocation i = Make({.server_name = "echo",
                       .result_cid = "R1",
                       .servers_cid = "S",
                       .variables_cid = "V",
                       .secrets_cid = "X",
                       .request_details_cid = "Q",
                       .invocation_cid = "I",
                       .external_calls_cid = "E"});
  EXPECT_EQ(i.id, 1);
  EXPECT_EQ(i.external_calls_cid, "E");
  EXPECT_EQ(i.invoked_at, a_.clock().Now());
  Invocation bare = Make({.server_name = "echo", .result_cid = "R2"});
  EXPECT_EQ(bare.servers_cid, std::nullopt);
  ExpectSameContents();
}

TEST_P(InvocationEquivalenceTest, ByServerNewestFirst) {
  Make({.server_name = "a", .result_cid = "r1"});
  Advance(absl::Seconds(1));
  Make({.server_name = "b", .result_cid = "r2"});
  Make({.server_name = "a", .result_cid = "r3"});
  Make({.server_name = "a", .result_cid = "r4"});  // same instant as r3
  EXPECT_THAT(Ids(*SameRead(
                  [](Transaction& t) { return InvocationsForServer(t, "a"); })),
              ElementsAre(4, 3, 1));
  EXPECT_THAT(Ids(*SameRead([](Transaction& t) {
                return InvocationsForServer(t, "a", 2);
              })),
              ElementsAre(4, 3));
  EXPECT_THAT(
      *SameRead([](Transaction& t) { return InvocationsForServer(t, "A"); }),
      IsEmpty());
}

TEST_P(InvocationEquivalenceTest, ByResultCids) {
  Make({.server_name = "a", .result_cid = "r1"});
  Advance(absl::Seconds(1));
  Make({.server_name = "b", .result_cid = "r2"});
  Make({.server_name = "c", .result_cid = "r1"});
  EXPECT_THAT(Ids(*SameRead([](Transaction& t) {
                return InvocationsByResultCids(t, {"r1", "missing"});
              })),
              ElementsAre(3, 1));
  EXPECT_THAT(Ids(*SameRead([](Transaction& t) {
                return InvocationsByResultCids(t, {"r2", "r1", "r2"});
              })),
              ElementsAre(3, 2, 1));
  EXPECT_THAT(
      *SameRead([](Transaction& t) { return InvocationsByResultCids(t, {}); }),
      IsEmpty());
}

TEST_P(InvocationEquivalenceTest, ByAnyOfTheSevenCidColumns) {
  const std::string c = "C";
  Make({.server_name = "s", .result_cid = c});                        // 1
  Make({.server_name = "s", .result_cid = "x", .servers_cid = c});    // 2
  Make({.server_name = "s", .result_cid = "x", .variables_cid = c});  // 3
  Make({.server_name = "s", .result_cid = "x", .secrets_cid = c});    // 4
  Advance(absl::Seconds(1));
  Make({.server_name = "s", .result_cid = "x", .request_details_cid = c});  // 5
  Make({.server_name = "s", .result_cid = "x", .invocation_cid = c});       // 6
  Make({.server_name = "s", .result_cid = "x", .external_calls_cid = c});   // 7
  Make({.server_name = "s", .result_cid = "x", .servers_cid = "c"});        // 8
  Make({.server_name = "s", .result_cid = c, .invocation_cid = c});         // 9
  EXPECT_THAT(
      Ids(*SameRead([&](Transaction& t) { return InvocationsByAnyCid(t, c); })),
      ElementsAre(9, 7, 6, 5, 4, 3, 2, 1));
  EXPECT_THAT(
      *SameRead([](Transaction& t) { return InvocationsByAnyCid(t, "none"); }),
      IsEmpty());
}

// ---- exports
// -------------------------------------------------------------------------

TEST_P(RepositoryEquivalenceTest, ExportsRecordAndListNewestFirst) {
  for (const char* content : {"e1", "e2", "e3"}) {
    auto r = Same(
        [&](Transaction& t) { return RecordExport(t, ComputeCid(content)); });
    ASSERT_OK(r);
    EXPECT_EQ(r->cid, ComputeCid(content));
    Advance(absl::Seconds(1));
  }
  auto list = SameRead([](Transaction& t) { return ListExports(t, 2); });
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].cid, ComputeCid("e3"));
  EXPECT_EQ((*list)[1].cid, ComputeCid("e2"));
  EXPECT_THAT(Same([](Transaction& t) { return RecordExport(t, "not a cid"); }),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(*SameRead([](Transaction& t) { return t.Count("export"); }), 3);
  ExpectSameContents();
}

INSTANTIATE_TEST_SUITE_P(Compare, PageViewEquivalenceTest, AllPairs(),
                         PairParamName);

INSTANTIATE_TEST_SUITE_P(Compare, InvocationEquivalenceTest, AllPairs(),
                         PairParamName);

}  // namespace
}  // namespace viewer::testing
