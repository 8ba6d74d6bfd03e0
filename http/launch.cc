#include "http/launch.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/cid_directory.h"
#include "app/schemas.h"
#include "engine/memory_store.h"
#include "http/config.h"
#include "http/server.h"
#include "sqlite_backend/sqlite_store.h"

namespace viewer {
namespace {

std::string Prefix(const Config& config) {
  return config.mode == StoreMode::kMemory ? "viewer [memory] " : "viewer [disk] ";
}

void Say(const Config& config, absl::string_view line) {
  std::cout << Prefix(config) << line << std::endl;
}

int Fail(absl::string_view message, int code = 1) {
  std::cerr << "viewer: error: " << message << std::endl;
  return code;
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const Config& config) {
  if (config.mode == StoreMode::kMemory) {
    MemoryOptions options;
    options.catalog = AppCatalog();
    options.byte_limit = static_cast<int64_t>(config.max_memory_bytes);
    auto store = MemoryStore::Open(std::move(options));
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(*store));
  }
  SqliteOptions options;
  options.path = config.database_path;
  options.catalog = AppCatalog();
  auto store = SqliteStore::Open(std::move(options));
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

void PrintDiscarded(const Config& config, Store& store) {
  absl::StatusOr<StoreStats> stats = store.Stats();
  if (!stats.ok()) {
    Say(config, absl::StrCat("discarding everything (could not count: ",
                             stats.status().ToString(), ")"));
    return;
  }
  std::vector<std::string> parts;
  int64_t cids = 0;
  for (const TableStats& t : stats->tables) {
    parts.push_back(absl::StrCat(t.table, " ", t.rows));
    if (t.table == kCidTable) cids = t.rows;
  }
  Say(config, absl::StrCat("discarding the in-memory database: ",
                           absl::StrJoin(parts, ", "), " rows; ", cids,
                           " CIDs created this session; ", stats->bytes_used,
                           " bytes"));
}

}  // namespace

int RunViewer(int argc, char** argv) {
  absl::StatusOr<CommandLine> cl =
      ParseCommandLine(argc, argv, GetEnv("DATABASE_URL"));
  if (!cl.ok()) return Fail(cl.status().message(), 2);
  if (cl->action != CommandLine::kRun) {
    std::cout << cl->text;
    return 0;
  }
  const Config& config = cl->config;

  // Signals are taken by one watcher thread; block them everywhere else
  // before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);  // internal: wakes the watcher to exit
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  if (config.mode == StoreMode::kMemory) {
    std::cerr << "viewer: WARNING: in-memory database (--in-memory-db). "
                 "Nothing is written to disk: everything created in this "
                 "session is lost when viewer stops. The cids folder "
              << config.cids_dir << " is only read, never written."
              << std::endl;
  }
  Say(config, absl::StrCat("viewer ", ViewerVersion(), " starting in ",
                           config.mode == StoreMode::kMemory
                               ? "memory mode (--in-memory-db)"
                               : "disk mode"));
  if (config.mode == StoreMode::kMemory) {
    if (config.memory_overrides_database_url) {
      Say(config, absl::StrCat("--in-memory-db wins over DATABASE_URL=",
                               config.database_url,
                               "; that database is not opened"));
    }
  }
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(config);
  if (!store.ok()) {
    return Fail(absl::StrCat("cannot open the database ",
                             config.database_path, ": ",
                             store.status().message()));
  }
  Say(config, config.mode == StoreMode::kMemory
                  ? absl::StrCat("database: in memory, up to ",
                                 config.max_memory_bytes,
                                 " bytes; nothing is written to disk")
                  : absl::StrCat("database: ", (*store)->Describe(),
                                 " (DATABASE_URL=", config.database_url, ")"));
  absl::StatusOr<std::unique_ptr<CidDirectory>> cids =
      CidDirectory::Open({.path = config.cids_dir});
  if (!cids.ok()) {
    return Fail(absl::StrCat("cannot read the cids folder ", config.cids_dir,
                             ": ", cids.status().message()));
  }
  Say(config, (*cids)->Summary());
  for (const CidDirectory::Problem& p : (*cids)->DrainProblems()) {
    Say(config, absl::StrCat("cids: bad file ", absl::CHexEscape(p.name), ": ",
                             p.reason));
  }

  ViewerServer server({.store = store->get(),
                       .cids = cids->get(),
                       .memory_mode = config.mode == StoreMode::kMemory,
                       .max_body_bytes = config.max_body_bytes,
                       .threads = config.threads,
                       .log_requests = config.debug});
  if (absl::Status s = server.Bind(config.host, config.port); !s.ok()) {
    return Fail(s.message());
  }
  Say(config, absl::StrCat("listening on ", server.url(),
                           " (Ctrl-C to stop)"));

  std::atomic<bool> run_returned{false};
  std::thread watcher([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGUSR1) return;
    Say(config, absl::StrCat(sig == SIGINT ? "SIGINT" : "SIGTERM",
                             ": finishing requests in progress, then stopping"));
    // Stop() before the server is running is a no-op; repeat until Run
    // has returned.
    while (!run_returned) {
      server.Stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  absl::Status run = server.Run();
  run_returned = true;
  pthread_kill(watcher.native_handle(), SIGUSR1);
  watcher.join();
  if (!run.ok()) return Fail(run.message());

  if (config.mode == StoreMode::kMemory) {
    PrintDiscarded(config, **store);
  } else {
    Say(config, absl::StrCat("stopped; everything is kept in ",
                             config.database_path));
  }
  return 0;
}

}  // namespace viewer
