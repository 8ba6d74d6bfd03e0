#include "tests/storage/backend_kinds.h"

#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/memory_store.h"
#include "postgres_backend/postgres_store.h"
#include "sqlite_backend/sqlite_store.h"
#include "tools/pg_cluster/pg_cluster.h"

namespace viewer::testing {
namespace {

// The schema of the PostgreSQL store opened on `dir`: a name made from the
// folder's path, which no other live store uses (temporary folders are
// unique while they exist).
std::string SchemaFor(const std::string& dir) {
  return absl::StrCat("s_", absl::Hex(std::hash<std::string>()(dir)));
}

absl::StatusOr<std::unique_ptr<Store>> OpenPostgres(
    const Catalog& catalog, Clock* clock, const std::string& dir,
    const BackendOptions& options) {
  absl::StatusOr<PgCluster*> cluster = PgCluster::Get();
  if (!cluster.ok()) return cluster.status();
  const std::string schema = SchemaFor(dir);
  absl::StatusOr<std::string> made = (*cluster)->Sql(
      "viewer", absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", schema));
  if (!made.ok()) return made.status();
  PostgresOptions o;
  o.url = (*cluster)->Url("viewer", "postgres",
                          absl::StrCat("&options=-csearch_path%3D", schema));
  o.catalog = catalog;
  o.clock = clock;
  o.busy_timeout = options.busy_timeout;
  auto store = PostgresStore::Open(std::move(o));
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace

std::string BackendName(BackendKind kind) {
  switch (kind) {
    case BackendKind::kMemory:
      return "memory";
    case BackendKind::kSqlite:
      return "sqlite";
    case BackendKind::kPostgres:
      return "postgres";
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
    case BackendKind::kPostgres:
      return OpenPostgres(catalog, clock, dir, options);
  }
  return absl::InvalidArgumentError("unknown backend");
}

bool SharesData(BackendKind kind) { return kind != BackendKind::kMemory; }

void ReleaseBackend(BackendKind kind, const std::string& dir) {
  if (kind != BackendKind::kPostgres) return;
  absl::StatusOr<PgCluster*> cluster = PgCluster::Get();
  if (!cluster.ok()) return;
  (void)(*cluster)->Sql(
      "viewer", absl::StrCat("DROP SCHEMA IF EXISTS ", SchemaFor(dir),
                             " CASCADE"));
}

}  // namespace viewer::testing
