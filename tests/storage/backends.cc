#include "tests/storage/backends.h"

namespace viewer::testing {

StoreHarness::StoreHarness(BackendKind kind, const Catalog& catalog,
                           HarnessOptions options)
    : kind_(kind) {
  auto store = OpenBackend(kind, catalog, &clock_, dir_.path(), options);
  EXPECT_TRUE(store.ok()) << BackendName(kind) << ": " << store.status();
  if (store.ok()) store_ = std::move(*store);
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

std::vector<BackendPair> BackendPairs() {
  std::vector<BackendPair> pairs;
  for (BackendKind kind : kBackends) {
    if (kind != kReferenceBackend) pairs.push_back({kReferenceBackend, kind});
  }
  return pairs;
}

std::string PairName(const BackendPair& pair) {
  return BackendName(pair.a) + "_vs_" + BackendName(pair.b);
}

}  // namespace viewer::testing
