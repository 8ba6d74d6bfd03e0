// Slow and idle clients (docs/security.md): sockets that send a request a
// byte at a time, or hold a kept-alive connection without using it, must
// not keep the workers from everyone else; past the connection limits a
// newcomer is told so at once (503).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
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

}  // namespace
}  // namespace viewer::testing
