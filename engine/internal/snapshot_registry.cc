#include "engine/internal/snapshot_registry.h"

#include <algorithm>

#include "engine/internal/thread_slot.h"

namespace viewer::internal {

SnapshotRegistry::Handle SnapshotRegistry::Open() {
  // Each thread starts its search at a slot of its own, so threads rarely
  // meet, and a thread opening snapshot after snapshot keeps writing the
  // same cache line.
  const size_t start = ThreadSlot() % kSlots;
  for (int i = 0; i < kSlots; ++i) {
    const int s = static_cast<int>((start + i) % kSlots);
    uint64_t expected = kFree;
    if (!slot(s).compare_exchange_strong(expected, kClaimed)) continue;
    uint64_t ts = last_committed().load();
    while (true) {
      slot(s).store(ts + 1);
      const uint64_t again = last_committed().load();
      if (again == ts) return Handle{ts, s};
      ts = again;  // a commit slipped in: read that one instead
    }
  }
  MutexLock lock(&overflow_mu_);
  // Counted before the last commit is read: a Horizon() that finds no
  // count ran before, and this reads its commit; one that finds it waits
  // for the lock and sees this entry.
  overflow_count_.fetch_add(1);
  const uint64_t ts = last_committed().load();
  ++overflow_[ts];
  return Handle{ts, -1};
}

void SnapshotRegistry::Close(const Handle& h) {
  if (h.slot >= 0) {
    slot(h.slot).store(kFree);
    return;
  }
  MutexLock lock(&overflow_mu_);
  auto it = overflow_.find(h.ts);
  if (--it->second == 0) overflow_.erase(it);
  overflow_count_.fetch_sub(1);
}

uint64_t SnapshotRegistry::Horizon() const {
  uint64_t horizon = last_committed().load();
  for (int i = 0; i < kSlots; ++i) {
    const uint64_t v = slot(i).load();
    // A claimed slot's owner re-reads the last commit before using it.
    if (v != kFree && v != kClaimed) horizon = std::min(horizon, v - 1);
  }
  if (overflow_count_.load() == 0) return horizon;
  MutexLock lock(&overflow_mu_);
  if (!overflow_.empty()) horizon = std::min(horizon, overflow_.begin()->first);
  return horizon;
}

int64_t SnapshotRegistry::Count() const {
  int64_t n = 0;
  for (int i = 0; i < kSlots; ++i) {
    const uint64_t v = slot(i).load();
    if (v != kFree && v != kClaimed) ++n;
  }
  MutexLock lock(&overflow_mu_);
  for (const auto& [ts, count] : overflow_) n += count;
  return n;
}

}  // namespace viewer::internal
