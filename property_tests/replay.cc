#include "property_tests/replay.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>

namespace viewer::property {
namespace {

// Fixed buffers, written before a crash and read by the handler (which may
// only call async-signal-safe functions such as write).
constexpr size_t kSize = 4096;
char replay[kSize];
char activity[2][kSize];
std::atomic<int> current{0};  // which activity buffer is complete

void Copy(char* to, const std::string& from) {
  size_t n = std::min(from.size(), kSize - 1);
  memcpy(to, from.data(), n);
  to[n] = '\0';
}

void Write(const char* s) {
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t w = write(STDERR_FILENO, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

void OnFatalSignal(int sig) {
  Write("\nproperty_tests: died of signal ");
  char number[4] = {static_cast<char>('0' + sig / 10 % 10),
                    static_cast<char>('0' + sig % 10), '\n', '\0'};
  Write(sig < 10 ? number + 1 : number);
  Write("while running: ");
  Write(activity[current.load()]);
  Write("\nReplay this run with:\n  ");
  Write(replay);
  Write("\n");
  signal(sig, SIG_DFL);
  raise(sig);
}

std::string& ReplayString() {
  static auto* command = new std::string("property_tests");
  return *command;
}

}  // namespace

void SetReplayCommand(const std::string& command) {
  ReplayString() = command;
  Copy(replay, command);
}

const std::string& ReplayCommand() { return ReplayString(); }

void SetActivity(const std::string& what) {
  const int next = 1 - current.load();
  Copy(activity[next], what);
  current.store(next);
}

void InstallCrashReport() {
  // Under a sanitizer, its own report of a bad access says more.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  const int kSignals[] = {SIGILL, SIGABRT, SIGFPE};
#else
  const int kSignals[] = {SIGSEGV, SIGILL, SIGABRT, SIGBUS, SIGFPE};
#endif
  for (int sig : kSignals) {
    struct sigaction action = {};
    action.sa_handler = OnFatalSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(sig, &action, nullptr);
  }
}

}  // namespace viewer::property
