#include "tests/storage/backend_kinds.h"

#include <utility>

#include "engine/memory_store.h"
#include "sqlite_backend/sqlite_store.h"

namespace viewer::testing {

std::string BackendName(BackendKind kind) {
  switch (kind) {
    case BackendKind::kMemory:
      return "memory";
    case BackendKind::kSqlite:
      return "sqlite";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<Store>> OpenBackend(
    BackendKind kind, const Catalog& catalog, Clock* clock,
    const std::string& dir, const BackendOptions& options) {
  switch (kind) {
    case BackendKind::kMemory: {
      MemoryOptions o;
      o.catalog = catalog;
      o.clock = clock;
      o.busy_timeout = options.busy_timeout;
      o.byte_limit = options.byte_limit;
      auto store = MemoryStore::Open(std::move(o));
      if (!store.ok()) return store.status();
      return std::unique_ptr<Store>(std::move(*store));
    }
    case BackendKind::kSqlite: {
      SqliteOptions o;
      o.path = dir + "/test.db";
      o.catalog = catalog;
      o.clock = clock;
      o.busy_timeout = options.busy_timeout;
      auto store = SqliteStore::Open(std::move(o));
      if (!store.ok()) return store.status();
      return std::unique_ptr<Store>(std::move(*store));
    }
  }
  return absl::InvalidArgumentError("unknown backend");
}

bool SharesData(BackendKind kind) { return kind == BackendKind::kSqlite; }

}  // namespace viewer::testing
