// ViewerServer: the whole viewer web application around a given store,
// clock and cids/ folder, ready to listen. main() builds one from the
// command line; tests, benchmarks and the equivalence session build one
// around any Store (memory or SQLite) with a ManualClock.
//
//   ManualClock clock;
//   std::unique_ptr<MemoryStore> store = ...;
//   ViewerServer server({.store = {store.get(), StoreMode::kMemory},
//                        .clock = &clock});
//   if (absl::Status s = server.Bind("127.0.0.1", 0); !s.ok()) ...
//   server.Start();                 // serves from a background thread
//   Get(absl::StrCat(server.url(), "/servers.json"));
//   server.Stop();                  // in-flight requests finish first
//
// Or, in main(): Bind, then Run() in the calling thread, with Stop()
// called from a signal-watching thread.
//
// The routes are listed at the top of each http/routes_<name>.cc (home,
// history, search, entities, cids, export, dump) and routes_fallback.cc
// (the fallback chain: alias, server, CID, 404). Every failure a client
// can cause is a 4xx,
// and a request that fails changes nothing stored (each request writes in one
// transaction, committed only on success).
//
// Thread safety: Bind, Start and Run from one thread, before Stop. Stop may
// be called from any thread, any number of times. Requests are served by a
// pool of worker threads; the store, clock and folder must be safe to use
// from all of them (every Store and Clock in this project is).
#ifndef VIEWER_HTTP_SERVER_H_
#define VIEWER_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/cid_directory.h"
#include "app/store_handle.h"
#include "engine/clock.h"
#include "engine/store.h"

namespace viewer {

struct ViewerOptions {
  // The store holding the application's tables (app/schemas.h), and its
  // mode: memory mode shows a banner on every page and says "memory" in
  // /status.json. The store is not owned and must outlive the server.
  // Required.
  StoreHandle store;
  // Where "now" comes from (uptime; the store has its own); not owned.
  Clock* clock = SystemClock::Get();
  // The read-only cids/ folder; not owned; null when there is none.
  CidDirectory* cids = nullptr;
  // Largest request body accepted; larger ones get 413.
  uint64_t max_body_bytes = uint64_t{64} << 20;
  // Worker threads; 0: one per CPU, at least 8.
  int threads = 0;
  // Log one line per request (method, path, status, milliseconds).
  bool log_requests = false;
  // Where log lines go (without a newline); null: standard output.
  std::function<void(absl::string_view line)> log;
  // A demo session: every method but GET and HEAD is answered 405 before
  // its body is read, no page views are recorded, and servers run without
  // storing their output; nothing the server does writes to the store.
  bool read_only = false;
  // POST /api/dump: writes the whole store to `dump_path` (fixed at start,
  // never chosen by a client) and returns; null when no dump file was
  // named, and the route then answers 409. Called from request threads;
  // must be safe to call concurrently.
  std::function<absl::Status()> dump;
  // The file `dump` writes, for messages and the answer.
  std::string dump_path;
  // Host names (each "name" or "name:port") requests may carry besides the
  // address viewer listens on (--allowed-host); any other Host gets 421
  // (docs/security.md).
  std::vector<std::string> allowed_hosts;
  // Slow and idle clients (docs/security.md): connections open at once, in
  // all and from one client address (past either, the longest-idle
  // connection is closed to make room, else the newcomer gets 503); the
  // time a request may take to arrive whole (408 past it); how long a
  // kept-alive connection may wait for its next request.
  size_t max_connections = 1000;
  size_t max_connections_per_client = 500;
  // Bytes of requests received and not yet answered, across every
  // connection; 0: 256 MiB, or twice the body limit when that is more. A
  // read that would pass it gets 503 for its connection
  // (docs/security.md).
  uint64_t max_buffered_bytes = 0;
  absl::Duration request_timeout = absl::Seconds(5);
  absl::Duration idle_timeout = absl::Seconds(5);
};

// The worker threads a server runs for ViewerOptions::threads `requested`:
// that many, or for 0 one per CPU and at least 8.
int WorkerThreads(int requested);

class ViewerServer {
 public:
  explicit ViewerServer(ViewerOptions options);
  ~ViewerServer();  // Stops and waits.
  ViewerServer(const ViewerServer&) = delete;
  ViewerServer& operator=(const ViewerServer&) = delete;

  // Binds the listening socket; port 0 picks a free port (see port()).
  // kUnavailable "cannot listen on 127.0.0.1:5000: Address already in use"
  // (or the other reason) when the address cannot be bound.
  absl::Status Bind(const std::string& host, int port);
  // The bound port; 0 before Bind.
  int port() const;
  // "http://127.0.0.1:5000".
  std::string url() const;

  // Serves in the calling thread until Stop(). Requires Bind.
  absl::Status Run();
  // Serves from a background thread; returns once connections are
  // accepted. Requires Bind.
  absl::Status Start();
  // Stops accepting, lets requests in progress finish, closes every
  // connection, and (after Start) joins the background thread.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace viewer

#endif  // VIEWER_HTTP_SERVER_H_
