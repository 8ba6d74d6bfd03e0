// A small number for the calling thread, fixed for its life, so that
// per-thread state (reader counts, snapshot slots) can live in slots of
// its own: threads that start one after another get different numbers.
//
//   Slot& mine = slots_[ThreadSlot() % kSlots];
//
// Thread safety: any thread.
#ifndef VIEWER_ENGINE_INTERNAL_THREAD_SLOT_H_
#define VIEWER_ENGINE_INTERNAL_THREAD_SLOT_H_

#include <atomic>
#include <cstddef>

namespace viewer::internal {

inline size_t ThreadSlot() {
  static std::atomic<size_t> next{0};
  thread_local const size_t slot = next.fetch_add(1, std::memory_order_relaxed);
  return slot;
}

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_THREAD_SLOT_H_
