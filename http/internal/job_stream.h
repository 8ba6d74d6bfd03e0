// JobStream: the httplib::Stream a worker answers a Job through: reads
// come from the request the front end already read whole, writes go to
// the connection (waiting, a bounded time, while it is full).
//
// Thread safety: one stream per job, on the worker answering it.
#ifndef VIEWER_HTTP_INTERNAL_JOB_STREAM_H_
#define VIEWER_HTTP_INTERNAL_JOB_STREAM_H_

#include <string>

#include "http/internal/front_end.h"
#include "httplib.h"

namespace viewer::http_internal {

class JobStream : public httplib::Stream {
 public:
  explicit JobStream(const Job& job) : job_(job) {}

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
  const Job& job_;
  size_t pos_ = 0;
  bool failed_ = false;
  // The answer's head, until its end was seen.
  std::string head_;
  bool head_done_ = false;
  bool answer_closes_ = false;
};

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_JOB_STREAM_H_
