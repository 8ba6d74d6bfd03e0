// JobStream on its own, over a socket pair: what it tells the front end
// about the answer, and how long a client that does not read may hold it.
#include "http/internal/job_stream.h"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace viewer::http_internal {
namespace {

class JobStreamTest : public ::testing::Test {
 protected:
  JobStreamTest() {
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0);
    job_.fd = fds_[0];
  }
  ~JobStreamTest() override {
    close(fds_[0]);
    close(fds_[1]);
  }

  int fds_[2] = {-1, -1};
  Job job_;
};

TEST_F(JobStreamTest, AnInterimAnswerIsNotTakenForTheAnswersHead) {
  JobStream stream(job_);
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  const std::string head =
      "HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: "
      "0\r\n\r\n";
  ASSERT_EQ(stream.write(interim.data(), interim.size()),
            static_cast<ssize_t>(interim.size()));
  EXPECT_FALSE(stream.answer_closes());
  ASSERT_EQ(stream.write(head.data(), head.size()),
            static_cast<ssize_t>(head.size()));
  EXPECT_TRUE(stream.answer_closes());
  EXPECT_FALSE(stream.failed());
}

TEST_F(JobStreamTest, AKeptAliveAnswerDoesNotClose) {
  JobStream stream(job_);
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  ASSERT_EQ(stream.write(head.data(), head.size()),
            static_cast<ssize_t>(head.size()));
  EXPECT_FALSE(stream.answer_closes());
}

TEST_F(JobStreamTest, AClientThatTricklesLosesItsAnswerInBoundedTime) {
  const int small = 4096;
  ASSERT_EQ(setsockopt(fds_[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)),
            0);
  // The client takes 4 KiB a second: always some progress, never enough to
  // take 8 MiB in any reasonable time. It gives up after 15 s.
  std::atomic<bool> done{false};
  std::thread client([&] {
    char buf[4096];
    const absl::Time give_up = absl::Now() + absl::Seconds(15);
    while (!done && absl::Now() < give_up) {
      (void)!recv(fds_[1], buf, sizeof(buf), MSG_DONTWAIT);
      absl::SleepFor(absl::Seconds(1));
    }
  });
  JobStream stream(job_);
  const std::string big(8 << 20, 'x');
  const absl::Time start = absl::Now();
  EXPECT_EQ(stream.write(big.data(), big.size()), -1);
  const absl::Duration took = absl::Now() - start;
  done = true;
  client.join();
  EXPECT_TRUE(stream.failed());
  // kWriteWait, plus what little it took at the minimum rate.
  EXPECT_LT(took, JobStream::kWriteWait + absl::Seconds(3));
}

}  // namespace
}  // namespace viewer::http_internal
