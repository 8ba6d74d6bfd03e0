// Seeing, from a test, that another thread of this process is blocked:
// asleep in the kernel (state S or D in /proc/self/task/<tid>/stat), as a
// thread waiting for a lock, a condition variable or a busy handler's
// sleep is. Tests use it to prove an overlap instead of sleeping and
// hoping: "the second writer is inside its wait now, so commit the first".
//
//   std::atomic<pid_t> tid{0};
//   std::thread t([&] { tid = CurrentThreadId(); store.Begin(...); });
//   EXPECT_TRUE(WaitUntilBlocked(tid, [&] { return returned.load(); }));
//
// Thread safety: plain functions.
#ifndef VIEWER_TESTS_THREAD_STATE_H_
#define VIEWER_TESTS_THREAD_STATE_H_

#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

namespace viewer::testing {

inline pid_t CurrentThreadId() {
  return static_cast<pid_t>(syscall(SYS_gettid));
}

// True when thread `tid` of this process is asleep in the kernel.
inline bool ThreadIsBlocked(pid_t tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  // "tid (name) S ...": the name may hold spaces and parentheses.
  const size_t close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return false;
  const char state = line[close + 2];
  return state == 'S' || state == 'D';
}

// Waits until thread `*tid` (published by that thread; 0 until then) is
// blocked, seen twice in a row a little apart so that a passing moment
// does not count. Returns false, without waiting further, once `gave_up()`
// is true (the thread finished: it never blocked) or after `limit`.
inline bool WaitUntilBlocked(
    const std::atomic<pid_t>& tid, const std::function<bool()>& gave_up,
    std::chrono::milliseconds limit = std::chrono::milliseconds(10'000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int seen = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (gave_up()) return false;
    const pid_t t = tid.load();
    seen = t != 0 && ThreadIsBlocked(t) ? seen + 1 : 0;
    if (seen >= 2) return true;
    std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return false;
}

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_THREAD_STATE_H_
