// A table latch: a reader-writer lock for holds of a few microseconds (one
// statement's reads, one version written, one page of old versions
// freed), in which a reader writes only a cache line of its own.
//
//   Latch latch_;
//   { ReaderLatchLock lock(&latch_); ...read... }
//   { WriterLatchLock lock(&latch_); ...mutate... }
//
// Readers count themselves in one of kSlots counters, each on its own
// cache line, chosen by thread (thread_slot.h); the writer raises a flag
// and waits for every counter to drain. So readers on different cores
// never write a line another reader or the writer writes on every
// operation: a reader's line moves only when the writer takes the latch.
// The handshake (a reader counts itself, then reads the flag; the writer
// raises the flag, then reads the counters; all seq_cst) means either the
// writer sees the reader or the reader sees the flag and backs off.
//
// Why not a pthread rwlock (viewer::Mutex): its one shared counter moves
// between cores on every lock, and a contended rwlock puts the reader to
// sleep in a futex at once, which costs far more than the writer's hold.
// Writers are preferred: the flag stops new readers, so a stream of
// readers cannot starve a writer. Built on std::atomic, which the thread
// sanitizer understands.
//
// Thread safety: that is what it is for. Not recursive.
#ifndef VIEWER_ENGINE_INTERNAL_LATCH_H_
#define VIEWER_ENGINE_INTERNAL_LATCH_H_

#include <array>
#include <atomic>
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "engine/internal/thread_slot.h"

namespace viewer::internal {

class ABSL_LOCKABLE Latch {
 public:
  static constexpr size_t kSlots = 16;

  Latch() = default;
  Latch(const Latch&) = delete;
  Latch& operator=(const Latch&) = delete;

  void ReaderLock() ABSL_SHARED_LOCK_FUNCTION() {
    std::atomic<int32_t>& mine = Mine();
    for (int spins = 0;; ++spins) {
      mine.fetch_add(1, std::memory_order_seq_cst);
      if (writer_.load(std::memory_order_seq_cst) == 0) return;
      mine.fetch_sub(1, std::memory_order_release);
      while (writer_.load(std::memory_order_relaxed) != 0) Backoff(spins++);
    }
  }
  void ReaderUnlock() ABSL_UNLOCK_FUNCTION() {
    Mine().fetch_sub(1, std::memory_order_release);
  }
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    for (int spins = 0;; ++spins) {
      int32_t free = 0;
      if (writer_.compare_exchange_weak(free, 1, std::memory_order_seq_cst)) {
        break;
      }
      Backoff(spins);
    }
    for (Counter& c : readers_) {
      for (int spins = 0; c.n.load(std::memory_order_seq_cst) != 0; ++spins) {
        Backoff(spins);
      }
    }
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    writer_.store(0, std::memory_order_release);
  }

  // For the holder of the store's write slot, the only thread that ever
  // takes this latch exclusively: it may read what the latch guards
  // without taking it, since readers never change anything.
  void AssertWriterMayRead() const ABSL_ASSERT_SHARED_LOCK() {}

 private:
  struct alignas(64) Counter {
    std::atomic<int32_t> n{0};
  };

  // Spin briefly, then yield the CPU, then sleep a little: the holder may
  // have been descheduled.
  static void Backoff(int spins);
  std::atomic<int32_t>& Mine() { return readers_[ThreadSlot() % kSlots].n; }

  std::array<Counter, kSlots> readers_;
  alignas(64) std::atomic<int32_t> writer_{0};
};

class ABSL_SCOPED_LOCKABLE ReaderLatchLock {
 public:
  explicit ReaderLatchLock(Latch* latch) ABSL_SHARED_LOCK_FUNCTION(latch)
      : latch_(latch) {
    latch_->ReaderLock();
  }
  ~ReaderLatchLock() ABSL_UNLOCK_FUNCTION() { latch_->ReaderUnlock(); }
  ReaderLatchLock(const ReaderLatchLock&) = delete;
  ReaderLatchLock& operator=(const ReaderLatchLock&) = delete;

 private:
  Latch* const latch_;
};

class ABSL_SCOPED_LOCKABLE WriterLatchLock {
 public:
  explicit WriterLatchLock(Latch* latch) ABSL_EXCLUSIVE_LOCK_FUNCTION(latch)
      : latch_(latch) {
    latch_->Lock();
  }
  ~WriterLatchLock() ABSL_UNLOCK_FUNCTION() { latch_->Unlock(); }
  WriterLatchLock(const WriterLatchLock&) = delete;
  WriterLatchLock& operator=(const WriterLatchLock&) = delete;

 private:
  Latch* const latch_;
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_LATCH_H_
