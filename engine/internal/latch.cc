#include "engine/internal/latch.h"

#include <sched.h>
#include <time.h>

namespace viewer::internal {

void Latch::Backoff(int spins) {
  if (spins < 64) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else if (spins < 256) {
    sched_yield();
  } else {
    timespec pause{0, 20'000};  // 20 us
    nanosleep(&pause, nullptr);
  }
}

}  // namespace viewer::internal
