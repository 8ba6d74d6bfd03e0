#include "engine/memory_store.h"

#include <mutex>

#include "engine/internal/memory_transaction.h"
#include "engine/status_macros.h"

namespace viewer {

absl::StatusOr<std::unique_ptr<MemoryStore>> MemoryStore::Open(
    MemoryOptions options) {
  VIEWER_RETURN_IF_ERROR(options.catalog.Validate());
  if (options.clock == nullptr) {
    return absl::InvalidArgumentError("MemoryOptions.clock is null");
  }
  if (options.byte_limit < 0) {
    return absl::InvalidArgumentError("byte limit must not be negative");
  }
  return std::unique_ptr<MemoryStore>(new MemoryStore(std::move(options)));
}

MemoryStore::MemoryStore(MemoryOptions options) : options_(std::move(options)) {
  budget_.limit = options_.byte_limit;
  for (const TableSchema& schema : options_.catalog.tables()) {
    tables_.push_back(std::make_unique<internal::MvccTable>(&schema, &budget_));
  }
}

MemoryStore::~MemoryStore() = default;

absl::StatusOr<std::unique_ptr<Transaction>> MemoryStore::Begin(
    TransactionMode mode) {
  if (mode == TransactionMode::kReadOnly) {
    return std::unique_ptr<Transaction>(
        new internal::MemoryTransaction(this, mode, OpenSnapshot()));
  }
  {
    std::unique_lock<Mutex> lock(writer_mu_);
    if (!writer_free_.wait_for(
            lock, absl::ToChronoNanoseconds(options_.busy_timeout),
            [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return !writer_active_; })) {
      return DatabaseLocked();
    }
    writer_active_ = true;
  }
  return std::unique_ptr<Transaction>(
      new internal::MemoryTransaction(this, mode, LastCommitted()));
}

void MemoryStore::ReleaseWriter() {
  // A snapshot closed while the slot was held may have left garbage that
  // only now can go: collect it before giving the slot up.
  while (true) {
    {
      MutexLock lock(&writer_mu_);
      if (!gc_wanted_) {
        writer_active_ = false;
        writer_free_.notify_one();
        return;
      }
      gc_wanted_ = false;
    }
    CollectGarbage(Horizon());
  }
}

uint64_t MemoryStore::OpenSnapshot() {
  MutexLock lock(&snap_mu_);
  ++snapshots_[last_committed_];
  return last_committed_;
}

void MemoryStore::CloseSnapshot(uint64_t ts) {
  bool was_oldest;
  {
    MutexLock lock(&snap_mu_);
    auto it = snapshots_.find(ts);
    was_oldest = it == snapshots_.begin();
    if (--it->second == 0) snapshots_.erase(it);
    was_oldest = was_oldest && ts < last_committed_;
  }
  // Closing the oldest snapshot may free what only it could see.
  if (was_oldest) TryCollectGarbage();
}

uint64_t MemoryStore::LastCommitted() const {
  MutexLock lock(&snap_mu_);
  return last_committed_;
}

void MemoryStore::Publish(uint64_t ts, std::vector<Garbage> ended) {
  uint64_t horizon;
  {
    MutexLock lock(&snap_mu_);
    last_committed_ = ts;
    horizon = snapshots_.empty() ? ts : snapshots_.begin()->first;
  }
  if (!ended.empty()) {
    MutexLock lock(&gc_mu_);
    for (Garbage& g : ended) garbage_.push_back(g);
  }
  CollectGarbage(horizon);
}

uint64_t MemoryStore::Horizon() const {
  MutexLock lock(&snap_mu_);
  return snapshots_.empty()
             ? last_committed_
             : std::min(last_committed_, snapshots_.begin()->first);
}

void MemoryStore::CollectGarbage(uint64_t horizon) {
  std::vector<Garbage> ready;
  {
    MutexLock lock(&gc_mu_);
    while (!garbage_.empty() && garbage_.front().ended_at <= horizon) {
      ready.push_back(garbage_.front());
      garbage_.pop_front();
    }
  }
  for (const Garbage& g : ready) tables_[g.table]->Prune(g.id, horizon);
}

void MemoryStore::TryCollectGarbage() {
  {
    MutexLock lock(&gc_mu_);
    if (garbage_.empty()) return;
  }
  {
    MutexLock lock(&writer_mu_);
    if (writer_active_) {
      gc_wanted_ = true;  // the slot's holder collects when it lets go
      return;
    }
    writer_active_ = true;
  }
  CollectGarbage(Horizon());
  ReleaseWriter();
}

absl::StatusOr<StoreStats> MemoryStore::Stats() {
  StoreStats stats;
  internal::ReadView view{OpenSnapshot(), false};
  for (const auto& table : tables_) {
    stats.tables.push_back({table->schema().name(),
                            table->CountVisible(view), table->bytes()});
  }
  CloseSnapshot(view.read_ts);
  stats.bytes_used = budget_.used.load();
  stats.byte_limit = budget_.limit;
  return stats;
}

int64_t MemoryStore::VersionCount() const {
  int64_t n = 0;
  for (const auto& table : tables_) n += table->VersionCount();
  return n;
}

int64_t MemoryStore::OpenSnapshots() const {
  MutexLock lock(&snap_mu_);
  int64_t n = 0;
  for (const auto& [ts, count] : snapshots_) n += count;
  return n;
}

}  // namespace viewer
