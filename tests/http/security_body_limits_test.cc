// Request bodies and their framing (docs/security.md): --max-body holds for
// every framing (chunked too), 413 as soon as a body passes it, and the
// server's memory does not grow with what it refused; a length that is
// ambiguous or impossible is a 400 at once.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/live_viewer.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;

// The peak resident set of process `pid` in KiB (VmHWM), or -1.
int64_t PeakRssKib(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      int64_t kib = -1;
      std::string digits;
      for (char c : line) {
        if (c >= '0' && c <= '9') digits += c;
      }
      return absl::SimpleAtoi(digits, &kib) ? kib : -1;
    }
  }
  return -1;
}

struct Upload {
  uint64_t body_bytes_sent = 0;
  std::string answer;
};

// Sends a chunked POST of up to `total` bytes in 64 KiB chunks, stopping as
// soon as the server answers (or stops reading for 5 s); then reads the
// answer.
Upload SendChunked(int port, uint64_t total) {
  Upload up;
  const int fd = ConnectLoopback(port);
  if (fd < 0) return up;
  const std::string head =
      "POST /api/cids HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/octet-stream\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  const std::string chunk =
      absl::StrCat("10000\r\n", std::string(65536, 'z'), "\r\n");
  while (up.body_bytes_sent < total) {
    pollfd p{.fd = fd, .events = POLLIN | POLLOUT, .revents = 0};
    if (poll(&p, 1, 5000) <= 0 || (p.revents & (POLLIN | POLLERR | POLLHUP))) {
      break;
    }
    if (send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL | MSG_DONTWAIT) !=
        static_cast<ssize_t>(chunk.size())) {
      break;
    }
    up.body_bytes_sent += 65536;
  }
  if (up.body_bytes_sent >= total) send(fd, "0\r\n\r\n", 5, MSG_NOSIGNAL);
  const absl::Time end = absl::Now() + absl::Seconds(10);
  while (absl::Now() < end) {
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    if (poll(&p, 1, 1000) <= 0) continue;
    char buf[4096];
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    up.answer.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return up;
}

TEST(SecurityBodyLimitsTest, ChunkedBodyPastMaxBodyIs413AndCostsNoMemory) {
  LiveViewer v({"--in-memory-db", "--max-body", "1M"});
  ASSERT_TRUE(v.started()) << v.child().Stderr();
  std::unique_ptr<httplib::Client> c = v.Client();
  ASSERT_EQ(Status(c->Get("/status.json")), 200);
  const int64_t before = PeakRssKib(v.child().pid());
  ASSERT_GT(before, 0);
  const Upload up = SendChunked(v.port(), uint64_t{200} << 20);
  const int64_t after = PeakRssKib(v.child().pid());
  std::cout << "chunked upload refused after " << up.body_bytes_sent
            << " bytes sent; viewer VmRSS " << before << " KiB before, "
            << after << " KiB after\n";
  EXPECT_EQ(RawStatus(up.answer), 413) << up.answer.substr(0, 300);
  EXPECT_THAT(up.answer, HasSubstr("--max-body"));
  // Answered as soon as the limit was passed, not after reading it all.
  EXPECT_LT(up.body_bytes_sent, uint64_t{32} << 20);
  EXPECT_LT(after - before, 32 * 1024) << "KiB";
  // Nothing was stored, and the server goes on.
  EXPECT_EQ(JsonOf(c->Get("/uploads.json"))["total"], 0);
  EXPECT_EQ(v.Stop(), 0);
}

class SecurityFramingTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(SecurityFramingTest, AmbiguousOrImpossibleLengthsAre4xxAtOnce) {
  ViewerFixture v(GetParam(), {.max_body_bytes = 1000});
  const std::string post = "POST /api/cids HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  const struct {
    std::string request;
    int status;
    std::string says;
  } cases[] = {
      {post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400,
       "two different Content-Length"},
      {post + "Content-Length: 5, 6\r\n\r\nhello!", 400, "not a byte count"},
      {post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
              "5\r\nhello\r\n0\r\n\r\n",
       400, "ambiguous"},
      {post + "Transfer-Encoding: gzip, chunked\r\n\r\n", 400, "chunked"},
      {post + "Content-Length: 99999999999999999999999\r\n\r\n", 400,
       "not a byte count"},
      {post + "Content-Length: -1\r\n\r\n", 400, "not a byte count"},
      {post + "Content-Length: 999999999999\r\n\r\n", 413, "over the limit"},
      {post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "hexadecimal"},
      {post + "Transfer-Encoding: chunked\r\n\r\nfffffffff\r\n", 413,
       "over the limit"},
  };
  for (const auto& c : cases) {
    const absl::Time start = absl::Now();
    const std::string answer = RawExchange(v.port(), c.request, 3000);
    EXPECT_EQ(RawStatus(answer), c.status) << c.request;
    EXPECT_THAT(answer, HasSubstr(c.says)) << c.request;
    EXPECT_LT(absl::Now() - start, absl::Seconds(1)) << c.request;
  }
  EXPECT_EQ(ViewerFixture::Json(v.Get("/uploads.json"))["total"], 0);
}

TEST_P(SecurityFramingTest, ChunkedBodiesWithinTheLimitAreStoredWhole) {
  ViewerFixture v(GetParam(), {.max_body_bytes = 1000});
  const std::string answer = RawExchange(
      v.port(),
      "POST /api/cids HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
      "Transfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n"
      "0\r\nX-Trailer: 1\r\n\r\n");
  ASSERT_EQ(RawStatus(answer), 201) << answer;
  const std::string path = "/AAAAAAALaGVsbG8gd29ybGQ";
  EXPECT_THAT(answer, HasSubstr(path));
  EXPECT_EQ(Body(v.Get(path)), "hello world");
  // Pipelined requests on one connection are each answered.
  const std::string two = RawExchange(
      v.port(),
      "GET /status.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(two, HasSubstr("HTTP/1.1 200"));
  EXPECT_THAT(two, HasSubstr("HTTP/1.1 404"));
}

INSTANTIATE_TEST_SUITE_P(Backends, SecurityFramingTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
