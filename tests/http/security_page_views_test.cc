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

TEST(SecurityPageViewsTest, AFloodOfHugeUserAgentsLeavesRoomForACreate) {
  // The figure: 501 GET / with an 8 KiB User-Agent filled a 4 MiB
  // store.
  ViewerFixture v(BackendKind::kMemory, {.byte_limit = int64_t{4} << 20});
  const std::string agent(8 << 10, 'u');
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

TEST(SecurityPageViewsTest, UserAgentsAreCutAtACharacterBoundary) {
  ViewerFixture v(BackendKind::kMemory);
  // "a" then two-byte characters: byte 256 falls inside one.
  std::string agent = "a";
  for (int i = 0; i < 200; ++i) agent += "\\xc3\\xa9";  // é
  ASSERT_EQ(Status(v.Get("/", {{"User-Agent", agent}})), 200);
  const json history = ViewerFixture::Json(v.Get("/history.json"));
  ASSERT_FALSE(history["views"].empty());
  const std::string kept = history["views"][0].value("user_agent", "");
  EXPECT_EQ(kept.size(), 255u);
  EXPECT_EQ(kept, agent.substr(0, 255));
}

}  // namespace
}  // namespace viewer::testing
