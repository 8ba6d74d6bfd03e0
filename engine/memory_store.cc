#include "engine/memory_store.h"

#include <sched.h>

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
        new internal::MemoryTransaction(this, mode, snapshots_.Open()));
  }
  // The slot is usually held for microseconds: wait for it briefly
  // without sleeping in the kernel first.
  for (int i = 0; i < 200 && writer_busy_.load(); ++i) sched_yield();
  {
    std::unique_lock<Mutex> lock(writer_mu_);
    if (!writer_free_.wait_for(
            lock, absl::ToChronoNanoseconds(options_.busy_timeout),
            [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return !writer_active_; })) {
      return DatabaseLocked();
    }
    writer_active_ = true;
    writer_busy_.store(true);
  }
  if (garbage_count_.load() > 0) CollectGarbage(snapshots_.Horizon());
  // The writer reads the last commit; none can follow while it holds the
  // slot, so it needs no registered snapshot.
  internal::SnapshotRegistry::Handle view{snapshots_.LastCommitted(), -1};
  return std::unique_ptr<Transaction>(
      new internal::MemoryTransaction(this, mode, view));
}

void MemoryStore::ReleaseWriter() {
  MutexLock lock(&writer_mu_);
  writer_active_ = false;
  writer_busy_.store(false);
  writer_free_.notify_one();
}

void MemoryStore::SnapshotClosed() {
  // Who reclaims what a closed snapshot was pinning: while writes go on,
  // the writer, at its next commit or begin; only once the store has been
  // quiet for a moment does the reader that closes a snapshot do it, so a
  // busy writer never waits for readers doing its housekeeping.
  if (garbage_count_.load() == 0 || writer_busy_.load()) return;
  const int64_t quiet = absl::GetCurrentTimeNanos() - last_commit_nanos_.load();
  if (quiet >= kQuietNanos) TryCollectGarbage();
}

void MemoryStore::Reclaim(std::vector<Garbage> ended) {
  last_commit_nanos_.store(absl::GetCurrentTimeNanos());
  if (!ended.empty()) {
    MutexLock lock(&gc_mu_);
    for (Garbage& g : ended) garbage_.push_back(g);
  }
  if (!ended.empty() || garbage_count_.load() > 0) {
    CollectGarbage(snapshots_.Horizon());
  }
}

void MemoryStore::CollectGarbage(uint64_t horizon) {
  std::vector<Garbage> ready;
  {
    MutexLock lock(&gc_mu_);
    while (!garbage_.empty() && garbage_.front().ended_at <= horizon) {
      ready.push_back(garbage_.front());
      garbage_.pop_front();
    }
    // Stored only when it changes: every closing reader reads it.
    const auto left = static_cast<int64_t>(garbage_.size());
    if (garbage_count_.load(std::memory_order_relaxed) != left) {
      garbage_count_.store(left);
    }
  }
  for (const Garbage& g : ready) tables_[g.table]->Prune(g.id, horizon);
}

void MemoryStore::TryCollectGarbage() {
  {
    MutexLock lock(&writer_mu_);
    if (writer_active_) return;  // its holder reclaims when it lets go
    writer_active_ = true;
    writer_busy_.store(true);
  }
  CollectGarbage(snapshots_.Horizon());
  ReleaseWriter();
}

absl::StatusOr<StoreStats> MemoryStore::Stats() {
  StoreStats stats;
  internal::SnapshotRegistry::Handle snapshot = snapshots_.Open();
  internal::ReadView view{snapshot.ts, false};
  for (const auto& table : tables_) {
    stats.tables.push_back({table->schema().name(),
                            table->CountVisible(view), table->bytes()});
  }
  snapshots_.Close(snapshot);
  SnapshotClosed();
  stats.bytes_used = budget_.used.load();
  stats.byte_limit = budget_.limit;
  return stats;
}

int64_t MemoryStore::VersionCount() const {
  int64_t n = 0;
  for (const auto& table : tables_) n += table->VersionCount();
  return n;
}

int64_t MemoryStore::OpenSnapshots() const { return snapshots_.Count(); }

}  // namespace viewer
