#include "http/launch.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
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
#include "app/cid_repository.h"
#include "app/export_import.h"
#include "app/schemas.h"
#include "engine/status_macros.h"
#include "http/config.h"
#include "http/copy_command.h"
#include "http/render.h"
#include "http/server.h"
#include "http/session.h"

namespace viewer {
namespace {

// What one run holds from start-up to exit.
struct RunState {
  SessionStore store;
  std::unique_ptr<CidDirectory> cids;
  // The CIDs the session began with (--load, --seed), not counted as
  // created when a memory session says what it discards.
  int64_t cids_at_start = 0;
};

void Say(const Config& config, absl::string_view line) {
  std::cout << "viewer [" << StoreModeName(config.mode) << "] " << line
            << std::endl;
}

// One line whatever the message: an import document's problems come one a
// line ("... nothing was imported:\nservers[0].name: ...").
int Fail(absl::string_view message, int code = 1) {
  std::cerr << "viewer: error: "
            << absl::StrReplaceAll(message, {{":\n", ": "}, {"\n", "; "}})
            << std::endl;
  return code;
}

// The message of a failed step as the last line says it (the status code
// is not shown: Fail prints the message alone).
absl::Status Failed(const absl::Status& status, absl::string_view message) {
  return absl::Status(status.code(), message);
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

// Signals are taken by one watcher thread (ServeUntilSignal); they are
// blocked everywhere else, before any thread starts.
sigset_t BlockSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);  // internal: wakes the watcher to exit
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return signals;
}

// The warning on stderr (memory mode) and the first start-up lines.
void AnnounceStart(const Config& config) {
  const char* flag = config.read_only ? "--read-only" : "--in-memory-db";
  if (config.in_memory()) {
    std::cerr << "viewer: WARNING: in-memory database (" << flag
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
                   config.mode == StoreMode::kDisk       ? "disk mode"
                   : config.mode == StoreMode::kPostgres ? "PostgreSQL mode"
                   : config.read_only
                       ? "memory mode, read-only demo (--read-only)"
                       : "memory mode (--in-memory-db)"));
  if (config.in_memory() && config.memory_overrides_database_url) {
    Say(config, absl::StrCat(flag, " wins over DATABASE_URL=",
                             config.database_url_shown(),
                             "; that database is not opened"));
  }
}

// The store, after checking that a dump at exit could be written; says
// which database it is and what --load read.
absl::StatusOr<SessionStore> OpenStore(const Config& config) {
  if (!config.dump_path.empty()) {
    VIEWER_RETURN_IF_ERROR(CheckDumpTarget(config.dump_path));
  }
  absl::StatusOr<SessionStore> opened = OpenSessionStore(config);
  if (!opened.ok() && !config.load_path.empty()) {
    // LoadIntoMemory names the file already ("loading FILE: ...").
    return Failed(
        opened.status(),
        absl::StrCat(
            "cannot load ", UrlWithoutPassword(config.load_path), ": ",
            absl::StripPrefix(opened.status().message(),
                              absl::StrCat("loading ", config.load_path, ": ")),
            RaiseLimitHint(opened.status())));
  }
  if (!opened.ok()) {
    return Failed(opened.status(),
                  absl::StrCat("cannot open the database ",
                               config.mode == StoreMode::kPostgres
                                   ? config.database_url_shown()
                                   : config.database_path,
                               ": ", opened.status().message()));
  }
  Store& store = *opened->store;
  if (config.in_memory()) {
    Say(config,
        absl::StrCat("database: in memory, up to ",
                     HumanBytes(static_cast<int64_t>(config.max_memory_bytes)),
                     " (--max-memory); ",
                     config.dump_path.empty()
                         ? "nothing is written to disk"
                         : absl::StrCat("dumped to ", config.dump_path,
                                        " at exit and on POST /api/dump")));
  } else {
    Say(config, absl::StrCat("database: ", store.Describe(), " (DATABASE_URL=",
                             config.database_url_shown(), ")"));
  }
  if (!config.load_path.empty()) {
    Say(config,
        absl::StrCat("loaded ", UrlWithoutPassword(config.load_path), ": ",
                     RowSummary(store), "; the file is only read"));
  }
  return opened;
}

// The cids folder, its summary and the bad files found while listing it.
absl::StatusOr<std::unique_ptr<CidDirectory>> OpenCidsFolder(
    const Config& config) {
  absl::StatusOr<std::unique_ptr<CidDirectory>> cids =
      CidDirectory::Open({.path = config.cids_dir});
  if (!cids.ok()) {
    return Failed(cids.status(),
                  absl::StrCat("cannot read the cids folder ", config.cids_dir,
                               ": ", cids.status().message()));
  }
  Say(config, (*cids)->Summary());
  for (const CidDirectory::Problem& p : (*cids)->DrainProblems()) {
    Say(config, absl::StrCat("cids: bad file ", absl::CHexEscape(p.name), ": ",
                             p.reason));
  }
  return cids;
}

// --seed, when given.
absl::Status Seed(const Config& config, RunState& run) {
  if (config.seed.empty()) return absl::OkStatus();
  absl::StatusOr<int64_t> seeded =
      SeedSession(config, *run.store.store, run.cids.get());
  if (!seeded.ok()) {
    return Failed(seeded.status(),
                  absl::StrCat("cannot seed '", config.seed,
                               "': ", seeded.status().message(),
                               RaiseLimitHint(seeded.status())));
  }
  Say(config, absl::StrCat("seeded '", config.seed, "': ", *seeded,
                           " servers, aliases, variables and secrets "
                           "added (what existed is kept)"));
  return absl::OkStatus();
}

// --boot-cid, when given: the document it names, imported whole.
absl::Status BootImport(const Config& config, RunState& run) {
  if (config.boot_cid.empty()) return absl::OkStatus();
  const CidRepository cids(run.cids.get());
  const char* key = std::getenv("VIEWER_SECRET_KEY");
  absl::StatusOr<ImportResult> imported =
      [&]() -> absl::StatusOr<ImportResult> {
    VIEWER_ASSIGN_OR_RETURN(
        std::unique_ptr<Transaction> txn,
        run.store.store->Begin(TransactionMode::kReadWrite));
    VIEWER_ASSIGN_OR_RETURN(std::shared_ptr<const std::string> document,
                            cids.Get(*txn, config.boot_cid));
    VIEWER_ASSIGN_OR_RETURN(
        ImportResult result,
        ApplyImport(*txn, *document,
                    {.secret_key = key == nullptr ? "" : key, .cids = &cids}));
    VIEWER_RETURN_IF_ERROR(txn->Commit());
    return result;
  }();
  if (!imported.ok()) {
    return Failed(imported.status(),
                  absl::StrCat("cannot import --boot-cid ", config.boot_cid,
                               ": ", imported.status().message(),
                               RaiseLimitHint(imported.status())));
  }
  Say(config, absl::StrCat("imported --boot-cid ", config.boot_cid, ": ",
                           imported->Summary()));
  for (const std::string& note : imported->notes) {
    Say(config, absl::StrCat("boot import: ", note));
  }
  return absl::OkStatus();
}

// Every step before serving, in order; each says what it did.
absl::StatusOr<RunState> StartUp(const Config& config) {
  RunState run;
  VIEWER_ASSIGN_OR_RETURN(run.store, OpenStore(config));
  VIEWER_ASSIGN_OR_RETURN(run.cids, OpenCidsFolder(config));
  VIEWER_RETURN_IF_ERROR(Seed(config, run));
  VIEWER_RETURN_IF_ERROR(BootImport(config, run));
  if (config.read_only) {
    Say(config,
        "read-only: every request but GET and HEAD is refused (405); "
        "no page views are recorded");
  }
  if (config.in_memory()) run.cids_at_start = CidRows(*run.store.store);
  return run;
}

ViewerOptions ServerOptions(const Config& config, const RunState& run,
                            SessionDumper& dumper) {
  ViewerOptions options{.store = run.store.handle(),
                        .cids = run.cids.get(),
                        .max_body_bytes = config.max_body_bytes,
                        .threads = config.threads,
                        .log_requests = config.debug,
                        .read_only = config.read_only,
                        .allowed_hosts = config.allowed_hosts};
  if (config.in_memory() && !config.dump_path.empty()) {
    options.dump = [&dumper] { return dumper.Dump().status(); };
    options.dump_path = config.dump_path;
  }
  return options;
}

// Serves until SIGINT or SIGTERM, which a watcher thread turns into Stop.
absl::Status ServeUntilSignal(const Config& config, ViewerServer& server,
                              const sigset_t& signals) {
  Say(config, absl::StrCat("listening on ", server.url(), " (Ctrl-C to stop)"));
  std::atomic<bool> run_returned{false};
  std::thread watcher([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGUSR1) return;
    Say(config,
        absl::StrCat(sig == SIGINT ? "SIGINT" : "SIGTERM",
                     ": finishing requests in progress, then stopping"));
    // Stop() before the server is running is a no-op; repeat until Run
    // has returned.
    while (!run_returned) {
      server.Stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  absl::Status served = server.Run();
  run_returned = true;
  pthread_kill(watcher.native_handle(), SIGUSR1);
  watcher.join();
  return served;
}

void PrintDiscarded(const Config& config, const RunState& run) {
  absl::StatusOr<StoreStats> stats = run.store.store->Stats();
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
          " rows; ", std::max<int64_t>(0, cids - run.cids_at_start),
          " CIDs created this session; ", stats->bytes_used, " bytes"));
}

// After the server stopped: a memory session dumps (--dump-db-on-exit) or
// says what it discards; a disk session says where everything is. The
// exit code.
int Finish(const Config& config, const RunState& run, SessionDumper& dumper) {
  if (!config.in_memory()) {
    Say(config, absl::StrCat("stopped; everything is kept in ",
                             config.mode == StoreMode::kPostgres
                                 ? run.store.store->Describe()
                                 : config.database_path));
    return 0;
  }
  if (config.dump_path.empty()) {
    PrintDiscarded(config, run);
    return 0;
  }
  Say(config, absl::StrCat("dumping the in-memory database to ",
                           config.dump_path, " ..."));
  absl::StatusOr<DumpReport> dumped = dumper.Dump();
  if (!dumped.ok()) {
    std::cerr << "viewer: error: the dump to " << config.dump_path
              << " failed (the file is as it was): "
              << dumped.status().message() << std::endl;
    PrintDiscarded(config, run);
    return 1;
  }
  Say(config,
      absl::StrCat("dumped ", dumped->rows, " rows to ", config.dump_path, " (",
                   HumanBytes(dumped->bytes), ", ",
                   static_cast<int64_t>(dumped->milliseconds),
                   " ms); open it with DATABASE_URL=sqlite:///",
                   config.dump_path, " viewer, or load it with --load"));
  return 0;
}

}  // namespace

int RunViewer(int argc, char** argv) {
  absl::StatusOr<CommandLine> cl =
      ParseCommandLine(argc, argv, GetEnv("DATABASE_URL"));
  if (!cl.ok()) return Fail(cl.status().message(), 2);
  if (cl->action == CommandLine::kCopy) {
    return RunCopyCommand(cl->copy_from, cl->copy_to);
  }
  if (cl->action != CommandLine::kRun) {
    std::cout << cl->text;
    return 0;
  }
  const Config& config = cl->config;
  const sigset_t signals = BlockSignals();
  AnnounceStart(config);
  absl::StatusOr<RunState> run = StartUp(config);
  if (!run.ok()) return Fail(run.status().message());
  SessionDumper dumper(run->store.store.get(), config.dump_path);
  ViewerServer server(ServerOptions(config, *run, dumper));
  if (absl::Status s = server.Bind(config.host, config.port); !s.ok()) {
    return Fail(s.message());
  }
  if (absl::Status s = ServeUntilSignal(config, server, signals); !s.ok()) {
    return Fail(s.message());
  }
  return Finish(config, *run, dumper);
}

}  // namespace viewer
