// FrontEnd: viewer's own accept loop in front of the worker threads
// (docs/security.md, "Slow and idle clients"). One thread watches every
// connection with epoll and reads each request whole (head and body,
// within a deadline and the size limits of RequestFramer) before a worker
// ever sees it; idle keep-alive connections wait in the loop, not in a
// worker. So a slow or idle client costs a socket and a buffer, never a
// worker, and a normal request is served as soon as a worker is free.
//
//   FrontEnd front({.threads = 8, ...}, [](const Job& job) {
//     ... answer job.request on job.fd; return true to keep it open ...
//   });
//   if (absl::Status s = front.Listen("127.0.0.1", 0); !s.ok()) ...
//   std::thread t([&] { front.Run(); });   // until Stop()
//   front.Stop(); t.join();
//
// Limits: connections in total and per client address (past either, the
// oldest idle connection is closed to make room, else the newcomer gets
// 503 at once); the bytes of requests received and not yet answered,
// across all connections (503 for the connection whose bytes would pass
// it); the time from a request's first byte (or the connection's start)
// to its last (408 past it); the idle time of a kept-alive connection
// (closed silently past it).
//
// Thread safety: Listen, then Run from one thread; Stop from any thread.
// The handler runs on the worker threads, one job per connection at a
// time.
#ifndef VIEWER_HTTP_INTERNAL_FRONT_END_H_
#define VIEWER_HTTP_INTERNAL_FRONT_END_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "engine/mutex.h"
#include "http/internal/request_framer.h"

namespace viewer::http_internal {

// One request, read whole, for a worker to answer.
struct Job {
  int fd = -1;
  std::string remote_ip;
  int remote_port = 0;
  std::string local_ip;
  int local_port = 0;
  // The request's bytes: head and body (only the head when refused).
  std::string request;
  // Set when the front end refused the request (413, 400 framing): answer
  // this status (an empty message: the handler's own wording), read no
  // body, and close.
  std::optional<std::pair<int, std::string>> refusal;
  // How the worker prepares `request` before answering it (off the loop
  // thread: a body of many small chunks takes a while to decode).
  size_t head_length = 0;      // the head's bytes in `request`
  bool chunked = false;        // decode the body (DechunkRequest)
  bool drop_expect = false;    // the loop already sent 100 Continue
};

class FrontEnd {
 public:
  struct Options {
    int threads = 8;
    RequestFramer::Limits limits;
    size_t max_connections = 1000;
    size_t max_connections_per_client = 500;
    // From a request's first byte to its last, plus a second for every
    // 256 KiB read (a large upload that keeps coming is not cut off).
    absl::Duration request_timeout = absl::Seconds(5);
    // How long a kept-alive connection may wait for its next request.
    absl::Duration idle_timeout = absl::Seconds(5);
    // Bytes of requests received and not yet answered, across every
    // connection: being read, waiting for a worker, or being answered. A
    // read that would pass it gets 503 for its connection, which is then
    // closed: many uploads at once cannot take more memory than this,
    // however many connections carry them.
    size_t max_buffered = size_t{256} << 20;
    // True for a method whose request is answered without its body (the
    // read-only demo's 405): handed to a worker as soon as the head is in.
    std::function<bool(const std::string& method)> answer_before_body;
  };
  // Answers `job` on job.fd (blocking writes are fine: the socket is
  // non-blocking, the handler waits for it). True: the connection may
  // carry another request.
  using Handler = std::function<bool(const Job& job)>;

  FrontEnd(Options options, Handler handler);
  ~FrontEnd();
  FrontEnd(const FrontEnd&) = delete;
  FrontEnd& operator=(const FrontEnd&) = delete;

  // Binds and listens; port 0 picks a free port. kUnavailable with the
  // reason when the address cannot be bound.
  absl::Status Listen(const std::string& host, int port);
  int port() const { return port_; }

  // Serves until Stop: accepts, reads, hands out, closes. Requests being
  // read (within their deadline) or answered finish first; then every
  // connection is closed.
  void Run();
  // True from the start of Run until it is about to return.
  bool running() const { return running_; }
  void Stop();

 private:
  struct Conn;

  void Accept();
  bool MakeRoom(const std::string& ip);
  void OnReadable(Conn& conn);
  void StartReading(Conn& conn, absl::Time now);
  void Advance(Conn& conn);
  void Dispatch(Conn& conn, size_t length,
                std::optional<std::pair<int, std::string>> refusal);
  void TakeBack();
  void Expire(absl::Time now);
  void Close(int fd);
  void Linger(Conn& conn);
  void Watch(Conn& conn, bool on);
  // Brings buffered_ up to date with conn's buf and job_bytes.
  void Count(Conn& conn);
  void Work();

  const Options options_;
  const Handler handler_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};

  // The loop's own state.
  absl::flat_hash_map<int, std::unique_ptr<Conn>> conns_;
  absl::flat_hash_map<std::string, size_t> per_client_;
  // The sum of every connection's buf size and job_bytes
  // (Options::max_buffered).
  size_t buffered_ = 0;
  // While out of descriptors, accepting pauses until then.
  absl::Time accept_paused_until_ = absl::InfinitePast();

  Mutex mu_;
  std::condition_variable_any work_ready_;
  std::deque<Job> jobs_ ABSL_GUARDED_BY(mu_);
  // Connections whose job is done: fd and whether to keep it open.
  std::vector<std::pair<int, bool>> done_ ABSL_GUARDED_BY(mu_);
  bool workers_stop_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_FRONT_END_H_
