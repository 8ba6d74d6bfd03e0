// Odd requests that used to lose data silently (docs/security.md): a
// multipart body sent to the raw CID API, a form field sent as a file
// part, a path with an encoded newline.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "engine/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

class SecurityOddRequestsTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(SecurityOddRequestsTest, MultipartToTheCidApiIsRefusedNotStoredEmpty) {
  ViewerFixture v(GetParam());
  httplib::MultipartFormDataItems items = {
      {"file", "some content", "a.txt", "text/plain"}};
  httplib::Result r = v.client().Post("/api/cids", items);
  EXPECT_EQ(Status(r), 415) << Body(r);
  EXPECT_THAT(Body(r), HasSubstr("/upload"));
  EXPECT_EQ(ViewerFixture::Json(v.Get("/uploads.json"))["total"], 0);
}

TEST_P(SecurityOddRequestsTest, AFieldSentAsAFilePartKeepsItsValue) {
  ViewerFixture v(GetParam());
  httplib::MultipartFormDataItems items = {
      {"name", "from_file", "", ""},
      {"definition", "Hello {{request.path}}", "definition.txt",
       "text/plain"}};
  httplib::Result r = v.client().Post("/servers/new", items);
  ASSERT_EQ(Status(r), 303) << Body(r);
  const json server = ViewerFixture::Json(v.GetJson("/servers/from_file"));
  EXPECT_EQ(server.value("definition", ""), "Hello {{request.path}}")
      << server.dump();
}

TEST_P(SecurityOddRequestsTest, EncodedNewlinesInPathsAreRoutedAndLogged) {
  Mutex mu;
  std::vector<std::string> lines;
  ViewerFixture v(GetParam(),
                  {.log_requests = true, .log = [&](absl::string_view line) {
                     MutexLock lock(&mu);
                     lines.emplace_back(line);
                   }});
  for (const char* path : {"/a%0ab", "/a%0db", "/servers%0a"}) {
    httplib::Result r = v.GetJson(path);
    ASSERT_EQ(Status(r), 404) << path;
    // viewer's own answer (JSON, a message), not httplib's bare 404.
    EXPECT_THAT(Body(r), HasSubstr("\"error\"")) << path;
  }
  MutexLock lock(&mu);
  int logged = 0;
  for (const std::string& line : lines) {
    if (absl::StrContains(line, "/a\\nb 404") ||
        absl::StrContains(line, "/a\\rb 404") ||
        absl::StrContains(line, "/servers\\n 404")) {
      ++logged;
    }
  }
  EXPECT_EQ(logged, 3) << ::testing::PrintToString(lines);
}

INSTANTIATE_TEST_SUITE_P(Backends, SecurityOddRequestsTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
