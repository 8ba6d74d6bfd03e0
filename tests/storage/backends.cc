#include "tests/storage/backends.h"

#include <stdexcept>

#include "absl/strings/str_cat.h"

namespace viewer::testing {

StoreHarness::StoreHarness(BackendKind kind, const Catalog& catalog,
                           HarnessOptions options)
    : kind_(kind) {
  auto store = OpenBackend(kind, catalog, &clock_, dir_.path(), options);
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
  ReleaseBackend(kind_, dir_.path());
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
