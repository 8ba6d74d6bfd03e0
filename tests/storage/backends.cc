#include "tests/storage/backends.h"

#include "engine/memory_store.h"
#include "sqlite_backend/sqlite_store.h"

namespace viewer::testing {

std::string BackendName(BackendKind kind) {
  return kind == BackendKind::kMemory ? "memory" : "sqlite";
}

StoreHarness::StoreHarness(BackendKind kind, const Catalog& catalog,
                           HarnessOptions options)
    : kind_(kind) {
  if (kind == BackendKind::kMemory) {
    MemoryOptions o;
    o.catalog = catalog;
    o.clock = &clock_;
    o.busy_timeout = options.busy_timeout;
    o.byte_limit = options.byte_limit;
    auto store = MemoryStore::Open(std::move(o));
    EXPECT_TRUE(store.ok()) << store.status();
    if (store.ok()) store_ = std::move(*store);
  } else {
    SqliteOptions o;
    o.path = dir_.path() + "/test.db";
    o.catalog = catalog;
    o.clock = &clock_;
    o.busy_timeout = options.busy_timeout;
    auto store = SqliteStore::Open(std::move(o));
    EXPECT_TRUE(store.ok()) << store.status();
    if (store.ok()) store_ = std::move(*store);
  }
}

StoreHarness::~StoreHarness() { store_.reset(); }

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
