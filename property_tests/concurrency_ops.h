// The bank of the concurrency property (concurrency_property.cc): accounts
// whose balances move only by transfers that are logged in the same
// transaction, so that every snapshot must agree with its own log:
//
//   balance(a) == opening(a) + sum(log.amount to a) - sum(log.amount from a)
//
// for every account, and the balances sum to kTotal. A transfer that is
// rolled back (whole, or to a savepoint) writes balances or log rows that
// break this, so a Rollback or RollbackTo that keeps anything is seen by
// the next snapshot; each one is also re-read right after.
//
// Thread safety: RunOp from any number of writer threads, CheckSnapshot
// from any number of reader threads, on one Store; Shared is the state
// they share, all atomics and a locked error list.
#ifndef VIEWER_PROPERTY_TESTS_CONCURRENCY_OPS_H_
#define VIEWER_PROPERTY_TESTS_CONCURRENCY_OPS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "engine/mutex.h"
#include "engine/schema.h"
#include "engine/store.h"

namespace viewer::property {

inline constexpr int64_t kTotal = 1000;
inline constexpr int kAccounts = 6;

// account: name (TEXT NOT NULL UNIQUE, indexed), balance (INTEGER NOT
// NULL), bucket (TEXT, indexed). transfer: source, target (TEXT NOT NULL,
// indexed), amount (INTEGER NOT NULL).
const Catalog& BankCatalog();

std::string Account(int i);
// What account i holds before any transfer (kTotal spread over kAccounts).
int64_t Opening(int i);
// Opens the accounts, in one committed transaction.
absl::Status OpenAccounts(Store& store);

enum class OpKind {
  kTransfer,          // logged, committed
  kTransferThenUndo,  // a bogus half transfer undone by RollbackTo, then one
  kAbort,             // a half transfer, unlogged, rolled back
  kRebucket,          // UpdateWhere on an indexed column
  kCreate,            // a new empty account (or a duplicate name: refused)
  kDropEmpty,         // DeleteWhere an account whose balance is 0
};
inline constexpr int kOpKinds = 6;

struct Op {
  OpKind kind;
  int a, b;
  int64_t amount;
  // A transfer that, between its two balance updates, waits until a
  // reader has taken a snapshot: proof that snapshots overlap writers.
  bool wait_for_reader = false;
};

class Shared {
 public:
  void Error(std::string e);
  std::vector<std::string> Errors();

  // Set by a writer waiting between the two updates of a transfer (unique
  // per wait), 0 otherwise.
  std::atomic<int64_t> inside_token{0};
  // The token a reader saw set before and after its Begin: that writer was
  // inside its transaction for the whole Begin.
  std::atomic<int64_t> last_overlap{0};
  // Snapshots begun while a writer was inside a transaction.
  std::atomic<int64_t> overlapping{0};
  std::atomic<int64_t> snapshots{0};
  std::atomic<int64_t> rendezvous{0};  // transfers that waited for a reader

 private:
  Mutex mu_;
  std::vector<std::string> errors_ ABSL_GUARDED_BY(mu_);
};

// Runs one op in a transaction of its own; errors the op did not provoke
// on purpose go to `shared`.
void RunOp(Store& store, const Op& op, Shared& shared);

// Takes one snapshot and checks it several ways: against its log, the
// total through Sum, rows and per-bucket sums, and that it does not move.
void CheckSnapshot(Store& store, Shared& shared);

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_CONCURRENCY_OPS_H_
