// The in-memory MVCC store: the storage contract (store.h) without SQLite.
//
//   MemoryOptions options;
//   options.catalog = AppCatalog();
//   options.byte_limit = 1 << 30;
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<MemoryStore> store,
//                           MemoryStore::Open(std::move(options)));
//
// How it works (docs/in_memory_database.md, "Inside the engine"): rows
// are chains of versions stamped with commit timestamps; a read-only
// transaction is a timestamp, so beginning one is O(1) and copies nothing.
// A version is one allocation, a 16-byte header and the row's values
// packed after it (internal/row_format.h); blobs are shared between
// versions, never copied. The primary index maps an id straight to the
// newest version and every other index holds only pointers to versions,
// comparing keys in place (internal/mvcc_table.h). One writer at a time
// makes pending versions and records them in its undo log; Commit stamps
// them with the next timestamp (O(rows changed)) and publishes it;
// Rollback walks the log backwards. Versions no open or future snapshot
// can see are freed by the writer (at each commit and each begin) and,
// once writes have paused for a millisecond, by the reader that closes a
// snapshot; a write that would pass the byte limit first frees what it
// can. A transaction may then go over the limit by at most the bytes of
// the committed rows it has deleted (with their index entries), which are
// freed once no snapshot sees them: a delete that records what it did
// still works in a full store, and nothing is ever evicted.
//
// Readers and the writer keep off each other's cache lines: a reader
// thread's snapshot and its counts on the table latches share one line of
// its own, and the last commit and the writer's latch flags one writer's
// line (internal/reader_lines.h); counts whose filters an index answers
// read the index alone while the table holds only settled versions.
//
// Thread safety: every method may be called from any thread. Readers run in
// parallel with each other and with the writer; they wait only for the
// microseconds a single write statement holds a table's latch.
#ifndef VIEWER_ENGINE_MEMORY_STORE_H_
#define VIEWER_ENGINE_MEMORY_STORE_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "engine/clock.h"
#include "engine/internal/mvcc_table.h"
#include "engine/internal/reader_lines.h"
#include "engine/internal/snapshot_registry.h"
#include "engine/internal/write_slot.h"
#include "engine/store.h"

namespace viewer {

namespace internal {
class MemoryTransaction;
}

struct MemoryOptions {
  // The tables to hold.
  Catalog catalog;
  // Where "now" comes from; not owned, must outlive the store.
  Clock* clock = SystemClock::Get();
  // How long a writer waits for the write slot before kUnavailable.
  absl::Duration busy_timeout = absl::Seconds(5);
  // Bytes the store may hold (rows, old versions, indexes); 0: no limit.
  int64_t byte_limit = 0;
};

class MemoryStore final : public Store {
 public:
  static absl::StatusOr<std::unique_ptr<MemoryStore>> Open(
      MemoryOptions options);
  ~MemoryStore() override;

  absl::StatusOr<std::unique_ptr<Transaction>> Begin(
      TransactionMode mode) override;
  absl::StatusOr<StoreStats> Stats() override;
  const Catalog& catalog() const override { return options_.catalog; }
  std::string Describe() const override { return "memory"; }

  // Row versions held in all tables, live and old (for reclamation tests).
  int64_t VersionCount() const;
  // Snapshots currently open.
  int64_t OpenSnapshots() const;
  // Whether a snapshot taken now counts rows of `table` whose filters an
  // index answers from the index alone (for tests); false for an unknown
  // table.
  bool CountsFromIndex(absl::string_view table);

 private:
  friend class internal::MemoryTransaction;

  struct Garbage {
    uint64_t ended_at;
    size_t table;
    int64_t id;
  };

  explicit MemoryStore(MemoryOptions options);

  internal::MvccTable& table(size_t i) { return *tables_[i]; }
  // garbage_.size(), kept on the writer's line, which every reader
  // reads when it opens a snapshot: reading it when closing one is free.
  std::atomic<int64_t>& garbage_count() { return lines_[0]->writer().garbage; }
  Clock* clock() const { return options_.clock; }

  // Takes the write slot for a new read-write transaction, waiting up to
  // the busy timeout; false if it stayed taken.
  bool AcquireForWriter() ABSL_NO_THREAD_SAFETY_ANALYSIS;
  // Queues versions ended by commit; frees what no snapshot can see any
  // more. Called by the writer after publishing.
  void Reclaim(absl::Span<const Garbage> ended)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_slot_);
  // Frees queued versions ended at or before `horizon`.
  void CollectGarbage(uint64_t horizon)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_slot_);
  // After a snapshot closes: reclaims if the store has been quiet.
  void SnapshotClosed() ABSL_LOCKS_EXCLUDED(write_slot_);

  const MemoryOptions options_;
  // Where readers and the writer say what they do: one ReaderLines per
  // ReaderLines::kTables tables; the first also holds the snapshots.
  std::vector<std::unique_ptr<internal::ReaderLines>> lines_;
  internal::SnapshotRegistry snapshots_;
  std::vector<std::unique_ptr<internal::MvccTable>> tables_;
  internal::ByteBudget budget_;  // 64-aligned

  internal::WriteSlot write_slot_;
  std::deque<Garbage> garbage_ ABSL_GUARDED_BY(write_slot_);
  // When the last commit that left garbage behind ended
  // (absl::GetCurrentTimeNanos); written by the slot's holder only.
  std::atomic<int64_t> last_commit_nanos_{0};
  // How long without commits before readers reclaim (SnapshotClosed).
  static constexpr int64_t kQuietNanos = 1'000'000;
};

}  // namespace viewer

#endif  // VIEWER_ENGINE_MEMORY_STORE_H_
