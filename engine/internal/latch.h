// A table latch: a reader-writer lock for holds of a few microseconds (one
// statement's reads, one version pushed, one commit stamped), which spins
// and then yields instead of sleeping in the kernel.
//
//   Latch latch_;
//   { ReaderLatchLock lock(&latch_); ...read... }
//   { WriterLatchLock lock(&latch_); ...mutate... }
//
// Why not a pthread rwlock (viewer::Mutex): a contended rwlock puts the
// reader to sleep in a futex at once, and waking it costs far more than
// the writer's hold. Writers are preferred: a waiting writer stops new
// readers, so a stream of readers cannot starve it. Built on std::atomic
// with acquire/release, which the thread sanitizer understands.
//
// Thread safety: that is what it is for. Not recursive.
#ifndef VIEWER_ENGINE_INTERNAL_LATCH_H_
#define VIEWER_ENGINE_INTERNAL_LATCH_H_

#include <atomic>
#include <cstdint>

#include "absl/base/thread_annotations.h"

namespace viewer::internal {

class ABSL_LOCKABLE Latch {
 public:
  Latch() = default;
  Latch(const Latch&) = delete;
  Latch& operator=(const Latch&) = delete;

  void ReaderLock() ABSL_SHARED_LOCK_FUNCTION() {
    for (int spins = 0;; ++spins) {
      int32_t s = state_.load(std::memory_order_relaxed);
      if (s >= 0 && writers_waiting_.load(std::memory_order_relaxed) == 0 &&
          state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire)) {
        return;
      }
      Backoff(spins);
    }
  }
  void ReaderUnlock() ABSL_UNLOCK_FUNCTION() {
    state_.fetch_sub(1, std::memory_order_release);
  }
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    writers_waiting_.fetch_add(1, std::memory_order_relaxed);
    for (int spins = 0;; ++spins) {
      int32_t free = 0;
      if (state_.compare_exchange_weak(free, -1, std::memory_order_acquire)) {
        break;
      }
      Backoff(spins);
    }
    writers_waiting_.fetch_sub(1, std::memory_order_relaxed);
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    state_.store(0, std::memory_order_release);
  }

 private:
  // Spin briefly, then yield the CPU, then sleep a little: the holder may
  // have been descheduled.
  static void Backoff(int spins);

  std::atomic<int32_t> state_{0};  // > 0: readers; -1: a writer
  std::atomic<int32_t> writers_waiting_{0};
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
