// Clocks: where a store reads "now" for defaults and "set to now on update".
//
//   SystemClock clock;                 // production: the system clock, UTC
//   ManualClock test_clock(Timestamp{1'700'000'000'000'000});
//   test_clock.Advance(absl::Seconds(1));
//
// Both backends of one test share a ManualClock (or two advanced together),
// so identical operation sequences give identical timestamps.
//
// Thread safety: Now(), Set() and Advance() may be called from any thread.
#ifndef VIEWER_ENGINE_CLOCK_H_
#define VIEWER_ENGINE_CLOCK_H_

#include <atomic>

#include "absl/time/time.h"
#include "engine/value.h"

namespace viewer {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant, truncated to microseconds.
  virtual Timestamp Now() = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() override { return Timestamp::FromAbsl(absl::Now()); }
  // A process-wide instance; never destroyed.
  static SystemClock* Get();
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = Timestamp{1'700'000'000'000'000})
      : micros_(start.micros) {}
  Timestamp Now() override { return Timestamp{micros_.load()}; }
  void Set(Timestamp t) { micros_.store(t.micros); }
  void Advance(absl::Duration d) { micros_ += absl::ToInt64Microseconds(d); }

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace viewer

#endif  // VIEWER_ENGINE_CLOCK_H_
