// The reference model of the storage contract (engine/store.h): what the
// contract promises, in the simplest code that can state it, as leveldb's
// ModelDB is for its DB. The property tests run every operation on it and
// on every backend and expect the same result and the same error from each.
//
//   ReferenceOptions options;
//   options.catalog = AppCatalog();
//   options.clock = &clock;
//   ReferenceStore model(std::move(options));
//   auto txn = model.Begin(TransactionMode::kReadWrite);
//
// How it works: a table is an ordered map from id to row; the committed
// state is one immutable value that a read-only transaction keeps a pointer
// to for its whole life; a read-write transaction edits a private copy, a
// savepoint is a copy of that copy, and commit publishes it. There is no
// MVCC, no index and no undo log: every read scans, every answer follows
// from the rows a transaction sees.
//
// Argument checks (unknown tables and columns, value kinds, NOT NULL,
// defaults, "now", finished and read-only transactions, savepoint names)
// are made by the contract layer every backend shares
// (engine/transaction.cc); this model answers what a backend answers: ids,
// UNIQUE, missing rows, matching, ordering, aggregates, savepoints,
// snapshots and the single write slot. Its rules are in
// reference_rules.h.
//
// Thread safety: as the contract says: the store from any thread, a
// transaction from one thread at a time.
#ifndef VIEWER_PROPERTY_TESTS_REFERENCE_STORE_H_
#define VIEWER_PROPERTY_TESTS_REFERENCE_STORE_H_

#include <condition_variable>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "engine/clock.h"
#include "engine/mutex.h"
#include "engine/store.h"
#include "property_tests/reference_rules.h"

namespace viewer::property {

struct ReferenceOptions {
  // The tables to hold.
  Catalog catalog;
  // Where "now" comes from; not owned, must outlive the store.
  Clock* clock = SystemClock::Get();
  // How long a writer waits for the write slot before kUnavailable.
  absl::Duration busy_timeout = absl::Seconds(5);
};

class ReferenceStore final : public Store {
 public:
  explicit ReferenceStore(ReferenceOptions options);

  absl::StatusOr<std::unique_ptr<Transaction>> Begin(
      TransactionMode mode) override;
  absl::StatusOr<StoreStats> Stats() override;
  const Catalog& catalog() const override { return options_.catalog; }
  std::string Describe() const override { return "reference"; }

 private:
  friend class ReferenceTransaction;

  // Called by a finishing writer: publishes `tables` (when not null) and
  // frees the write slot.
  void EndWrite(const Tables* tables);

  const ReferenceOptions options_;
  Mutex mu_;
  std::condition_variable_any slot_free_;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  std::shared_ptr<const Tables> committed_ ABSL_GUARDED_BY(mu_);
};

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_REFERENCE_STORE_H_
