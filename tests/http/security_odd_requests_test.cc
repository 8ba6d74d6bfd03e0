// Odd requests that used to lose data silently (docs/security.md): a
// multipart body sent to the raw CID API, a form field sent as a file
// part, a path with an encoded newline.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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
      {"definition", "Hello {{request.path}}", "definition.txt", "text/plain"}};
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

// A client that sends a whole request and then closes its sending side is
// still answered, even when the request filled exactly one read (64 KiB)
// and the end of the stream came with the next.
TEST(SecurityHalfCloseTest, ARequestFollowedByTheClientsEndIsAnswered) {
  ViewerFixture v(BackendKind::kMemory, {.max_body_bytes = 1 << 20});
  const std::string prefix =
      "POST /api/cids HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/octet-stream\r\nContent-Length: ";
  const size_t body_size = (64 << 10) - prefix.size() - 5 - 4;
  const std::string request =
      absl::StrCat(prefix, body_size, "\r\n\r\n", std::string(body_size, 'h'));
  ASSERT_EQ(request.size(), size_t{64} << 10);
  const int fd = ConnectLoopback(v.port());
  ASSERT_GE(fd, 0);
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n =
        send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    ASSERT_GT(n, 0);
    sent += static_cast<size_t>(n);
  }
  ASSERT_EQ(shutdown(fd, SHUT_WR), 0);
  std::string answer;
  char buf[4096];
  pollfd p{fd, POLLIN, 0};
  while (poll(&p, 1, 3000) > 0) {
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  EXPECT_EQ(RawStatus(answer), 201) << answer.substr(0, 300);
  EXPECT_EQ(ViewerFixture::Json(v.Get("/uploads.json"))["total"], 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, SecurityOddRequestsTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
