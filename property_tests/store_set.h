// The system under test of the storage property: the reference model
// (reference_store.h) and one store of every backend
// (tests/storage/backend_kinds.h), each holding the application
// tables on its own manual clock, the clocks advanced together. Every
// operation runs on each of them, and each backend's result and error must
// equal the model's; a difference fails the property with a message naming
// the step, the operation, every side's answer and the command that
// replays the run.
//
//   StoreSet s;
//   s.BeginStep("Insert server {...}");
//   s.OnAll(/*write=*/true, [&](Transaction& t) {
//     return t.Insert("server", values);
//   });
//   s.EndStep();
//
// Thread safety: one thread drives it; a step may run work for each side
// on threads of its own and join them before it compares.
#ifndef VIEWER_PROPERTY_TESTS_STORE_SET_H_
#define VIEWER_PROPERTY_TESTS_STORE_SET_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/clock.h"
#include "engine/store.h"
#include "property_tests/show.h"
#include "tests/storage/backend_kinds.h"

namespace viewer::property {

// How long a second writer waits for the write slot on every side.
inline constexpr absl::Duration kBusyTimeout = absl::Milliseconds(50);

// Every table's rows, in catalog order.
using Contents = std::vector<std::vector<Row>>;

class StoreSet {
 public:
  struct Side {
    std::string name;  // "reference", "memory", "sqlite", ...
    std::optional<testing::BackendKind> kind;  // none for the model
    ManualClock clock;
    std::unique_ptr<Store> store;
    // A second handle on the same data, for backends that share it
    // (testing::SharesData); null for the others.
    std::unique_ptr<Store> second;
    std::unique_ptr<Transaction> txn;  // the open read-write one, or null
    std::vector<std::unique_ptr<Transaction>> snapshots;
  };

  StoreSet();
  ~StoreSet();
  StoreSet(const StoreSet&) = delete;
  StoreSet& operator=(const StoreSet&) = delete;

  // sides()[0] is the model; the backends follow in kBackends order.
  std::vector<std::unique_ptr<Side>>& sides() { return sides_; }
  Side& model() { return *sides_[0]; }

  // Starts step `op` (its shown form): every message names it.
  void BeginStep(const std::string& op);
  // After every step: every few steps, the full comparison.
  void EndStep();

  // Compares each backend's result with the model's (results[i] is from
  // sides()[i]); fails the property on a difference.
  template <typename T>
  void ExpectAll(const std::vector<T>& results, const std::string& what) {
    for (size_t i = 1; i < results.size(); ++i) {
      if (!Same(results[0], results[i])) Fail(what, ShowAll(results));
    }
  }
  // Runs `fn(Side&)` on every side, in order, and compares the results.
  template <typename Fn>
  auto Each(Fn fn, const std::string& what = "results differ") {
    std::vector<decltype(fn(std::declval<Side&>()))> results;
    for (auto& side : sides_) results.push_back(fn(*side));
    ExpectAll(results, what);
    return results;
  }
  // Runs `fn(Transaction&)` on each side inside the open transaction, or in
  // a fresh one (read-write and committed when `write`, else read-only),
  // and compares the results.
  template <typename Fn>
  void OnAll(bool write, Fn fn) {
    Each([&](Side& side) { return RunOn(side, write, fn); });
  }
  // As OnAll, returning the results (results[i] from sides()[i]) for the
  // caller to compare.
  template <typename Fn>
  auto Collect(bool write, Fn fn) {
    std::vector<decltype(fn(std::declval<Transaction&>()))> results;
    for (auto& side : sides_) results.push_back(RunOn(*side, write, fn));
    return results;
  }
  // Fails the property with `what` and every side's result.
  template <typename T>
  [[noreturn]] void FailAll(const std::vector<T>& results,
                            const std::string& what) {
    Fail(what, ShowAll(results));
  }

  // Compares every table (inside the open transaction and as committed)
  // and re-reads every open snapshot.
  void CheckAll();
  // Every table's rows as `txn` sees them.
  static absl::StatusOr<Contents> ContentsOf(Transaction& txn);
  // Every table as committed now, on `side`.
  absl::StatusOr<Contents> Committed(Side& side);

  // Snapshots: opened on every side, their contents recorded.
  void OpenSnapshot();
  void CheckSnapshot(size_t i);
  void CloseSnapshot(size_t i);

  // The second handle of `side`; null when its backend has none.
  Store* SecondHandle(Side& side);

  // Fails the property with the step, `what`, `detail` and the replay
  // command.
  [[noreturn]] void Fail(const std::string& what, const std::string& detail);

 private:
  template <typename T>
  std::string ShowAll(const std::vector<T>& results) const {
    std::string out;
    for (size_t i = 0; i < results.size(); ++i) {
      out += "  " + sides_[i]->name + ": " + Show(results[i]) + "\n";
    }
    return out;
  }
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

  std::string dir_;
  std::vector<std::unique_ptr<Side>> sides_;
  std::vector<Contents> snapshot_contents_;  // the model's, at open
  int step_ = 0;
  std::string op_;
};

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_STORE_SET_H_
