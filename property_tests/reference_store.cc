#include "property_tests/reference_store.h"

#include <mutex>
#include <utility>
#include <vector>

namespace viewer::property {

// A read-only transaction keeps the committed state it began with; a
// read-write one edits `working_`, keeps one copy per open savepoint, and
// publishes `working_` on commit.
class ReferenceTransaction final : public Transaction {
 public:
  ReferenceTransaction(TransactionMode mode, ReferenceStore* store,
                       std::shared_ptr<const Tables> snapshot)
      : Transaction(mode, &store->options_.catalog, store->options_.clock),
        store_(store),
        snapshot_(std::move(snapshot)) {
    if (mode == TransactionMode::kReadWrite) working_ = *snapshot_;
  }
  ~ReferenceTransaction() override { RollbackIfOpen(); }

 private:
  bool writer() const { return mode() == TransactionMode::kReadWrite; }
  const Table& Seen(size_t t) const {
    return writer() ? working_[t] : (*snapshot_)[t];
  }
  using Set = std::vector<std::pair<size_t, Value>>;
  static Set Plain(const BoundAssignments& set) {
    Set out;
    for (const Assignment& a : set) out.emplace_back(a.column, a.value);
    return out;
  }

  absl::StatusOr<int64_t> DoInsert(size_t t, std::vector<Value> row) override {
    return InsertRow(schema(t), working_[t], std::move(row));
  }
  absl::Status DoUpdate(size_t t, int64_t id,
                        const BoundAssignments& set) override {
    return UpdateRow(schema(t), working_[t], id, Plain(set));
  }
  absl::Status DoDelete(size_t t, int64_t id) override {
    if (working_[t].erase(id) == 0) return RowNotFound(schema(t), id);
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> DoUpdateWhere(size_t t,
                                        const std::vector<BoundFilter>& where,
                                        const BoundAssignments& set) override {
    return UpdateMatching(schema(t), working_[t], where, Plain(set));
  }
  absl::StatusOr<int64_t> DoDeleteWhere(
      size_t t, const std::vector<BoundFilter>& where) override {
    int64_t n = 0;
    for (const std::vector<Value>* row : MatchingRows(working_[t], where)) {
      working_[t].erase((*row)[0].integer());
      ++n;
    }
    return n;
  }
  absl::StatusOr<Row> DoGet(size_t t, int64_t id) override {
    auto it = Seen(t).find(id);
    if (it == Seen(t).end()) return RowNotFound(schema(t), id);
    return Row{it->second};
  }
  absl::StatusOr<std::vector<Row>> DoSelect(size_t t,
                                            const BoundQuery& q) override {
    return SelectRows(Seen(t), q);
  }
  absl::StatusOr<int64_t> DoCount(
      size_t t, const std::vector<BoundFilter>& where) override {
    return static_cast<int64_t>(MatchingRows(Seen(t), where).size());
  }
  absl::StatusOr<int64_t> DoCountDistinct(
      size_t t, size_t c, const std::vector<BoundFilter>& where) override {
    return CountDistinctValues(Seen(t), c, where);
  }
  absl::StatusOr<Value> DoSum(size_t t, size_t c,
                              const std::vector<BoundFilter>& where) override {
    return SumValues(Seen(t), c, where);
  }
  absl::StatusOr<std::vector<GroupCount>> DoCountBy(
      size_t t, size_t c, const std::vector<BoundFilter>& where) override {
    return CountGroups(Seen(t), c, where);
  }
  // A read-only transaction may name savepoints too; they hold nothing.
  absl::Status DoSavepoint(size_t depth) override {
    saved_.resize(depth);
    saved_.push_back(working_);
    return absl::OkStatus();
  }
  absl::Status DoRollbackTo(size_t depth) override {
    working_ = saved_[depth];
    saved_.resize(depth + 1);
    return absl::OkStatus();
  }
  absl::Status DoRelease(size_t depth) override {
    saved_.resize(depth);
    return absl::OkStatus();
  }
  absl::Status DoCommit() override {
    if (writer()) store_->EndWrite(&working_);
    return absl::OkStatus();
  }
  void DoRollback() override {
    if (writer()) store_->EndWrite(nullptr);
  }

  ReferenceStore* const store_;
  const std::shared_ptr<const Tables> snapshot_;
  Tables working_;             // a writer's tables as it sees them
  std::vector<Tables> saved_;  // working_ at each open savepoint
};

ReferenceStore::ReferenceStore(ReferenceOptions options)
    : options_(std::move(options)),
      committed_(std::make_shared<const Tables>(
          Tables(options_.catalog.tables().size()))) {}

absl::StatusOr<std::unique_ptr<Transaction>> ReferenceStore::Begin(
    TransactionMode mode) {
  std::unique_lock<Mutex> lock(mu_);
  if (mode == TransactionMode::kReadWrite) {
    if (!slot_free_.wait_for(
            lock, absl::ToChronoNanoseconds(options_.busy_timeout),
            [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return !writing_; })) {
      return DatabaseLocked();
    }
    writing_ = true;
  }
  return std::make_unique<ReferenceTransaction>(mode, this, committed_);
}

void ReferenceStore::EndWrite(const Tables* tables) {
  MutexLock lock(&mu_);
  if (tables != nullptr) committed_ = std::make_shared<const Tables>(*tables);
  writing_ = false;
  slot_free_.notify_one();
}

absl::StatusOr<StoreStats> ReferenceStore::Stats() {
  std::shared_ptr<const Tables> tables;
  {
    MutexLock lock(&mu_);
    tables = committed_;
  }
  StoreStats stats;
  for (size_t t = 0; t < tables->size(); ++t) {
    TableStats one{options_.catalog.tables()[t].name(),
                   static_cast<int64_t>((*tables)[t].size()), 0};
    for (const auto& [id, row] : (*tables)[t]) {
      for (const Value& v : row) one.bytes += v.PayloadSize();
    }
    stats.bytes_used += one.bytes;
    stats.tables.push_back(std::move(one));
  }
  return stats;
}

}  // namespace viewer::property
