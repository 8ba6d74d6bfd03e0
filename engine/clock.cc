#include "engine/clock.h"

namespace viewer {

SystemClock* SystemClock::Get() {
  static SystemClock* clock = new SystemClock();
  return clock;
}

}  // namespace viewer
