#include "engine/internal/write_slot.h"

#include <sched.h>

#include <mutex>

namespace viewer::internal {

bool WriteSlot::Acquire(absl::Duration timeout) {
  if (TryAcquire()) return true;
  // The slot is usually held for microseconds: wait for it briefly
  // without sleeping in the kernel first.
  for (int i = 0; i < 200; ++i) {
    sched_yield();
    if (!busy() && TryAcquire()) return true;
  }
  std::unique_lock<Mutex> lock(mu_);
  waiters_.fetch_add(1, std::memory_order_seq_cst);
  const bool got = free_.wait_for(
      lock, absl::ToChronoNanoseconds(timeout),
      [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return TryAcquire(); });
  waiters_.fetch_sub(1, std::memory_order_relaxed);
  return got;
}

void WriteSlot::Release() {
  busy_.store(false, std::memory_order_seq_cst);
  if (waiters_.load(std::memory_order_seq_cst) > 0) {
    MutexLock lock(&mu_);
    free_.notify_one();
  }
}

}  // namespace viewer::internal
