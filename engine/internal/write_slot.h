// The store's single write slot: held by the one read-write transaction
// open at a time (and by a reader that reclaims old versions while writes
// pause).
//
//   if (!slot.Acquire(absl::Seconds(5))) return DatabaseLocked();
//   ... write ...
//   slot.Release();
//
// Taking a free slot is one compare-and-swap and giving it back one store:
// the mutex and condition variable are used only by a writer that has to
// wait. The handshake (a waiter counts itself, then tries the slot; the
// releaser frees the slot, then looks for waiters; all seq_cst) means a
// waiter either gets the slot or is woken.
//
// The slot is a capability for the thread-safety analysis: what only its
// holder touches is ABSL_GUARDED_BY it, and code running for the holder
// says so with AssertHeld().
//
// Thread safety: that is what it is for. Not recursive.
#ifndef VIEWER_ENGINE_INTERNAL_WRITE_SLOT_H_
#define VIEWER_ENGINE_INTERNAL_WRITE_SLOT_H_

#include <atomic>
#include <condition_variable>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "engine/mutex.h"

namespace viewer::internal {

class ABSL_LOCKABLE WriteSlot {
 public:
  WriteSlot() = default;
  WriteSlot(const WriteSlot&) = delete;
  WriteSlot& operator=(const WriteSlot&) = delete;

  // Takes the slot if it is free.
  bool TryAcquire() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    bool free = false;
    return busy_.compare_exchange_strong(free, true,
                                         std::memory_order_seq_cst);
  }
  // Takes the slot, waiting up to `timeout`; false if it stayed taken.
  bool Acquire(absl::Duration timeout) ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true);
  void Release() ABSL_UNLOCK_FUNCTION();

  // Whether some thread holds the slot (a hint: it may change at once).
  bool busy() const { return busy_.load(std::memory_order_relaxed); }
  // For code that runs only for the holder.
  void AssertHeld() const ABSL_ASSERT_EXCLUSIVE_LOCK() {}

 private:
  std::atomic<bool> busy_{false};
  std::atomic<int> waiters_{0};
  Mutex mu_;
  std::condition_variable_any free_;
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_WRITE_SLOT_H_
