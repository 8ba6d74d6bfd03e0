#include "http/internal/job_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace viewer::http_internal {
ssize_t JobStream::read(char* ptr, size_t size) {
  const size_t n = std::min(size, job_.request.size() - pos_);
  std::memcpy(ptr, job_.request.data() + pos_, n);
  pos_ += n;
  return static_cast<ssize_t>(n);
}

absl::Time JobStream::Deadline() const {
  return start_ + kWriteWait +
         absl::Seconds(static_cast<double>(written_) / kMinWriteRate);
}

ssize_t JobStream::write(const char* ptr, size_t size) {
  if (!head_done_) {
    head_.append(ptr, std::min(size, size_t{16} << 10));
    const size_t end = head_.find("\r\n\r\n");
    if (end != std::string::npos && absl::StartsWith(head_, "HTTP/1.1 1")) {
      // An interim answer (100 Continue): the real head comes after it.
      head_.erase(0, end + 4);
    } else if (end != std::string::npos || head_.size() > (size_t{16} << 10)) {
      const std::string head = absl::AsciiStrToLower(head_.substr(0, end));
      answer_closes_ = absl::StrContains(head, "\r\nconnection: close\r\n") ||
                       absl::EndsWith(head, "\r\nconnection: close");
      head_done_ = true;
      head_.clear();
    }
  }
  size_t sent = 0;
  while (sent < size && !failed_) {
    const ssize_t n =
        send(job_.fd, ptr + sent, size - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      written_ += static_cast<uint64_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      const int64_t wait_ms =
          absl::ToInt64Milliseconds(Deadline() - absl::Now());
      pollfd p{.fd = job_.fd, .events = POLLOUT, .revents = 0};
      if (wait_ms > 0 &&
          poll(&p, 1, static_cast<int>(std::min<int64_t>(wait_ms, 60000))) >
              0) {
        continue;
      }
    }
    failed_ = true;
  }
  return failed_ ? -1 : static_cast<ssize_t>(size);
}

void JobStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = job_.remote_ip;
  port = job_.remote_port;
}

void JobStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = job_.local_ip;
  port = job_.local_port;
}

}  // namespace viewer::http_internal
