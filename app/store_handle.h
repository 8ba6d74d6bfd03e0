// Which store viewer runs on, and in which mode: one value, from the command
// line (http/config.h) through the server (http/server.h) to every page, so
// a page can never pair a store with another store's mode.
//
//   StoreHandle handle{.store = store.get(), .mode = StoreMode::kMemory};
//   ViewerServer server({.store = handle});
//   ... StoreModeName(handle.mode)  // "memory", as /status.json says it
//
// Thread safety: a plain value; the store it points to says its own.
#ifndef VIEWER_APP_STORE_HANDLE_H_
#define VIEWER_APP_STORE_HANDLE_H_

#include "absl/strings/string_view.h"
#include "engine/store.h"

namespace viewer {

// Disk: a SQLite file (DATABASE_URL=sqlite:///...). Memory: the in-process
// engine (--in-memory-db, --read-only), gone when the process ends.
// Postgres: a PostgreSQL database (DATABASE_URL=postgresql://...), which
// several viewer processes may share.
enum class StoreMode { kDisk, kMemory, kPostgres };

// "disk", "memory" or "postgresql".
absl::string_view StoreModeName(StoreMode mode);

struct StoreHandle {
  // Not owned; must outlive every user of the handle.
  Store* store = nullptr;
  // The mode `store` runs in.
  StoreMode mode = StoreMode::kDisk;

  bool in_memory() const { return mode == StoreMode::kMemory; }
};

}  // namespace viewer

#endif  // VIEWER_APP_STORE_HANDLE_H_
