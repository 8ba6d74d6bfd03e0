#include "engine/connection_pool.h"

namespace viewer {

bool QueuedWriteSlot::Acquire(absl::Duration timeout) {
  MutexLock lock(&mu_);  // as in BasicConnectionPool::Acquire
  const bool got = released_.wait_for(
      mu_, absl::ToChronoNanoseconds(timeout),
      [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return !taken_; });
  if (got) taken_ = true;
  return got;
}

void QueuedWriteSlot::Release() {
  MutexLock lock(&mu_);
  taken_ = false;
  released_.notify_one();
}

}  // namespace viewer
