// HTTP benchmarks of real viewer processes (docs/benchmarks.md, "HTTP"):
// the viewer binary on a memory store (--in-memory-db), a SQLite file, or
// a PostgreSQL database, with one process or two processes on the same
// PostgreSQL database behind the same clients.
//
//   BM_ProcessGetServerJson/<store>/<processes>/threads:<clients>
//       GET /servers/<name>.json over keep-alive connections, one per
//       client thread, the clients spread over the processes in turn
//   BM_ProcessCreateServer/<store>/<processes>/threads:<clients>
//       POST /servers (JSON API), a new server each
//
// <store> is 0 memory, 1 disk (SQLite file), 2 postgres; <processes> is 1
// or 2 (two only on PostgreSQL: the other stores are not shared between
// processes). The PostgreSQL database is in a throwaway cluster this
// program starts on first use and removes when it exits
// (tools/pg_cluster/pg_cluster.h; a local server over a Unix socket, not
// syncing to disk). Viewer processes get SIGTERM when this program ends,
// however it ends. Clients, viewers and the PostgreSQL server share the
// machine's cores.
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/bench/http_bench_loops.h"
#include "tools/pg_cluster/pg_cluster.h"

extern char** environ;

namespace viewer {
namespace {

enum ProcessStore { kMemory = 0, kDisk = 1, kPostgres = 2 };
const char* const kProcessStoreNames[] = {"memory", "disk", "postgres"};

void Check(bool ok, const std::string& what) {
  if (!ok) {
    fprintf(stderr, "http_bench: %s\n", what.c_str());
    abort();
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One viewer process on a free port of 127.0.0.1, its output in files of
// `dir`, which is also its working folder (the SQLite file goes there).
class ViewerProcess {
 public:
  ViewerProcess(const std::string& dir, int index,
                const std::vector<std::string>& flags,
                const std::string& database_url) {
    const std::string out = absl::StrCat(dir, "/stdout-", index, ".txt");
    const std::string err = absl::StrCat(dir, "/stderr-", index, ".txt");
    std::vector<std::string> args = {VIEWER_BINARY, "--port", "0", "--cids-dir",
                                     std::string(VIEWER_SOURCE_DIR) + "/cids"};
    args.insert(args.end(), flags.begin(), flags.end());
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
      if (!absl::StartsWith(*e, "DATABASE_URL=")) env.push_back(*e);
    }
    if (!database_url.empty()) env.push_back("DATABASE_URL=" + database_url);
    std::vector<char*> argv, envp;
    for (std::string& a : args) argv.push_back(a.data());
    for (std::string& e : env) envp.push_back(e.data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);
    pid_ = fork();
    Check(pid_ >= 0, "fork");
    if (pid_ == 0) {
      // Only async-signal-safe calls until exec. The viewer ends with
      // this program (the thread that forks is the benchmark's main one).
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (o < 0 || e < 0 || dup2(o, STDOUT_FILENO) < 0 ||
          dup2(e, STDERR_FILENO) < 0 || chdir(dir.c_str()) != 0) {
        _exit(127);
      }
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    // "listening on http://127.0.0.1:PORT (Ctrl-C to stop)"
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (port_ <= 0) {
      const std::string text = ReadFile(out);
      const size_t at = text.find("listening on http://127.0.0.1:");
      if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
        const size_t from = at + 30;
        Check(absl::SimpleAtoi(text.substr(from, text.find(' ', from) - from),
                               &port_),
              "no port in: " + text);
        break;
      }
      int status = 0;
      Check(waitpid(pid_, &status, WNOHANG) == 0,
            "viewer exited before listening: " + ReadFile(err));
      Check(std::chrono::steady_clock::now() < deadline,
            "viewer did not listen within 30 s: " + ReadFile(err));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  // SIGTERM, and SIGKILL if the viewer has not exited 10 s later.
  ~ViewerProcess() {
    kill(pid_, SIGTERM);
    int status = 0;
    for (int waited_ms = 0; waitpid(pid_, &status, WNOHANG) == 0;
         waited_ms += 10) {
      if (waited_ms == 10'000) kill(pid_, SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ViewerProcess(const ViewerProcess&) = delete;
  ViewerProcess& operator=(const ViewerProcess&) = delete;

  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = -1;
};

// `processes` viewers on one fresh store, with one server "bench" to read.
class ProcessRig {
 public:
  ProcessRig(ProcessStore store, int processes) {
    std::string pattern = "/tmp/http_bench_proc-XXXXXX";
    Check(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
    dir_ = pattern;
    std::string url;
    std::vector<std::string> flags;
    if (store == kMemory) flags.push_back("--in-memory-db");
    if (store == kPostgres) {
      unsetenv("VIEWER_TEST_PG_DIR");  // always a cluster of our own
      absl::StatusOr<PgCluster*> cluster = PgCluster::Get();
      Check(cluster.ok(), cluster.status().ToString());
      absl::StatusOr<std::unique_ptr<PgDatabase>> db =
          PgDatabase::Create(**cluster);
      Check(db.ok(), db.status().ToString());
      database_ = std::move(*db);
      url = database_->url();
    }
    for (int i = 0; i < processes; ++i) {
      viewers_.push_back(std::make_unique<ViewerProcess>(dir_, i, flags, url));
    }
    httplib::Result r = NewClient(0)->Post(
        "/servers",
        nlohmann::json{{"name", "bench"},
                       {"definition", "Hello {{request.query.who}} from bench"}}
            .dump(),
        "application/json");
    Check(r && r->status == 201, "creating the server to read");
  }
  ~ProcessRig() {
    viewers_.clear();   // before the database goes
    database_.reset();  // drops it
    std::filesystem::remove_all(dir_);
  }

  // A keep-alive client of viewer `i % processes`.
  std::unique_ptr<httplib::Client> NewClient(int i) const {
    const int port = viewers_[i % viewers_.size()]->port();
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
    c->set_keep_alive(true);
    c->set_tcp_nodelay(true);
    c->set_read_timeout(30, 0);
    return c;
  }

 private:
  std::string dir_;
  std::unique_ptr<PgDatabase> database_;
  std::vector<std::unique_ptr<ViewerProcess>> viewers_;
};

// The rig of the running benchmark, shared by its threads: thread 0 makes
// it (replacing the previous benchmark's, unless it has the same store and
// process count) on the main thread; the other threads wait for it.
std::mutex rig_mutex;
std::condition_variable rig_ready;
ProcessRig* rig = nullptr;
int64_t rig_key = -1;

void DestroyRig() {
  std::lock_guard<std::mutex> lock(rig_mutex);
  delete rig;
  rig = nullptr;
  rig_key = -1;
}

ProcessRig& SharedRig(const benchmark::State& state) {
  const auto store = static_cast<ProcessStore>(state.range(0));
  const int processes = static_cast<int>(state.range(1));
  const int64_t key = state.range(0) * 100 + state.range(1);
  std::unique_lock<std::mutex> lock(rig_mutex);
  if (state.thread_index() == 0 && rig_key != key) {
    delete rig;
    rig = nullptr;
    rig = new ProcessRig(store, processes);
    rig_key = key;
    // After any cluster's own clean-up was registered, so that it runs
    // first: the viewers stop before their database's server does.
    atexit(DestroyRig);
    rig_ready.notify_all();
  }
  rig_ready.wait(lock, [&] { return rig_key == key; });
  return *rig;
}

void Label(benchmark::State& state) {
  state.SetLabel(absl::StrCat(kProcessStoreNames[state.range(0)], ", ",
                              state.range(1), " process",
                              state.range(1) > 1 ? "es" : ""));
}

void BM_ProcessGetServerJson(benchmark::State& state) {
  Label(state);
  std::unique_ptr<httplib::Client> client =
      SharedRig(state).NewClient(state.thread_index());
  bench::GetLoop(state, *client);
  client->stop();
}

void BM_ProcessCreateServer(benchmark::State& state) {
  Label(state);
  static std::atomic<int64_t> next{0};
  std::unique_ptr<httplib::Client> client =
      SharedRig(state).NewClient(state.thread_index());
  bench::CreateLoop(state, *client, [] { return next++; });
  client->stop();
}

// One client, then 8 clients, on one process of each store; then 8
// clients on two PostgreSQL processes (4 on each).
void OneProcess(benchmark::internal::Benchmark* b) {
  for (int store : {kMemory, kDisk, kPostgres}) b->Args({store, 1});
}

BENCHMARK(BM_ProcessGetServerJson)
    ->Apply(OneProcess)
    ->Threads(1)
    ->Threads(8)
    ->UseRealTime();
BENCHMARK(BM_ProcessGetServerJson)
    ->Args({kPostgres, 2})
    ->Threads(8)
    ->UseRealTime();
BENCHMARK(BM_ProcessCreateServer)
    ->Apply(OneProcess)
    ->Threads(1)
    ->Threads(8)
    ->UseRealTime();
BENCHMARK(BM_ProcessCreateServer)
    ->Args({kPostgres, 2})
    ->Threads(8)
    ->UseRealTime();

}  // namespace
}  // namespace viewer
