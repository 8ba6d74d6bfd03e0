// JobStream: the httplib::Stream a worker answers a Job through: reads
// come from the request the front end already read whole, writes go to
// the connection (waiting while it is full, but for a bounded time in all:
// a client that takes an answer a few bytes at a time cannot hold a worker
// longer than kWriteWait plus what it took at kMinWriteRate).
//
// Thread safety: one stream per job, on the worker answering it.
#ifndef VIEWER_HTTP_INTERNAL_JOB_STREAM_H_
#define VIEWER_HTTP_INTERNAL_JOB_STREAM_H_

#include <cstdint>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "http/internal/front_end.h"
#include "httplib.h"

namespace viewer::http_internal {

class JobStream : public httplib::Stream {
 public:
  // How long an answer may take beyond its size at kMinWriteRate.
  static constexpr absl::Duration kWriteWait = absl::Seconds(5);
  static constexpr int64_t kMinWriteRate = 256 << 10;  // bytes per second

  explicit JobStream(const Job& job) : job_(job), start_(absl::Now()) {}

  bool is_readable() const override { return pos_ < job_.request.size(); }
  bool is_writable() const override { return !failed_; }
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return job_.fd; }

  // True when the answer's head said "Connection: close".
  bool answer_closes() const { return answer_closes_; }
  // True when a write failed (the client went away or stopped reading).
  bool failed() const { return failed_; }

 private:
  // When the answer so far must have been taken by the client.
  absl::Time Deadline() const;

  const Job& job_;
  const absl::Time start_;
  uint64_t written_ = 0;  // bytes the connection took
  size_t pos_ = 0;
  bool failed_ = false;
  // The answer's head, until its end was seen.
  std::string head_;
  bool head_done_ = false;
  bool answer_closes_ = false;
};

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_JOB_STREAM_H_
