// Slow and idle clients (docs/security.md): sockets that send a request a
// byte at a time, or hold a kept-alive connection without using it, must
// not keep the workers from everyone else; past the connection limits a
// newcomer is told so at once (503).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;

// Everything the server sends on `fd` until it closes or `timeout` passes.
std::string ReadAll(int fd, absl::Duration timeout) {
  std::string out;
  const absl::Time end = absl::Now() + timeout;
  while (absl::Now() < end) {
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    const int ms = static_cast<int>(absl::ToInt64Milliseconds(end - absl::Now()));
    if (poll(&p, 1, ms > 0 ? ms : 0) <= 0) break;
    char buf[4096];
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Sockets that each send a request head one byte per `interval` from a
// background thread, until destroyed.
class SlowSenders {
 public:
  SlowSenders(int port, int count, absl::Duration interval) {
    for (int i = 0; i < count; ++i) fds_.push_back(ConnectLoopback(port));
    thread_ = std::thread([this, interval] {
      const std::string head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
      size_t pos = 0;
      while (!stop_) {
        const char c = pos < head.size() ? head[pos] : 'a';
        ++pos;
        for (int fd : fds_) send(fd, &c, 1, MSG_NOSIGNAL);
        absl::SleepFor(interval);
      }
    });
  }
  ~SlowSenders() {
    stop_ = true;
    thread_.join();
    for (int fd : fds_) close(fd);
  }
  const std::vector<int>& fds() const { return fds_; }

 private:
  std::vector<int> fds_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Sends `bytes` on `fd` unless the server answers (or stops reading for
// 5 s) first. True when every byte was sent.
bool SendUnlessAnswered(int fd, absl::string_view bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    pollfd p{.fd = fd, .events = POLLIN | POLLOUT, .revents = 0};
    if (poll(&p, 1, 5000) <= 0 || (p.revents & (POLLIN | POLLERR | POLLHUP))) {
      return false;
    }
    const size_t piece = std::min<size_t>(bytes.size() - sent, 65536);
    const ssize_t n =
        send(fd, bytes.data() + sent, piece, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EAGAIN) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// The head of an upload of `length` bytes to POST /api/cids, on a
// connection the server closes after answering.
std::string UploadHead(size_t length) {
  return absl::StrCat(
      "POST /api/cids HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
      "Content-Type: application/octet-stream\r\nContent-Length: ",
      length, "\r\n\r\n");
}

class Sockets {
 public:
  Sockets(int port, int count) {
    for (int i = 0; i < count; ++i) fds_.push_back(ConnectLoopback(port));
  }
  ~Sockets() {
    for (int fd : fds_) close(fd);
  }
  const std::vector<int>& fds() const { return fds_; }

 private:
  std::vector<int> fds_;
};

TEST(SecuritySlowClientsTest, IdleAndSlowConnectionsDoNotDelayOthers) {
  ViewerFixture v(BackendKind::kMemory);
  // Kept-alive connections that served one request and went quiet, as a
  // browser leaves them.
  Sockets idle(v.port(), 200);
  for (int fd : idle.fds()) {
    ASSERT_GE(fd, 0);
    const std::string get =
        "GET /static/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    ASSERT_EQ(send(fd, get.data(), get.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(get.size()));
  }
  SlowSenders slow(v.port(), 50, absl::Milliseconds(200));
  for (int fd : slow.fds()) ASSERT_GE(fd, 0);
  absl::SleepFor(absl::Milliseconds(300));
  constexpr int kRequests = 20;
  absl::Duration worst;
  for (int i = 0; i < kRequests; ++i) {
    httplib::Client client("127.0.0.1", v.port());
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(2, 0);
    const absl::Time start = absl::Now();
    httplib::Result r = client.Get("/");
    const absl::Duration took = absl::Now() - start;
    worst = std::max(worst, took);
    EXPECT_EQ(Status(r), 200) << "request " << i;
    EXPECT_LT(took, absl::Seconds(1)) << "request " << i;
  }
  std::cout << "worst GET / latency with 200 idle and 50 slow connections: "
            << absl::FormatDuration(worst) << "\n";
}

TEST(SecuritySlowClientsTest, ARequestThatArrivesTooSlowlyGets408) {
  ViewerFixture v(BackendKind::kMemory,
                  {.request_timeout = absl::Milliseconds(500)});
  SlowSenders slow(v.port(), 1, absl::Milliseconds(50));
  const absl::Time start = absl::Now();
  const std::string answer = ReadAll(slow.fds()[0], absl::Seconds(5));
  EXPECT_EQ(RawStatus(answer), 408) << answer;
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
}

TEST(SecuritySlowClientsTest, PastTheLimitsANewcomerGets503AtOnce) {
  ViewerFixture v(BackendKind::kMemory, {.max_connections = 30,
                                         .max_connections_per_client = 10});
  // Ten connections from this address, each in the middle of a request.
  SlowSenders slow(v.port(), 10, absl::Milliseconds(100));
  absl::SleepFor(absl::Milliseconds(300));
  const int fd = ConnectLoopback(v.port());
  ASSERT_GE(fd, 0);
  const absl::Time start = absl::Now();
  const std::string answer = ReadAll(fd, absl::Seconds(3));
  close(fd);
  EXPECT_EQ(RawStatus(answer), 503) << answer;
  EXPECT_THAT(answer, HasSubstr("too many connections"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
}

TEST(SecuritySlowClientsTest, IdleConnectionsMakeRoomForNewOnes) {
  ViewerFixture v(BackendKind::kMemory, {.max_connections = 30,
                                         .max_connections_per_client = 10});
  Sockets idle(v.port(), 10);
  absl::SleepFor(absl::Milliseconds(200));
  // The limit is reached, but by connections doing nothing: the oldest
  // is closed and every newcomer is served.
  for (int i = 0; i < 5; ++i) {
    httplib::Client client("127.0.0.1", v.port());
    client.set_read_timeout(2, 0);
    EXPECT_EQ(Status(client.Get("/status.json")), 200) << i;
  }
}

TEST(SecuritySlowClientsTest, AnUploadPastTheBytesBeingReceivedGets503) {
  // Bodies of up to 1 MiB, and at most 1.5 MiB being received at once.
  ViewerFixture v(BackendKind::kMemory, {.max_body_bytes = 1 << 20,
                                         .max_buffered_bytes = 3 << 19});
  constexpr size_t kBody = 1'000'000;
  const std::string first(kBody, 'a');
  const int a = ConnectLoopback(v.port());
  ASSERT_GE(a, 0);
  // All but the last 100,000 bytes: the server holds them, waiting. (It
  // reads them in milliseconds; the pause leaves room for a loaded
  // machine.)
  ASSERT_TRUE(SendUnlessAnswered(
      a, UploadHead(kBody) + first.substr(0, kBody - 100'000)));
  absl::SleepFor(absl::Seconds(1));

  // A second upload would take the bytes held past the limit.
  const int b = ConnectLoopback(v.port());
  ASSERT_GE(b, 0);
  SendUnlessAnswered(b, UploadHead(kBody) + std::string(kBody, 'b'));
  const std::string refused = ReadAll(b, absl::Seconds(3));
  close(b);
  EXPECT_EQ(RawStatus(refused), 503) << refused.substr(0, 300);
  EXPECT_THAT(refused, HasSubstr("too many requests at once"));

  // The first finishes and is stored.
  ASSERT_TRUE(SendUnlessAnswered(a, first.substr(kBody - 100'000)));
  const std::string stored = ReadAll(a, absl::Seconds(5));
  close(a);
  EXPECT_EQ(RawStatus(stored), 201) << stored.substr(0, 300);

  // What the refused one held is free again: the same upload now passes.
  const int c = ConnectLoopback(v.port());
  ASSERT_GE(c, 0);
  ASSERT_TRUE(
      SendUnlessAnswered(c, UploadHead(kBody) + std::string(kBody, 'c')));
  const std::string again = ReadAll(c, absl::Seconds(5));
  close(c);
  EXPECT_EQ(RawStatus(again), 201) << again.substr(0, 300);
  EXPECT_EQ(ViewerFixture::Json(v.Get("/uploads.json"))["total"], 2);
}

}  // namespace
}  // namespace viewer::testing
