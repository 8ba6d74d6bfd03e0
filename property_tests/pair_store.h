// The system under test of the storage property: a memory store and a
// SQLite store (in a temporary folder) holding the nine application tables,
// on manual clocks advanced together. Every operation runs on both, and
// every result and error is compared; a difference fails the property with
// a message naming the step, the operation and both sides.
#ifndef VIEWER_PROPERTY_TESTS_PAIR_STORE_H_
#define VIEWER_PROPERTY_TESTS_PAIR_STORE_H_

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/clock.h"
#include "engine/store.h"
#include "rapidcheck.h"

namespace viewer::property {

// Printing results for mismatch messages.
std::string Show(const absl::Status& s);
std::string Show(const Row& r);
std::string Show(const std::vector<Row>& rows);
std::string Show(const std::vector<GroupCount>& groups);
std::string Show(const Value& v);
std::string Show(int64_t n);
std::string Show(const std::vector<std::vector<Row>>& tables);

template <typename T>
std::string Show(const absl::StatusOr<T>& r) {
  return r.ok() ? Show(*r) : Show(r.status());
}

// nullopt when equal: both ok with equal values, or the same code and
// message.
template <typename T>
std::optional<std::string> Diff(const absl::StatusOr<T>& m,
                                const absl::StatusOr<T>& d) {
  bool same = m.ok() == d.ok() &&
              (m.ok() ? *m == *d
                      : (m.status().code() == d.status().code() &&
                         m.status().message() == d.status().message()));
  if (same) return std::nullopt;
  return "  memory: " + Show(m) + "\n  sqlite: " + Show(d);
}
std::optional<std::string> Diff(const absl::Status& m, const absl::Status& d);

class PairStore {
 public:
  struct Side {
    explicit Side(const char* n) : name(n) {}
    const char* name;
    ManualClock clock;
    std::unique_ptr<Store> store;
    std::unique_ptr<Transaction> txn;  // the open read-write one, or null
    std::vector<std::unique_ptr<Transaction>> snapshots;
  };

  PairStore();
  ~PairStore();
  PairStore(const PairStore&) = delete;
  PairStore& operator=(const PairStore&) = delete;

  Side& memory() { return memory_; }
  Side& disk() { return disk_; }

  // Starts step `op` (its shown form): every message names it.
  void BeginStep(const std::string& op);
  // Compares both sides' results of the current step; fails the property
  // on a difference.
  template <typename T>
  void Expect(const T& m, const T& d) {
    if (auto diff = Diff(m, d)) Fail("results differ", *diff);
  }
  // Runs `fn(Transaction&)` on each side inside the open transaction, or
  // in a fresh one: read-write and committed when `write`, else read-only.
  template <typename Fn>
  void OnBoth(bool write, Fn fn) {
    Expect(RunOn(memory_, write, fn), RunOn(disk_, write, fn));
  }
  // After every step: every few steps, the full comparison.
  void EndStep();
  // Compares every table (inside the open transaction and as committed)
  // and re-reads every open snapshot.
  void CheckAll();

  // Snapshots: opened on both sides, their contents recorded.
  void OpenSnapshot();
  void CheckSnapshot(size_t i);
  void CloseSnapshot(size_t i);

  [[noreturn]] void Fail(const std::string& what, const std::string& detail);

 private:
  template <typename Fn>
  static auto RunOn(Side& side, bool write, Fn& fn)
      -> decltype(fn(std::declval<Transaction&>())) {
    if (side.txn != nullptr) return fn(*side.txn);
    auto txn = side.store->Begin(write ? TransactionMode::kReadWrite
                                       : TransactionMode::kReadOnly);
    if (!txn.ok()) return txn.status();
    auto result = fn(**txn);
    absl::Status committed = (*txn)->Commit();
    if (!committed.ok()) return committed;
    return result;
  }
  // Every table's rows as `txn` sees them.
  static absl::StatusOr<std::vector<std::vector<Row>>> Contents(
      Transaction& txn);

  std::string dir_;
  Side memory_{"memory"};
  Side disk_{"sqlite"};
  std::vector<std::vector<std::vector<Row>>> snapshot_contents_;
  int step_ = 0;
  std::string op_;
};

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_PAIR_STORE_H_
