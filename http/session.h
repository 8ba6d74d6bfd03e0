// The store of one viewer run and how a memory session is kept
// (docs/in_memory_database.md, "Keeping work"): opening it (disk, empty memory,
// or memory loaded from a file), seeding it, and dumping it to the one file
// named at start. Part of the `viewer` executable, like launch.cc: these are
// the places that pick a backend.
//
//   VIEWER_ASSIGN_OR_RETURN(SessionStore opened, OpenSessionStore(config));
//   if (!config.seed.empty()) VIEWER_RETURN_IF_ERROR(SeedSession(...));
//   SessionDumper dumper(opened.store.get(), config.dump_path);
//   ViewerServer server({.store = opened.handle(), ...});
//   options.dump = [&] { return dumper.Dump(); };
//   ...
//   VIEWER_ASSIGN_OR_RETURN(DumpReport report, dumper.Dump());  // at exit
//
// Thread safety: SessionDumper::Dump may be called from many threads; dumps
// run one at a time. The rest are plain functions.
#ifndef VIEWER_HTTP_SESSION_H_
#define VIEWER_HTTP_SESSION_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/cid_directory.h"
#include "app/store_handle.h"
#include "engine/mutex.h"
#include "engine/store.h"
#include "http/config.h"

namespace viewer {

// The store of one run and the mode it runs in (config.mode).
struct SessionStore {
  std::unique_ptr<Store> store;
  StoreMode mode = StoreMode::kDisk;

  // The store with its mode, for the server and its pages.
  StoreHandle handle() const { return {.store = store.get(), .mode = mode}; }
};

// The store `config` asks for: the SQLite file (disk mode), the PostgreSQL
// database (DATABASE_URL=postgresql://...), or a memory store limited to
// config.max_memory_bytes, empty or holding what config.load_path holds
// (LoadIntoMemory, or a copy of a PostgreSQL database; either is only
// read). Errors are the backends' and LoadIntoMemory's, with the file
// named; PostgreSQL's never show the password.
absl::StatusOr<SessionStore> OpenSessionStore(const Config& config);

// The application's store at `url`: a SQLite file (sqlite:///...) or a
// PostgreSQL database (postgresql://..., postgres://...). With `create`,
// a missing file or missing tables are created; without it, kNotFound for
// a missing file and kFailedPrecondition for a database without viewer's
// tables, and nothing is written. `connections`: PostgreSQL connections
// kept open for reuse (one per worker thread, so that no request opens
// one of its own).
absl::StatusOr<std::unique_ptr<Store>> OpenStoreAtUrl(const std::string& url,
                                                      bool create,
                                                      int connections = 4);

// Adds the seed config.seed ("demo": SeedDemo, on `cids`) in one
// transaction. Returns how many entities it created (0 when all existed).
absl::StatusOr<int64_t> SeedSession(const Config& config, Store& store,
                                    const CidDirectory* cids);

// Checks, before anything is served, that a dump to `path` can be made:
// its folder exists and is writable, and `path` is not a folder.
// kFailedPrecondition saying which is wrong.
absl::Status CheckDumpTarget(const std::string& path);

struct DumpReport {
  // Rows in all tables just before the dump took its snapshot (a write
  // committed in between is in the file but not in this count).
  int64_t rows = 0;
  int64_t bytes = 0;  // size of the file written
  double milliseconds = 0;
};

class SessionDumper {
 public:
  // `store` is not owned and must outlive this; `path` is the only file
  // written.
  SessionDumper(Store* store, std::string path)
      : store_(store), path_(std::move(path)) {}

  // DumpToSqliteFile(store, path): the whole store, atomically.
  absl::StatusOr<DumpReport> Dump() ABSL_LOCKS_EXCLUDED(mutex_);
  const std::string& path() const { return path_; }

 private:
  Store* const store_;
  const std::string path_;
  Mutex mutex_;  // one dump at a time (each is whole anyway)
};

}  // namespace viewer

#endif  // VIEWER_HTTP_SESSION_H_
