#include "engine/memory_store.h"

#include "absl/container/inlined_vector.h"
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

namespace {

std::vector<std::unique_ptr<internal::ReaderLines>> LinesFor(size_t tables) {
  std::vector<std::unique_ptr<internal::ReaderLines>> lines;
  do {
    lines.push_back(std::make_unique<internal::ReaderLines>());
  } while (lines.size() * internal::ReaderLines::kTables < tables);
  return lines;
}

}  // namespace

MemoryStore::MemoryStore(MemoryOptions options)
    : options_(std::move(options)),
      lines_(LinesFor(options_.catalog.tables().size())),
      snapshots_(lines_[0].get()) {
  budget_.limit = options_.byte_limit;
  const std::vector<TableSchema>& schemas = options_.catalog.tables();
  for (size_t t = 0; t < schemas.size(); ++t) {
    tables_.push_back(std::make_unique<internal::MvccTable>(
        &schemas[t], &budget_, lines_[t / internal::ReaderLines::kTables].get(),
        t % internal::ReaderLines::kTables));
  }
}

MemoryStore::~MemoryStore() = default;

absl::StatusOr<std::unique_ptr<Transaction>> MemoryStore::Begin(
    TransactionMode mode) {
  if (mode == TransactionMode::kReadOnly) {
    return std::unique_ptr<Transaction>(
        new internal::MemoryTransaction(this, mode, snapshots_.Open()));
  }
  if (!AcquireForWriter()) return DatabaseLocked();
  write_slot_.AssertHeld();
  if (garbage_count().load() > 0) CollectGarbage(snapshots_.Horizon());
  // The writer reads the last commit; none can follow while it holds the
  // slot, so it needs no registered snapshot.
  internal::SnapshotRegistry::Handle view{snapshots_.LastCommitted(), -1};
  return std::unique_ptr<Transaction>(
      new internal::MemoryTransaction(this, mode, view));
}

bool MemoryStore::AcquireForWriter() {
  // Not a scoped hold: the transaction Begin returns keeps the slot and
  // gives it back when it ends (MemoryTransaction::Finish), which the
  // thread-safety analysis cannot follow.
  return write_slot_.Acquire(options_.busy_timeout);
}

void MemoryStore::SnapshotClosed() {
  // Who reclaims what a closed snapshot was pinning: while writes go on,
  // the writer, at its next commit or begin; only once the store has been
  // quiet for a moment does the reader that closes a snapshot do it, so a
  // busy writer never waits for readers doing its housekeeping.
  if (garbage_count().load() == 0 || write_slot_.busy()) return;
  const int64_t quiet = absl::GetCurrentTimeNanos() - last_commit_nanos_.load();
  if (quiet < kQuietNanos || !write_slot_.TryAcquire()) return;
  // A writer that let go meanwhile reclaimed what it could.
  if (garbage_count().load() > 0) CollectGarbage(snapshots_.Horizon());
  write_slot_.Release();
}

void MemoryStore::Reclaim(absl::Span<const Garbage> ended) {
  garbage_.insert(garbage_.end(), ended.begin(), ended.end());
  if (!garbage_.empty()) CollectGarbage(snapshots_.Horizon());
  if (!garbage_.empty()) {
    last_commit_nanos_.store(absl::GetCurrentTimeNanos());
  }
}

void MemoryStore::CollectGarbage(uint64_t horizon) {
  absl::InlinedVector<Garbage, 8> ready;
  while (!garbage_.empty() && garbage_.front().ended_at <= horizon) {
    ready.push_back(garbage_.front());
    garbage_.pop_front();
  }
  // Stored only when it changes: every closing reader reads it.
  const auto left = static_cast<int64_t>(garbage_.size());
  if (garbage_count().load(std::memory_order_relaxed) != left) {
    garbage_count().store(left);
  }
  for (const Garbage& g : ready) tables_[g.table]->Prune(g.id, horizon);
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

bool MemoryStore::CountsFromIndex(absl::string_view table) {
  absl::StatusOr<size_t> t = options_.catalog.Resolve(table);
  if (!t.ok()) return false;
  const internal::SnapshotRegistry::Handle snapshot = snapshots_.Open();
  const bool settled =
      tables_[*t]->CountsFromIndex(internal::ReadView{snapshot.ts, false});
  snapshots_.Close(snapshot);
  return settled;
}

}  // namespace viewer
