#include "property_tests/concurrency_ops.h"

#include <chrono>
#include <map>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"

namespace viewer::property {
namespace {

// Unique per rendezvous; 0 when no writer waits inside a transfer.
std::atomic<int64_t> next_token{0};

absl::StatusOr<std::optional<Row>> ByName(Transaction& txn, int i) {
  VIEWER_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      txn.Select("account", {{Filter::Eq("name", Value::Text(Account(i)))}}));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(rows[0]);
}

// The balance every account must hold by the log `txn` sees.
absl::StatusOr<std::map<std::string, int64_t>> ByLog(Transaction& txn) {
  std::map<std::string, int64_t> want;
  for (int i = 0; i < kAccounts; ++i) want[Account(i)] = Opening(i);
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> log, txn.Select("transfer", {}));
  for (const Row& r : log) {
    want[r[1].text()] -= r[3].integer();
    want[r[2].text()] += r[3].integer();
  }
  return want;
}

// "" when the accounts `txn` sees agree with its log and hold kTotal.
absl::StatusOr<std::string> Disagreement(Transaction& txn) {
  VIEWER_ASSIGN_OR_RETURN(auto want, ByLog(txn));
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows, txn.Select("account", {}));
  int64_t total = 0;
  for (const Row& r : rows) {
    total += r[2].integer();
    const int64_t logged = want[r[1].text()];
    if (r[2].integer() != logged) {
      return absl::StrCat(r[1].text(), " holds ", r[2].integer(),
                          " but its log says ", logged);
    }
    want.erase(r[1].text());
  }
  for (const auto& [name, logged] : want) {
    // Only an empty account is ever dropped.
    if (logged != 0) return absl::StrCat(name, " is gone holding ", logged);
  }
  if (total != kTotal) return absl::StrCat("the accounts hold ", total);
  return std::string();
}

absl::Status SetBalance(Transaction& txn, const Row& account, int64_t v) {
  return txn.Update("account", account.id(), {{"balance", Value::Integer(v)}});
}

absl::Status Log(Transaction& txn, const Row& from, const Row& to,
                 int64_t amount) {
  return txn
      .Insert("transfer", {{"source", from[1]},
                           {"target", to[1]},
                           {"amount", Value::Integer(amount)}})
      .status();
}

// Waits, inside the writer's transaction, until a reader has begun a
// snapshot while this writer was inside (CheckSnapshot counts it).
absl::Status AwaitReader(Shared& shared, std::atomic<int64_t>& token) {
  const int64_t mine = ++next_token;
  token = mine;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (shared.last_overlap.load() != mine) {
    if (std::chrono::steady_clock::now() > deadline) {
      token = 0;
      return absl::DeadlineExceededError(
          "no reader began a snapshot in 20 s while a writer was inside a "
          "transaction");
    }
    std::this_thread::yield();
  }
  token = 0;
  ++shared.rendezvous;
  return absl::OkStatus();
}

// A whole transfer, logged: the balances read are this transaction's own.
absl::Status Transfer(Transaction& txn, const Op& op, const Row& from,
                      const Row& to, Shared& shared) {
  VIEWER_RETURN_IF_ERROR(SetBalance(txn, from, from[2].integer() - op.amount));
  if (op.wait_for_reader) {
    VIEWER_RETURN_IF_ERROR(AwaitReader(shared, shared.inside_token));
  }
  VIEWER_RETURN_IF_ERROR(SetBalance(txn, to, to[2].integer() + op.amount));
  return Log(txn, from, to, op.amount);
}

// A bogus half transfer and log row undone by RollbackTo: re-read, the
// accounts and the log must be as before the savepoint.
absl::Status TransferThenUndo(Transaction& txn, const Op& op, const Row& from,
                              const Row& to, Shared& shared) {
  VIEWER_ASSIGN_OR_RETURN(int64_t logged, txn.Count("transfer"));
  VIEWER_RETURN_IF_ERROR(txn.Savepoint("half"));
  VIEWER_RETURN_IF_ERROR(SetBalance(txn, from, -999));
  VIEWER_RETURN_IF_ERROR(Log(txn, from, to, 12345));
  VIEWER_RETURN_IF_ERROR(txn.RollbackTo("half"));
  VIEWER_ASSIGN_OR_RETURN(Row from_again, txn.Get("account", from.id()));
  VIEWER_ASSIGN_OR_RETURN(Row to_again, txn.Get("account", to.id()));
  VIEWER_ASSIGN_OR_RETURN(int64_t logged_again, txn.Count("transfer"));
  if (from_again != from || to_again != to || logged_again != logged) {
    shared.Error(absl::StrCat("RollbackTo kept writes: ", from.DebugString(),
                              " is now ", from_again.DebugString(),
                              "; log rows ", logged, " -> ", logged_again));
  }
  return Transfer(txn, op, from_again, to_again, shared);
}

// An unlogged half transfer, rolled back; then a fresh snapshot must still
// agree with its log.
void Abort(Store& store, Transaction& txn, const Op& op, const Row& from,
           const Row& to, Shared& shared) {
  absl::Status s = SetBalance(txn, from, from[2].integer() - op.amount);
  if (s.ok()) s = SetBalance(txn, to, to[2].integer() + op.amount + 1);
  if (s.ok()) s = txn.Rollback();
  if (!s.ok()) return shared.Error("abort: " + s.ToString());
  auto reader = store.Begin(TransactionMode::kReadOnly);
  if (!reader.ok())
    return shared.Error("re-read: " + reader.status().ToString());
  auto wrong = Disagreement(**reader);
  if (!wrong.ok()) return shared.Error("re-read: " + wrong.status().ToString());
  if (!wrong->empty()) shared.Error("after a Rollback: " + *wrong);
}

}  // namespace

const Catalog& BankCatalog() {
  static const Catalog* catalog = new Catalog(
      {TableSchema(
           "account",
           {Column("name", ColumnType::kText).NotNull().Unique().Indexed(),
            Column("balance", ColumnType::kInteger).NotNull(),
            Column("bucket", ColumnType::kText).Indexed()}),
       TableSchema("transfer",
                   {Column("source", ColumnType::kText).NotNull().Indexed(),
                    Column("target", ColumnType::kText).NotNull().Indexed(),
                    Column("amount", ColumnType::kInteger).NotNull()})});
  return *catalog;
}

std::string Account(int i) { return absl::StrCat("acct", i); }

int64_t Opening(int i) {
  return kTotal / kAccounts + (i == 0 ? kTotal % kAccounts : 0);
}

absl::Status OpenAccounts(Store& store) {
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          store.Begin(TransactionMode::kReadWrite));
  for (int i = 0; i < kAccounts; ++i) {
    VIEWER_RETURN_IF_ERROR(
        txn->Insert("account",
                    {{"name", Value::Text(Account(i))},
                     {"balance", Value::Integer(Opening(i))},
                     {"bucket", Value::Text(absl::StrCat("b", i % 3))}})
            .status());
  }
  return txn->Commit();
}

void Shared::Error(std::string e) {
  MutexLock lock(&mu_);
  if (errors_.size() < 5) errors_.push_back(std::move(e));
}

std::vector<std::string> Shared::Errors() {
  MutexLock lock(&mu_);
  return errors_;
}

void RunOp(Store& store, const Op& op, Shared& shared) {
  auto begun = store.Begin(TransactionMode::kReadWrite);
  if (!begun.ok()) return shared.Error("begin: " + begun.status().ToString());
  Transaction& txn = **begun;
  absl::Status s;
  switch (op.kind) {
    case OpKind::kTransfer:
    case OpKind::kTransferThenUndo:
    case OpKind::kAbort: {
      auto from = ByName(txn, op.a);
      auto to = ByName(txn, op.b);
      if (!from.ok() || !to.ok()) {
        s = from.ok() ? to.status() : from.status();
        break;
      }
      if (!*from || !*to || op.a == op.b) break;
      if (op.kind == OpKind::kAbort)
        return Abort(store, txn, op, **from, **to, shared);
      s = op.kind == OpKind::kTransfer
              ? Transfer(txn, op, **from, **to, shared)
              : TransferThenUndo(txn, op, **from, **to, shared);
      break;
    }
    case OpKind::kRebucket:
      s = txn.UpdateWhere("account",
                          {Filter::Eq("name", Value::Text(Account(op.a)))},
                          {{"bucket", Value::Text(absl::StrCat("b", op.b))}})
              .status();
      break;
    case OpKind::kCreate: {
      auto id = txn.Insert("account", {{"name", Value::Text(Account(op.a))},
                                       {"balance", Value::Integer(0)},
                                       {"bucket", Value::Text("new")}});
      if (id.status().code() != absl::StatusCode::kAlreadyExists) {
        s = id.status();
      }
      break;
    }
    case OpKind::kDropEmpty:
      s = txn.DeleteWhere("account",
                          {Filter::Eq("balance", Value::Integer(0)),
                           Filter::Eq("name", Value::Text(Account(op.a)))})
              .status();
      break;
  }
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) shared.Error(s.ToString());
}

void CheckSnapshot(Store& store, Shared& shared) {
  const int64_t token = shared.inside_token.load();
  auto begun = store.Begin(TransactionMode::kReadOnly);
  if (token != 0 && shared.inside_token.load() == token) {
    ++shared.overlapping;
    shared.last_overlap = token;
  }
  ++shared.snapshots;
  if (!begun.ok())
    return shared.Error("snapshot: " + begun.status().ToString());
  Transaction& txn = **begun;
  auto wrong = Disagreement(txn);
  auto sum = txn.Sum("account", "balance");
  auto rows = txn.Select("account", {.order_by = {{"name"}}});
  auto buckets = txn.CountBy("account", "bucket");
  if (!wrong.ok() || !sum.ok() || !rows.ok() || !buckets.ok()) {
    return shared.Error("a snapshot read failed");
  }
  if (!wrong->empty()) return shared.Error("in a snapshot: " + *wrong);
  int64_t by_bucket = 0, grouped = 0;
  for (const GroupCount& g : *buckets) {
    grouped += g.count;
    Filter f = g.key.is_null() ? Filter::IsNull("bucket")
                               : Filter::Eq("bucket", g.key);
    auto part = txn.Sum("account", "balance", {f});
    if (part.ok() && !part->is_null()) by_bucket += part->integer();
  }
  auto again = txn.Select("account", {.order_by = {{"name"}}});
  if (sum->is_null() || sum->integer() != kTotal || by_bucket != kTotal ||
      grouped != static_cast<int64_t>(rows->size()) || !again.ok() ||
      *again != *rows) {
    shared.Error(absl::StrCat(
        "a snapshot disagrees with itself: sum=", sum->DebugString(),
        " per-bucket sum=", by_bucket, " rows=", rows->size(),
        " grouped=", grouped, again.ok() && *again == *rows ? "" : ", moved"));
  }
}

}  // namespace viewer::property
