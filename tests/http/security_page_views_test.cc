// Page views must not crowd out user data (docs/security.md): what a
// page view keeps of a request's path and User-Agent is capped, so a
// flood of requests with huge headers leaves the memory store room for
// the user's own writes.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

TEST(SecurityPageViewsTest, AFloodOfHugeUserAgentsLeavesRoomForACreate) {
  // The figure: 501 GET / with an 8 KiB User-Agent filled a 4 MiB
  // store.
  ViewerFixture v(BackendKind::kMemory, {.byte_limit = int64_t{4} << 20});
  // Nearly 8 KB: a header line over 8,000 bytes is refused (431) before
  // any handler runs, as the next test shows.
  const std::string agent(7900, 'u');
  for (int i = 0; i < 501; ++i) {
    ASSERT_EQ(Status(v.Get("/", {{"User-Agent", agent}})), 200) << i;
  }
  httplib::Result created =
      v.PostJson("/variables", {{"name", "after"}, {"definition", "1"}});
  EXPECT_EQ(Status(created), 201) << Body(created);
  const json history = ViewerFixture::Json(v.Get("/history.json"));
  ASSERT_TRUE(history.contains("views")) << history.dump().substr(0, 300);
  ASSERT_FALSE(history["views"].empty());
  const std::string kept = history["views"][0].value("user_agent", "");
  EXPECT_EQ(kept, std::string(256, 'u'));
}

TEST(SecurityPageViewsTest, AHeaderLineOverTheLimitIs431AndRecordsNothing) {
  ViewerFixture v(BackendKind::kMemory);
  httplib::Result r = v.Get("/", {{"User-Agent", std::string(8 << 10, 'u')}});
  EXPECT_EQ(Status(r), 431);
  EXPECT_THAT(Body(r), HasSubstr("a header line is over the limit"));
  const json history = ViewerFixture::Json(v.Get("/history.json"));
  EXPECT_TRUE(history["views"].empty()) << history.dump().substr(0, 300);
}

TEST(SecurityPageViewsTest, UserAgentsAreCutAtACharacterBoundary) {
  ViewerFixture v(BackendKind::kMemory);
  // "a" then two-byte characters: byte 256 falls inside one.
  std::string agent = "a";
  for (int i = 0; i < 200; ++i) agent += "\xc3\xa9";  // é
  ASSERT_EQ(Status(v.Get("/", {{"User-Agent", agent}})), 200);
  const json history = ViewerFixture::Json(v.Get("/history.json"));
  ASSERT_FALSE(history["views"].empty());
  const std::string kept = history["views"][0].value("user_agent", "");
  EXPECT_EQ(kept.size(), 255u);
  EXPECT_EQ(kept, agent.substr(0, 255));
}

// Bytes the page_view table holds, from /status.json.
int64_t PageViewBytes(ViewerFixture& v) {
  const json status = ViewerFixture::Json(v.Get("/status.json"));
  for (const json& t : status["tables"]) {
    if (t.value("name", "") == "page_view") return t.value("bytes", -1);
  }
  ADD_FAILURE() << "no page_view table in " << status.dump().substr(0, 300);
  return -1;
}

TEST(SecurityPageViewsTest, PageViewsKeepWithinTheirShareOfTheMemoryLimit) {
  constexpr int64_t kLimit = int64_t{1} << 20;
  ViewerFixture v(BackendKind::kMemory, {.byte_limit = kLimit});
  // What the user stored before the flood is never evicted.
  ASSERT_EQ(Status(v.PostJson("/variables",
                              {{"name", "before"}, {"definition", "kept"}})),
            201);
  const std::string agent(256, 'u');
  // About 4,000 views of ~500 bytes each: twice the whole limit.
  for (int i = 0; i < 4000; ++i) {
    ASSERT_EQ(Status(v.Get("/", {{"User-Agent", agent}})), 200) << i;
  }
  const json status = ViewerFixture::Json(v.Get("/status.json"));
  EXPECT_EQ(status.value("page_view_budget_bytes", int64_t{0}), kLimit / 4);
  EXPECT_GT(status.value("page_views_evicted", int64_t{0}), 0);
  // The budget, plus the views saved between two checks.
  EXPECT_LE(PageViewBytes(v), kLimit / 4 + 16 * 1024);
  // The rest of the store is the user's: a 300 KiB definition still fits.
  httplib::Result created = v.PostJson(
      "/variables",
      {{"name", "after"}, {"definition", std::string(300 << 10, 'x')}});
  EXPECT_EQ(Status(created), 201) << Body(created).substr(0, 300);
  EXPECT_EQ(Status(v.Get("/variables/before.json")), 200);
  // The newest views are the ones kept (JSON answers are not page views).
  ASSERT_EQ(Status(v.Get("/servers")), 200);
  const json history = ViewerFixture::Json(v.Get("/history.json"));
  ASSERT_FALSE(history["views"].empty());
  EXPECT_EQ(history["views"][0].value("path", ""), "/servers");
  // The status page says so.
  EXPECT_THAT(Body(v.Get("/status")), HasSubstr("deleted so far"));
}

TEST(SecurityPageViewsTest, AStoreWithoutALimitKeepsEveryPageView) {
  ViewerFixture v(BackendKind::kMemory);
  for (int i = 0; i < 40; ++i) ASSERT_EQ(Status(v.Get("/")), 200);
  const json status = ViewerFixture::Json(v.Get("/status.json"));
  EXPECT_EQ(status.value("page_view_budget_bytes", int64_t{-1}), 0);
  EXPECT_EQ(status.value("page_views_evicted", int64_t{-1}), 0);
  const json views = ViewerFixture::Json(v.Get("/history.json?per_page=100"));
  EXPECT_EQ(views["views"].size(), 40u);
}

}  // namespace
}  // namespace viewer::testing
