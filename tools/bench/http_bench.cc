// HTTP benchmarks of the whole viewer application (docs/benchmarks.md,
// "HTTP"):
//
//   BM_GetServerJson/<store>             GET /servers/<name>.json over one
//                                        keep-alive connection
//                                        (target >= 10,000 req/s, memory)
//   BM_GetServerJsonConcurrent/threads:8 the same from 8 keep-alive
//                                        connections at once, memory
//                                        (target >= 20,000 req/s in total)
//   BM_CreateServer/<store>              POST /servers (JSON API), one new
//                                        server each (target: memory at
//                                        least 2x disk)
//   BM_StartToListening/<mode>           the real viewer binary, with the
//                                        project's cids folder, from spawn
//                                        to its "listening on" line and to
//                                        its first answer (target < 100 ms,
//                                        medians of kStarts runs)
//
//   build/tools/bench/http_bench --benchmark_min_time=2
//
// The same binary also runs real viewer processes on memory, SQLite and
// PostgreSQL, two of them on one PostgreSQL database
// (http_bench_processes.cc).
//
// (a)-(c) run ViewerServer in this process on 127.0.0.1 (TCP_NODELAY, its
// thread pool), clients are cpp-httplib keep-alive clients. "disk" is a
// SQLite file in a temporary folder, as `viewer` uses it. Figures go to
// docs/benchmarks.md, section "HTTP".
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/schemas.h"
#include "benchmark/benchmark.h"
#include "engine/memory_store.h"
#include "http/server.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "sqlite_backend/sqlite_store.h"
#include "tools/bench/http_bench_loops.h"

extern char** environ;

namespace viewer {
namespace {

enum StoreKind { kMemory = 0, kDisk = 1 };
const char* const kStoreNames[] = {"memory", "disk"};

void Check(bool ok, const std::string& what) {
  if (!ok) {
    fprintf(stderr, "http_bench: %s\n", what.c_str());
    abort();
  }
}

// A viewer on a free port of 127.0.0.1 around a fresh store, with one
// server "bench" to read.
class Rig {
 public:
  explicit Rig(StoreKind kind) {
    if (kind == kMemory) {
      MemoryOptions o;
      o.catalog = AppCatalog();
      auto s = MemoryStore::Open(std::move(o));
      Check(s.ok(), s.status().ToString());
      store_ = std::move(*s);
    } else {
      std::string pattern = "/tmp/http_bench-XXXXXX";
      Check(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
      dir_ = pattern;
      SqliteOptions o;
      o.path = dir_ + "/secureapp.db";
      o.catalog = AppCatalog();
      auto s = SqliteStore::Open(std::move(o));
      Check(s.ok(), s.status().ToString());
      store_ = std::move(*s);
    }
    server_ = std::make_unique<ViewerServer>(
        ViewerOptions{.store = {.store = store_.get(),
                                .mode = kind == kMemory ? StoreMode::kMemory
                                                        : StoreMode::kDisk},
                      .log = [](absl::string_view) {}});
    Check(server_->Bind("127.0.0.1", 0).ok(), "bind");
    Check(server_->Start().ok(), "start");
    httplib::Result r = NewClient()->Post(
        "/servers",
        nlohmann::json{{"name", "bench"},
                       {"definition", "Hello {{request.query.who}} from bench"}}
            .dump(),
        "application/json");
    Check(r && r->status == 201, "creating the server to read");
  }
  ~Rig() {
    server_->Stop();
    server_.reset();
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<httplib::Client> NewClient() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    c->set_keep_alive(true);
    c->set_tcp_nodelay(true);
    return c;
  }

 private:
  std::string dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ViewerServer> server_;
};

// (a) One keep-alive connection.
void BM_GetServerJson(benchmark::State& state) {
  const auto kind = static_cast<StoreKind>(state.range(0));
  state.SetLabel(kStoreNames[kind]);
  Rig rig(kind);
  std::unique_ptr<httplib::Client> client = rig.NewClient();
  bench::GetLoop(state, *client);
  client->stop();
}
BENCHMARK(BM_GetServerJson)->Arg(kMemory)->Arg(kDisk)->UseRealTime();

// (b) Eight keep-alive connections, one per benchmark thread, against one
// memory-mode viewer.
void BM_GetServerJsonConcurrent(benchmark::State& state) {
  static Rig* rig = new Rig(kMemory);  // shared by all threads; kept
  state.SetLabel("memory");
  std::unique_ptr<httplib::Client> client = rig->NewClient();
  bench::GetLoop(state, *client);
  client->stop();
}
BENCHMARK(BM_GetServerJsonConcurrent)->Threads(8)->UseRealTime();

// (c) Creating servers through the JSON API: one write transaction (row,
// interaction, definition CID) per request.
void BM_CreateServer(benchmark::State& state) {
  const auto kind = static_cast<StoreKind>(state.range(0));
  state.SetLabel(kStoreNames[kind]);
  Rig rig(kind);
  std::unique_ptr<httplib::Client> client = rig.NewClient();
  int64_t n = 0;
  bench::CreateLoop(state, *client, [&] { return n++; });
  client->stop();
}
BENCHMARK(BM_CreateServer)->Arg(kMemory)->Arg(kDisk)->UseRealTime();

// (d) The real binary, from spawn to "listening on" and to a first answer.
constexpr int kStarts = 21;

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct StartTimes {
  double to_line_ms;
  double to_answer_ms;
};

// Starts viewer in `cwd`, waits for its "listening on" line (read from a
// pipe) and for GET /status.json to answer, then stops it with SIGTERM.
StartTimes StartOnce(StoreKind kind, const std::string& cwd) {
  const std::string cids = std::string(VIEWER_SOURCE_DIR) + "/cids";
  std::vector<std::string> args = {VIEWER_BINARY, "--port", "0", "--cids-dir",
                                   cids};
  if (kind == kMemory) args.push_back("--in-memory-db");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  Check(pipe(out) == 0, "pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = -1;
  Check(posix_spawn(&pid, VIEWER_BINARY, &actions, nullptr, argv.data(),
                    environ) == 0,
        "posix_spawn " VIEWER_BINARY);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  std::string text;
  char buf[4096];
  size_t at;
  while ((at = text.find("listening on http://")) == std::string::npos) {
    ssize_t n = read(out[0], buf, sizeof(buf));
    Check(n > 0, "viewer exited before listening: " + text);
    text.append(buf, static_cast<size_t>(n));
  }
  while (text.find('\n', at) == std::string::npos) {
    ssize_t n = read(out[0], buf, sizeof(buf));
    Check(n > 0, "viewer's listening line was cut");
    text.append(buf, static_cast<size_t>(n));
  }
  const auto line_seen = std::chrono::steady_clock::now();
  // "listening on http://127.0.0.1:PORT (Ctrl-C to stop)"
  const size_t colon = text.find(':', at + 20);
  int port = 0;
  Check(absl::SimpleAtoi(
            text.substr(colon + 1, text.find(' ', colon) - colon - 1), &port),
        "no port in: " + text);
  httplib::Client client("127.0.0.1", port);
  httplib::Result r = client.Get("/status.json");
  for (int tries = 1; tries < 1000 && !r; ++tries) {
    r = client.Get("/status.json");
  }
  Check(r && r->status == 200, "no answer from viewer");
  const auto answered = std::chrono::steady_clock::now();
  client.stop();
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  close(out[0]);
  return {Ms(line_seen - start), Ms(answered - start)};
}

void BM_StartToListening(benchmark::State& state) {
  const auto kind = static_cast<StoreKind>(state.range(0));
  state.SetLabel(kStoreNames[kind]);
  unsetenv("DATABASE_URL");  // disk mode: secureapp.db in the temp folder
  std::string pattern = "/tmp/http_bench_start-XXXXXX";
  Check(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
  std::vector<double> to_line, to_answer;
  for (auto _ : state) {
    for (int i = 0; i < kStarts; ++i) {
      StartTimes t = StartOnce(kind, pattern);
      to_line.push_back(t.to_line_ms);
      to_answer.push_back(t.to_answer_ms);
    }
  }
  std::filesystem::remove_all(pattern);
  state.counters["median_listening_ms"] = Median(to_line);
  state.counters["median_first_answer_ms"] = Median(to_answer);
  state.counters["min_listening_ms"] =
      *std::min_element(to_line.begin(), to_line.end());
  state.counters["max_listening_ms"] =
      *std::max_element(to_line.begin(), to_line.end());
  state.counters["starts"] = static_cast<double>(to_line.size());
}
BENCHMARK(BM_StartToListening)
    ->Arg(kMemory)
    ->Arg(kDisk)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace viewer

BENCHMARK_MAIN();
