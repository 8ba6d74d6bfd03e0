#include "http/launch.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
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
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "app/cid_directory.h"
#include "app/schemas.h"
#include "http/config.h"
#include "http/render.h"
#include "http/server.h"
#include "http/session.h"

namespace viewer {
namespace {

std::string Prefix(const Config& config) {
  return config.mode == StoreMode::kMemory ? "viewer [memory] " : "viewer [disk] ";
}

void Say(const Config& config, absl::string_view line) {
  std::cout << Prefix(config) << line << std::endl;
}

// One line whatever the message: an import document's problems come one a
// line ("... nothing was imported:\nservers[0].name: ...").
int Fail(absl::string_view message, int code = 1) {
  std::cerr << "viewer: error: "
            << absl::StrReplaceAll(message, {{":\n", ": "}, {"\n", "; "}})
            << std::endl;
  return code;
}

// "server 2, alias 1, ... rows" for the start-up line of a loaded file.
std::string RowSummary(Store& store) {
  absl::StatusOr<StoreStats> stats = store.Stats();
  if (!stats.ok()) return stats.status().ToString();
  std::vector<std::string> parts;
  int64_t total = 0;
  for (const TableStats& t : stats->tables) {
    parts.push_back(absl::StrCat(t.table, " ", t.rows));
    total += t.rows;
  }
  return absl::StrCat(total, " rows (", absl::StrJoin(parts, ", "), ")");
}

// For a start-up step refused by the memory limit: how to get past it.
std::string RaiseLimitHint(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kResourceExhausted) return "";
  return " (start viewer with a larger --max-memory)";
}

// Rows in the store's cid table (0 when it cannot be counted).
int64_t CidRows(Store& store) {
  absl::StatusOr<StoreStats> stats = store.Stats();
  if (!stats.ok()) return 0;
  for (const TableStats& t : stats->tables) {
    if (t.table == kCidTable) return t.rows;
  }
  return 0;
}

// `cids_at_start`: the CIDs the session began with (--load, --seed), not
// counted as created.
void PrintDiscarded(const Config& config, Store& store, int64_t cids_at_start) {
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
  Say(config,
      absl::StrCat(
          "discarding the in-memory database: ", absl::StrJoin(parts, ", "),
          " rows; ", std::max<int64_t>(0, cids - cids_at_start),
          " CIDs created this session; ", stats->bytes_used, " bytes"));
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

  const bool memory = config.mode == StoreMode::kMemory;
  if (memory) {
    std::cerr << "viewer: WARNING: in-memory database ("
              << (config.read_only ? "--read-only" : "--in-memory-db")
              << "). Nothing is written to disk"
              << (config.dump_path.empty()
                      ? ": everything created in this session is lost when "
                        "viewer stops."
                      : absl::StrCat(" except the dump to ", config.dump_path,
                                     " at exit and on POST /api/dump "
                                     "(--dump-db-on-exit)."))
              << " The cids folder " << config.cids_dir
              << " is only read, never written." << std::endl;
  }
  Say(config,
      absl::StrCat("viewer ", ViewerVersion(), " starting in ",
                   memory ? (config.read_only ? "memory mode, read-only demo "
                                                "(--read-only)"
                                              : "memory mode (--in-memory-db)")
                          : "disk mode"));
  if (memory && config.memory_overrides_database_url) {
    Say(config,
        absl::StrCat(config.read_only ? "--read-only" : "--in-memory-db",
                     " wins over DATABASE_URL=", config.database_url,
                     "; that database is not opened"));
  }
  if (!config.dump_path.empty()) {
    if (absl::Status s = CheckDumpTarget(config.dump_path); !s.ok()) {
      return Fail(s.message());
    }
  }
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSessionStore(config);
  if (!store.ok()) {
    if (!config.load_path.empty()) {
      // LoadIntoMemory names the file already ("loading FILE: ...").
      return Fail(absl::StrCat(
          "cannot load ", config.load_path, ": ",
          absl::StripPrefix(store.status().message(),
                            absl::StrCat("loading ", config.load_path, ": ")),
          RaiseLimitHint(store.status())));
    }
    return Fail(absl::StrCat("cannot open the database ",
                             config.database_path, ": ",
                             store.status().message()));
  }
  if (memory) {
    Say(config,
        absl::StrCat("database: in memory, up to ",
                     HumanBytes(static_cast<int64_t>(config.max_memory_bytes)),
                     " (--max-memory); ",
                     config.dump_path.empty()
                         ? "nothing is written to disk"
                         : absl::StrCat("dumped to ", config.dump_path,
                                        " at exit and on POST /api/dump")));
  } else {
    Say(config, absl::StrCat("database: ", (*store)->Describe(),
                             " (DATABASE_URL=", config.database_url, ")"));
  }
  if (!config.load_path.empty()) {
    Say(config, absl::StrCat("loaded ", config.load_path, ": ",
                             RowSummary(**store), "; the file is only read"));
  }
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
  if (!config.seed.empty()) {
    absl::StatusOr<int64_t> seeded = SeedSession(config, **store, cids->get());
    if (!seeded.ok()) {
      return Fail(absl::StrCat("cannot seed '", config.seed,
                               "': ", seeded.status().message(),
                               RaiseLimitHint(seeded.status())));
    }
    Say(config, absl::StrCat("seeded '", config.seed, "': ", *seeded,
                             " servers, aliases, variables and secrets "
                             "added (what existed is kept)"));
  }
  if (config.read_only) {
    Say(config,
        "read-only: every request but GET and HEAD is refused (405); "
        "no page views are recorded");
  }
  const int64_t cids_at_start = memory ? CidRows(**store) : 0;
  SessionDumper dumper(store->get(), config.dump_path);

  ViewerOptions options{.store = store->get(),
                        .cids = cids->get(),
                        .memory_mode = memory,
                        .max_body_bytes = config.max_body_bytes,
                        .threads = config.threads,
                        .log_requests = config.debug,
                        .read_only = config.read_only};
  if (memory && !config.dump_path.empty()) {
    options.dump = [&dumper] { return dumper.Dump().status(); };
    options.dump_path = config.dump_path;
  }
  ViewerServer server(std::move(options));
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

  if (memory && !config.dump_path.empty()) {
    Say(config, absl::StrCat("dumping the in-memory database to ",
                             config.dump_path, " ..."));
    absl::StatusOr<DumpReport> dumped = dumper.Dump();
    if (!dumped.ok()) {
      std::cerr << "viewer: error: the dump to " << config.dump_path
                << " failed (the file is as it was): "
                << dumped.status().message() << std::endl;
      PrintDiscarded(config, **store, cids_at_start);
      return 1;
    }
    Say(config, absl::StrCat("dumped ", dumped->rows, " rows to ",
                             config.dump_path, " (", HumanBytes(dumped->bytes),
                             ", ", static_cast<int64_t>(dumped->milliseconds),
                             " ms); open it with DATABASE_URL=sqlite:///",
                             config.dump_path,
                             " viewer, or load it with "
                             "--load"));
  } else if (memory) {
    PrintDiscarded(config, **store, cids_at_start);
  } else {
    Say(config, absl::StrCat("stopped; everything is kept in ",
                             config.database_path));
  }
  return 0;
}

}  // namespace viewer
