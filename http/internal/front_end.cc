#include "http/internal/front_end.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"

namespace viewer::http_internal {
namespace {

// How long a refused connection's remaining upload is read and thrown
// away after the answer, so that closing does not reset the connection
// before the client has read why (a reset discards what it had not read).
constexpr absl::Duration kLingerTime = absl::Seconds(2);
constexpr size_t kReadChunk = 64 << 10;
// Bytes a second a large request must average to get more time than the
// request timeout.
constexpr double kMinBodyRate = 256 << 10;

void AddressOf(const sockaddr_storage& ss, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {0};
  if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof(text));
    port = ntohs(a->sin6_port);
  } else {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &a->sin_addr, text, sizeof(text));
    port = ntohs(a->sin_port);
  }
  ip = text;
}

// A short plain answer written by the loop itself (full, too slow, head
// too large), then the connection is closed.
void SendCanned(int fd, int status, absl::string_view reason,
                absl::string_view message) {
  const std::string text = absl::StrCat(message, "\n");
  const std::string response = absl::StrCat(
      "HTTP/1.1 ", status, " ", reason,
      "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ",
      text.size(),
      "\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n"
      "Content-Security-Policy: default-src 'none'\r\n",
      status == 503 ? "Retry-After: 1\r\n" : "", "\r\n", text);
  // Best effort: a client that does not read it loses it.
  (void)!send(fd, response.data(), response.size(),
              MSG_NOSIGNAL | MSG_DONTWAIT);
}

// `request` without its Expect headers (the loop already answered them),
// looking only in its head (`head_length` bytes).
void DropExpect(std::string& request, size_t head_length) {
  head_length = std::min(head_length, request.size());
  std::string head;
  head.reserve(head_length);
  size_t pos = 0;
  while (pos < head_length) {
    size_t nl = request.find('\n', pos);
    if (nl == std::string::npos || nl >= head_length) nl = head_length - 1;
    const absl::string_view line(request.data() + pos, nl + 1 - pos);
    const size_t colon = line.find(':');
    const bool expect = pos > 0 && colon != absl::string_view::npos &&
                        absl::AsciiStrToLower(absl::StripAsciiWhitespace(
                            line.substr(0, colon))) == "expect";
    if (!expect) head.append(line.data(), line.size());
    pos = nl + 1;
  }
  request.replace(0, head_length, head);
}

}  // namespace

struct FrontEnd::Conn {
  enum State { kIdle, kReading, kBusy, kLinger };
  Conn(int f, RequestFramer::Limits limits) : fd(f), framer(limits) {}
  int fd;
  std::string ip;
  int port = 0;
  std::string local_ip;
  int local_port = 0;
  std::string buf;
  // The bytes of the request a worker has (from Dispatch to TakeBack).
  size_t job_bytes = 0;
  // buf's size plus job_bytes, as counted in FrontEnd::buffered_.
  size_t counted = 0;
  RequestFramer framer;
  State state = kIdle;
  absl::Time deadline;
  absl::Time idle_since;
  // When the request being read began.
  absl::Time started;
  bool sent_continue = false;
  bool close_after = false;
  bool watched = false;
};

FrontEnd::FrontEnd(Options options, Handler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

FrontEnd::~FrontEnd() {
  for (auto& [fd, conn] : conns_) close(fd);
  if (listen_fd_ >= 0) close(listen_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

absl::Status FrontEnd::Listen(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  auto fail = [&](const std::string& why) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", host, ":", port, ": ", why));
  };
  if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
      rc != 0) {
    return fail(gai_strerror(rc));
  }
  std::string why = "the address is not available";
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    int fd =
        socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
               ai->ai_protocol);
    if (fd < 0) continue;
    // SO_REUSEADDR only: SO_REUSEPORT would let a second viewer bind the
    // same port instead of failing.
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1024) == 0) {
      listen_fd_ = fd;
      break;
    }
    why = std::strerror(errno);
    close(fd);
  }
  freeaddrinfo(found);
  if (listen_fd_ < 0) return fail(why);
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len);
  std::string ip;
  AddressOf(ss, ip, port_);
  return absl::OkStatus();
}

void FrontEnd::Stop() {
  stopping_ = true;
  const uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof(one));
}

void FrontEnd::Run() {
  if (listen_fd_ < 0 || stopping_) return;
  running_ = true;
  for (int i = 0; i < options_.threads; ++i) {
    workers_.emplace_back([this] { Work(); });
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listen_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
  ev.data.fd = wake_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  epoll_event events[256];
  absl::Time last_expiry = absl::Now();
  bool accepting = true;
  while (true) {
    if (stopping_ && accepting) {
      // Stop accepting; idle connections close now, the others once their
      // request has been read (within its deadline) and answered.
      epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
      close(listen_fd_);
      listen_fd_ = -1;
      accepting = false;
      std::vector<int> idle;
      for (const auto& [fd, conn] : conns_) {
        if (conn->state == Conn::kIdle || conn->state == Conn::kLinger) {
          idle.push_back(fd);
        }
      }
      for (int fd : idle) Close(fd);
    }
    if (!accepting && conns_.empty()) break;
    const int n = epoll_wait(epoll_fd_, events, 256, 50);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listen_fd_) {
        Accept();
      } else if (fd == wake_fd_) {
        uint64_t count;
        (void)!read(wake_fd_, &count, sizeof(count));
        TakeBack();
      } else if (auto it = conns_.find(fd); it != conns_.end()) {
        OnReadable(*it->second);
      }
    }
    const absl::Time now = absl::Now();
    if (accepting && accept_paused_until_ != absl::InfinitePast() &&
        now >= accept_paused_until_) {
      accept_paused_until_ = absl::InfinitePast();
      epoll_event listen_ev{};
      listen_ev.events = EPOLLIN;
      listen_ev.data.fd = listen_fd_;
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &listen_ev);
    }
    if (now - last_expiry >= absl::Milliseconds(50)) {
      Expire(now);
      last_expiry = now;
    }
  }
  {
    MutexLock lock(&mu_);
    workers_stop_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
  running_ = false;
}

void FrontEnd::Accept() {
  // A flood of connections must not keep the loop from reading and
  // answering the ones it has: at most this many per wake-up.
  constexpr int kMaxAcceptsPerWake = 64;
  int accepted = 0;
  while (true) {
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR) continue;
      if ((errno == EMFILE || errno == ENFILE) && !MakeRoom("")) {
        // Out of descriptors and nothing idle to close: the pending
        // connections wait in the backlog for a moment.
        epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
        accept_paused_until_ = absl::Now() + absl::Milliseconds(100);
      }
      return;
    }
    auto conn = std::make_unique<Conn>(fd, options_.limits);
    AddressOf(ss, conn->ip, conn->port);
    if (!MakeRoom(conn->ip)) {
      SendCanned(fd, 503, "Service Unavailable",
                 "viewer has too many connections open (from this address "
                 "or in all); try again in a moment");
      // A request already received would make close() reset the
      // connection, and the client might lose the answer: end the sending
      // side and take what is there first.
      shutdown(fd, SHUT_WR);
      char drain[4096];
      while (recv(fd, drain, sizeof(drain), MSG_DONTWAIT) > 0) {
      }
      close(fd);
      if (++accepted >= kMaxAcceptsPerWake) return;
      continue;
    }
    int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    sockaddr_storage local{};
    socklen_t local_len = sizeof(local);
    getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len);
    AddressOf(local, conn->local_ip, conn->local_port);
    const absl::Time now = absl::Now();
    conn->idle_since = now;
    conn->deadline = now + options_.idle_timeout;
    ++per_client_[conn->ip];
    Conn& c = *conn;
    conns_.emplace(fd, std::move(conn));
    Watch(c, true);
    if (++accepted >= kMaxAcceptsPerWake) return;
  }
}

bool FrontEnd::MakeRoom(const std::string& ip) {
  auto count = per_client_.find(ip);
  const bool client_full = count != per_client_.end() &&
                           count->second >= options_.max_connections_per_client;
  // An empty `ip`: out of descriptors, room is needed whatever the counts.
  if (!ip.empty() && !client_full && conns_.size() < options_.max_connections) {
    return true;
  }
  // Close the connection that has waited longest for a next request.
  Conn* oldest = nullptr;
  for (const auto& [fd, conn] : conns_) {
    if (conn->state != Conn::kIdle || !conn->buf.empty()) continue;
    if (client_full && conn->ip != ip) continue;
    if (oldest == nullptr || conn->idle_since < oldest->idle_since) {
      oldest = conn.get();
    }
  }
  if (oldest == nullptr) return false;
  Close(oldest->fd);
  return true;
}

void FrontEnd::OnReadable(Conn& conn) {
  if (conn.state == Conn::kBusy) return;
  char chunk[kReadChunk];
  for (int reads = 0; reads < 16; ++reads) {
    const ssize_t n = recv(conn.fd, chunk, sizeof(chunk), 0);
    if (n == 0 && conn.state == Conn::kReading) {
      // The client sent all it will: a whole request in the buffer is
      // still answered, then the connection closes.
      Advance(conn);
      if (conn.state == Conn::kBusy) {
        conn.close_after = true;
        return;
      }
    }
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      Close(conn.fd);
      return;
    }
    if (n < 0) break;
    if (conn.state == Conn::kLinger) continue;  // thrown away
    if (buffered_ + static_cast<size_t>(n) > options_.max_buffered) {
      SendCanned(conn.fd, 503, "Service Unavailable",
                 "viewer is receiving too many requests at once; try again "
                 "in a moment");
      return Linger(conn);
    }
    if (conn.state == Conn::kIdle) StartReading(conn, absl::Now());
    conn.buf.append(chunk, static_cast<size_t>(n));
    Count(conn);
    // A large body may take longer, as long as it keeps coming at a
    // useful rate: a byte a second gains nothing.
    conn.deadline =
        conn.started + options_.request_timeout +
        absl::Seconds(static_cast<double>(conn.buf.size()) / kMinBodyRate);
    if (static_cast<size_t>(n) < sizeof(chunk)) break;
  }
  if (conn.state == Conn::kReading) Advance(conn);
}

void FrontEnd::StartReading(Conn& conn, absl::Time now) {
  conn.state = Conn::kReading;
  conn.started = now;
  conn.deadline = now + options_.request_timeout;
}

void FrontEnd::Advance(Conn& conn) {
  RequestFramer::Result r = conn.framer.Feed(conn.buf);
  switch (r.kind) {
    case RequestFramer::kIncomplete:
      return;
    case RequestFramer::kHead:
      if (options_.answer_before_body && conn.framer.has_body() &&
          options_.answer_before_body(conn.framer.method())) {
        conn.close_after = true;
        return Dispatch(conn, r.length, std::nullopt);
      }
      if (conn.framer.expects_continue() && !conn.sent_continue) {
        static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        (void)!send(conn.fd, kContinue, sizeof(kContinue) - 1,
                    MSG_NOSIGNAL | MSG_DONTWAIT);
        conn.sent_continue = true;
      }
      return;
    case RequestFramer::kComplete:
      return Dispatch(conn, r.length, std::nullopt);
    case RequestFramer::kRefused:
      // A head too large, or with a line too long, is answered here: the
      // HTTP parser would not read it.
      if (r.length == 0 || r.status == 431 || r.status == 414) {
        SendCanned(conn.fd, r.status,
                   r.status == 414 ? "URI Too Long"
                                   : "Request Header Fields Too Large",
                   r.message);
        return Linger(conn);
      }
      conn.close_after = true;
      return Dispatch(conn, r.length,
                      std::make_pair(r.status, std::move(r.message)));
  }
}

void FrontEnd::Dispatch(Conn& conn, size_t length,
                        std::optional<std::pair<int, std::string>> refusal) {
  Job job;
  job.fd = conn.fd;
  job.remote_ip = conn.ip;
  job.remote_port = conn.port;
  job.local_ip = conn.local_ip;
  job.local_port = conn.local_port;
  if (length == conn.buf.size()) {
    job.request = std::move(conn.buf);
    conn.buf = std::string();
  } else {
    job.request = conn.buf.substr(0, length);
    conn.buf.erase(0, length);
  }
  conn.job_bytes = job.request.size();
  Count(conn);
  job.head_length = std::min(conn.framer.head_length(), length);
  job.chunked = !refusal && conn.framer.chunked();
  job.drop_expect = conn.framer.expects_continue();
  job.refusal = std::move(refusal);
  conn.framer.Reset();
  conn.sent_continue = false;
  conn.state = Conn::kBusy;
  Watch(conn, false);
  {
    MutexLock lock(&mu_);
    jobs_.push_back(std::move(job));
  }
  work_ready_.notify_one();
}

void FrontEnd::TakeBack() {
  std::vector<std::pair<int, bool>> done;
  {
    MutexLock lock(&mu_);
    done.swap(done_);
  }
  const absl::Time now = absl::Now();
  for (const auto& [fd, keep] : done) {
    auto it = conns_.find(fd);
    if (it == conns_.end()) continue;
    Conn& conn = *it->second;
    conn.job_bytes = 0;
    Count(conn);
    if (conn.close_after && !stopping_) {
      Linger(conn);
      continue;
    }
    if (!keep || stopping_) {
      Close(fd);
      continue;
    }
    conn.state = Conn::kIdle;
    conn.idle_since = now;
    conn.deadline = now + options_.idle_timeout;
    Watch(conn, true);
    if (!conn.buf.empty()) {
      // The next request arrived with the last one (pipelining).
      StartReading(conn, now);
      Advance(conn);
    }
  }
}

void FrontEnd::Expire(absl::Time now) {
  std::vector<int> late;
  for (const auto& [fd, conn] : conns_) {
    if (conn->state != Conn::kBusy && now >= conn->deadline) {
      late.push_back(fd);
    }
  }
  for (int fd : late) {
    Conn& conn = *conns_[fd];
    if (conn.state == Conn::kReading) {
      SendCanned(fd, 408, "Request Timeout",
                 absl::StrCat("the request was not received within ",
                              absl::FormatDuration(options_.request_timeout)));
    }
    Close(fd);
  }
}

void FrontEnd::Linger(Conn& conn) {
  shutdown(conn.fd, SHUT_WR);
  conn.state = Conn::kLinger;
  conn.close_after = false;
  conn.buf.clear();
  conn.buf.shrink_to_fit();
  Count(conn);
  conn.deadline = absl::Now() + kLingerTime;
  Watch(conn, true);
}

void FrontEnd::Close(int fd) {
  auto it = conns_.find(fd);
  if (it == conns_.end()) return;
  Conn& conn = *it->second;
  if (conn.watched) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  auto count = per_client_.find(conn.ip);
  if (count != per_client_.end() && --count->second == 0) {
    per_client_.erase(count);
  }
  buffered_ -= conn.counted;
  close(fd);
  conns_.erase(it);
}

void FrontEnd::Count(Conn& conn) {
  const size_t now = conn.buf.size() + conn.job_bytes;
  buffered_ = buffered_ - conn.counted + now;
  conn.counted = now;
}

void FrontEnd::Watch(Conn& conn, bool on) {
  if (conn.watched == on) return;
  if (on) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = conn.fd;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, conn.fd, &ev);
  } else {
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, conn.fd, nullptr);
  }
  conn.watched = on;
}

namespace {

// Makes `job.request` what the HTTP parser reads: the body decoded, the
// Expect header the loop already answered taken out.
void PrepareJob(Job& job) {
  size_t head_length = job.head_length;
  if (job.chunked) {
    // The HTTP parser reads no chunk trailers: give it the decoded body.
    job.request = DechunkRequest(job.request, head_length);
    head_length = job.request.find("\r\n\r\n") + 4;
  }
  if (job.drop_expect) DropExpect(job.request, head_length);
}

}  // namespace

void FrontEnd::Work() {
  while (true) {
    Job job;
    {
      MutexLock lock(&mu_);
      while (jobs_.empty() && !workers_stop_) work_ready_.wait(mu_);
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    PrepareJob(job);
    const bool keep = handler_(job);
    {
      MutexLock lock(&mu_);
      done_.emplace_back(job.fd, keep);
    }
    const uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof(one));
  }
}

}  // namespace viewer::http_internal
