// The concurrency property of the memory engine: writer threads run random
// read-write transactions (transfers between accounts, with savepoints,
// rollbacks, renames of an indexed column, creations and deletions of empty
// accounts), every one of which keeps the total balance at 1000. Reader
// threads check the invariant, through several access paths, in every
// snapshot they take, and check that the snapshot does not move while they
// read it. Run under the thread sanitizer, it must also be race-free.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/mutex.h"
#include "engine/memory_store.h"
#include "property_tests/properties.h"
#include "rapidcheck.h"

namespace viewer::property {
namespace {

using rc::gen::inRange;

constexpr int64_t kTotal = 1000;
constexpr int kAccounts = 6;
constexpr int kWriters = 3;
constexpr int kReaders = 2;

const Catalog& AccountCatalog() {
  static const Catalog* catalog = new Catalog({TableSchema(
      "account",
      {Column("name", ColumnType::kText).NotNull().Unique().Indexed(),
       Column("balance", ColumnType::kInteger).NotNull(),
       Column("bucket", ColumnType::kText).Indexed()})});
  return *catalog;
}

enum class OpKind { kTransfer, kTransferThenUndo, kAbort, kRebucket, kCreate, kDropEmpty };

struct Op {
  OpKind kind;
  int a, b;
  int64_t amount;
};

std::string Account(int i) { return absl::StrCat("acct", i); }

class Errors {
 public:
  void Add(std::string e) {
    MutexLock lock(&mu_);
    if (errors_.size() < 5) errors_.push_back(std::move(e));
  }
  std::vector<std::string> Take() {
    MutexLock lock(&mu_);
    return errors_;
  }

 private:
  Mutex mu_;
  std::vector<std::string> errors_ ABSL_GUARDED_BY(mu_);
};

absl::StatusOr<std::optional<Row>> ByName(Transaction& txn, int i) {
  auto rows = txn.Select("account", {{Filter::Eq("name", Value::Text(Account(i)))}});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Row>();
  return std::optional<Row>((*rows)[0]);
}

// Runs one op in its own transaction. Errors the op provokes on purpose
// (a duplicate name) are fine; the invariant must hold regardless.
void RunOp(Store& store, const Op& op, Errors& errors) {
  auto begun = store.Begin(TransactionMode::kReadWrite);
  if (!begun.ok()) {
    errors.Add("begin: " + begun.status().ToString());
    return;
  }
  Transaction& txn = **begun;
  auto fail = [&](const absl::Status& s) { errors.Add(s.ToString()); };
  switch (op.kind) {
    case OpKind::kTransfer:
    case OpKind::kTransferThenUndo:
    case OpKind::kAbort: {
      auto from = ByName(txn, op.a);
      auto to = ByName(txn, op.b);
      if (!from.ok() || !to.ok()) return fail(from.ok() ? to.status() : from.status());
      if (!*from || !*to || op.a == op.b) break;
      if (op.kind == OpKind::kTransferThenUndo) {
        // A half transfer rolled back to a savepoint must leave no trace.
        if (auto s = txn.Savepoint("half"); !s.ok()) return fail(s);
        if (auto s = txn.Update("account", (**from).id(),
                                {{"balance", Value::Integer(-999)}});
            !s.ok()) {
          return fail(s);
        }
        if (auto s = txn.RollbackTo("half"); !s.ok()) return fail(s);
      }
      int64_t fb = (**from)[2].integer();
      int64_t tb = (**to)[2].integer();
      if (auto s = txn.Update("account", (**from).id(),
                              {{"balance", Value::Integer(fb - op.amount)}});
          !s.ok()) {
        return fail(s);
      }
      if (auto s = txn.Update("account", (**to).id(),
                              {{"balance", Value::Integer(tb + op.amount)}});
          !s.ok()) {
        return fail(s);
      }
      if (op.kind == OpKind::kAbort) {
        if (auto s = txn.Rollback(); !s.ok()) fail(s);
        return;
      }
      break;
    }
    case OpKind::kRebucket: {
      auto n = txn.UpdateWhere("account", {Filter::Eq("name", Value::Text(Account(op.a)))},
                               {{"bucket", Value::Text(absl::StrCat("b", op.b))}});
      if (!n.ok()) return fail(n.status());
      break;
    }
    case OpKind::kCreate: {
      auto id = txn.Insert("account", {{"name", Value::Text(Account(op.a))},
                                       {"balance", Value::Integer(0)},
                                       {"bucket", Value::Text("new")}});
      if (!id.ok() && id.status().code() != absl::StatusCode::kAlreadyExists) {
        return fail(id.status());
      }
      break;
    }
    case OpKind::kDropEmpty: {
      auto n = txn.DeleteWhere("account",
                               {Filter::Eq("balance", Value::Integer(0)),
                                Filter::Eq("name", Value::Text(Account(op.a)))});
      if (!n.ok()) return fail(n.status());
      break;
    }
  }
  if (auto s = txn.Commit(); !s.ok()) fail(s);
}

// One snapshot, read several ways; all must agree and must not move.
void CheckSnapshot(Store& store, Errors& errors) {
  auto begun = store.Begin(TransactionMode::kReadOnly);
  if (!begun.ok()) return errors.Add("snapshot: " + begun.status().ToString());
  Transaction& txn = **begun;
  auto sum = txn.Sum("account", "balance");
  auto rows = txn.Select("account", {.order_by = {{"name"}}});
  auto buckets = txn.CountBy("account", "bucket");
  if (!sum.ok() || !rows.ok() || !buckets.ok()) {
    return errors.Add("snapshot read failed");
  }
  int64_t row_sum = 0;
  for (const Row& r : *rows) row_sum += r[2].integer();
  int64_t by_bucket_sum = 0;
  int64_t bucket_rows = 0;
  for (const GroupCount& g : *buckets) {
    bucket_rows += g.count;
    Filter f = g.key.is_null() ? Filter::IsNull("bucket")
                               : Filter::Eq("bucket", g.key);
    auto part = txn.Sum("account", "balance", {f});
    if (part.ok() && !part->is_null()) by_bucket_sum += part->integer();
  }
  auto again = txn.Select("account", {.order_by = {{"name"}}});
  if (sum->integer() != kTotal || row_sum != kTotal || by_bucket_sum != kTotal ||
      bucket_rows != static_cast<int64_t>(rows->size()) || !again.ok() ||
      *again != *rows) {
    errors.Add(absl::StrCat("invariant broken in a snapshot: sum=",
                            sum->integer(), " rows sum=", row_sum,
                            " per-bucket sum=", by_bucket_sum, " rows=",
                            rows->size(), " grouped=", bucket_rows));
  }
}

}  // namespace

bool CheckConcurrencyProperty() {
  return rc::check(
      "concurrent transactions keep the total in every snapshot", [] {
        std::vector<std::vector<Op>> scripts(kWriters);
        for (auto& script : scripts) {
          int n = *inRange(1, 40);
          for (int i = 0; i < n; ++i) {
            script.push_back(Op{static_cast<OpKind>(*inRange(0, 6)),
                                *inRange(0, kAccounts + 1),
                                *inRange(0, kAccounts + 1),
                                *inRange<int64_t>(-50, 200)});
          }
        }
        MemoryOptions options;
        options.catalog = AccountCatalog();
        options.busy_timeout = absl::Seconds(30);
        auto opened = MemoryStore::Open(std::move(options));
        RC_ASSERT(opened.ok());
        Store& store = **opened;
        {
          auto txn = *store.Begin(TransactionMode::kReadWrite);
          for (int i = 0; i < kAccounts; ++i) {
            RC_ASSERT(txn->Insert("account",
                                  {{"name", Value::Text(Account(i))},
                                   {"balance", Value::Integer(kTotal / kAccounts +
                                                   (i == 0 ? kTotal % kAccounts : 0))},
                                   {"bucket", Value::Text(absl::StrCat("b", i % 3))}})
                          .ok());
          }
          RC_ASSERT(txn->Commit().ok());
        }
        Errors errors;
        std::atomic<int> writers_left{kWriters};
        std::atomic<int64_t> snapshots{0};
        std::vector<std::thread> threads;
        for (const auto& script : scripts) {
          threads.emplace_back([&store, &errors, &writers_left, script] {
            for (const Op& op : script) RunOp(store, op, errors);
            --writers_left;
          });
        }
        for (int r = 0; r < kReaders; ++r) {
          threads.emplace_back([&] {
            do {
              CheckSnapshot(store, errors);
              ++snapshots;
            } while (writers_left > 0);
          });
        }
        for (auto& t : threads) t.join();
        CheckSnapshot(store, errors);
        std::vector<std::string> found = errors.Take();
        if (!found.empty()) RC_FAIL(absl::StrJoin(found, "\n"));
        RC_ASSERT(snapshots.load() >= kReaders);
      });
}

}  // namespace viewer::property
