#include "tests/storage/backends.h"

#include <stdexcept>

#include "absl/strings/str_cat.h"

#include "engine/memory_store.h"
#include "postgres_backend/postgres_store.h"
#include "sqlite_backend/sqlite_store.h"
#include "tests/postgres/pg_cluster.h"

namespace viewer::testing {

std::string BackendName(BackendKind kind) {
  switch (kind) {
    case BackendKind::kMemory: return "memory";
    case BackendKind::kSqlite: return "sqlite";
    case BackendKind::kPostgres: return "postgres";
  }
  return "?";
}

namespace {

absl::StatusOr<std::unique_ptr<Store>> OpenPostgres(
    const Catalog& catalog, Clock* clock, const HarnessOptions& options,
    std::unique_ptr<PgSchema>* schema) {
  absl::StatusOr<PgCluster*> cluster = PgCluster::Get();
  if (!cluster.ok()) return cluster.status();
  absl::StatusOr<std::unique_ptr<PgSchema>> made = PgSchema::Create(**cluster);
  if (!made.ok()) return made.status();
  *schema = *std::move(made);
  PostgresOptions o;
  o.url = (*schema)->url();
  o.catalog = catalog;
  o.clock = clock;
  o.busy_timeout = options.busy_timeout;
  return PostgresStore::Open(std::move(o));
}

}  // namespace

StoreHarness::StoreHarness(BackendKind kind, const Catalog& catalog,
                           HarnessOptions options)
    : kind_(kind) {
  absl::StatusOr<std::unique_ptr<Store>> store;
  if (kind == BackendKind::kMemory) {
    MemoryOptions o;
    o.catalog = catalog;
    o.clock = &clock_;
    o.busy_timeout = options.busy_timeout;
    o.byte_limit = options.byte_limit;
    store = MemoryStore::Open(std::move(o));
  } else if (kind == BackendKind::kPostgres) {
    store = OpenPostgres(catalog, &clock_, options, &pg_schema_);
  } else {
    SqliteOptions o;
    o.path = dir_.path() + "/test.db";
    o.catalog = catalog;
    o.clock = &clock_;
    o.busy_timeout = options.busy_timeout;
    store = SqliteStore::Open(std::move(o));
  }
  if (!store.ok()) {
    // The test cannot run without its store. GoogleTest reports an
    // exception from a fixture's constructor or a test body as that test's
    // failure, with this message, and goes on with the next test; a null
    // store would crash the whole process instead.
    throw std::runtime_error(absl::StrCat("cannot open the ", BackendName(kind),
                                          " store for this test: ",
                                          store.status().ToString()));
  }
  store_ = *std::move(store);
}

StoreHarness::~StoreHarness() {
  store_.reset();
  pg_schema_.reset();
}

std::unique_ptr<Transaction> StoreHarness::Write() {
  auto txn = store_->Begin(TransactionMode::kReadWrite);
  EXPECT_TRUE(txn.ok()) << txn.status();
  return txn.ok() ? std::move(*txn) : nullptr;
}

std::unique_ptr<Transaction> StoreHarness::Read() {
  auto txn = store_->Begin(TransactionMode::kReadOnly);
  EXPECT_TRUE(txn.ok()) << txn.status();
  return txn.ok() ? std::move(*txn) : nullptr;
}

}  // namespace viewer::testing
