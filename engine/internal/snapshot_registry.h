// The open snapshots of a MemoryStore and its last commit timestamp, so
// that reclamation knows the oldest commit anyone can still read.
//
//   SnapshotRegistry::Handle s = registry.Open();   // reader begins
//   ... read at s.ts ...
//   registry.Close(s);
//   registry.Publish(ts);                           // writer commits
//   uint64_t keep_from = registry.Horizon();
//
// Opening and closing a snapshot takes no lock: a reader claims one of the
// snapshot slots of a ReaderLines (reader_lines.h) with a compare-and-swap
// and writes its timestamp there, starting from its own thread's line, the
// line that also holds its counts on the table latches; the last commit
// timestamp lives on the writer's line. Only when every slot is taken does
// a reader fall back to a mutex-guarded map. The writer never waits for
// readers.
//
// The rule that makes this safe (a Dekker-style handshake, all seq_cst):
// a reader stores its timestamp in its slot, then reads the last commit
// again and retries if it moved; the writer stores the new last commit,
// then scans the slots. Either the writer sees the reader's slot, or the
// reader sees the new commit and moves to it, so Horizon() never passes a
// timestamp a snapshot is using.
//
// Thread safety: every method may be called from any thread; Publish only
// by the one writer.
#ifndef VIEWER_ENGINE_INTERNAL_SNAPSHOT_REGISTRY_H_
#define VIEWER_ENGINE_INTERNAL_SNAPSHOT_REGISTRY_H_

#include <atomic>
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "engine/internal/reader_lines.h"
#include "engine/mutex.h"

namespace viewer::internal {

class SnapshotRegistry {
 public:
  struct Handle {
    uint64_t ts = 0;
    int slot = -1;  // -1: registered in the overflow map
  };

  // The slots and the last commit are `lines`', which must outlive it.
  explicit SnapshotRegistry(ReaderLines* lines) : lines_(lines) {}
  SnapshotRegistry(const SnapshotRegistry&) = delete;
  SnapshotRegistry& operator=(const SnapshotRegistry&) = delete;

  // Registers a snapshot of the last commit.
  Handle Open();
  void Close(const Handle& h);

  uint64_t LastCommitted() const {
    return last_committed().load(std::memory_order_seq_cst);
  }
  // Makes `ts` the last commit. The writer only.
  void Publish(uint64_t ts) {
    lines_->writer().last_committed.store(ts, std::memory_order_seq_cst);
  }
  // The oldest timestamp an open snapshot reads, or LastCommitted() when
  // none is older: versions ended at or before it are invisible to every
  // present and future snapshot.
  uint64_t Horizon() const;
  // Snapshots open now (for tests).
  int64_t Count() const;

 private:
  static constexpr int kSlots = ReaderLines::kLines;
  // Slot values: kFree, kClaimed (being filled), or ts + 1.
  static constexpr uint64_t kFree = 0;
  static constexpr uint64_t kClaimed = ~uint64_t{0};

  std::atomic<uint64_t>& slot(int i) { return lines_->line(i).snapshot; }
  const std::atomic<uint64_t>& slot(int i) const {
    return lines_->line(i).snapshot;
  }
  const std::atomic<uint64_t>& last_committed() const {
    return lines_->writer().last_committed;
  }

  ReaderLines* const lines_;

  mutable Mutex overflow_mu_;
  absl::btree_map<uint64_t, int64_t> overflow_ ABSL_GUARDED_BY(overflow_mu_);
  // Snapshots in overflow_, so that Horizon() takes the lock only when
  // there are some.
  std::atomic<int64_t> overflow_count_{0};
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_SNAPSHOT_REGISTRY_H_
