#include "tools/bench/bench_memory.h"

#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "tests/busy_session.h"

namespace viewer::bench {
namespace {

void Fail(const char* what) {
  fprintf(stderr, "busy session: %s\n", what);
  abort();
}

}  // namespace

int64_t HeapBytes() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

int64_t ResidentBytes() {
  FILE* statm = fopen("/proc/self/statm", "r");
  long size = 0, resident = 0;
  if (statm == nullptr || fscanf(statm, "%ld %ld", &size, &resident) != 2) {
    Fail("cannot read /proc/self/statm");
  }
  fclose(statm);
  return static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

MemoryFigures MeasureInChild(
    const std::function<std::unique_ptr<Store>()>& open, int rows) {
  int fds[2];
  if (pipe(fds) != 0) Fail("pipe");
  const pid_t pid = fork();
  if (pid < 0) Fail("fork");
  if (pid == 0) {
    close(fds[0]);
    const int64_t heap = HeapBytes();
    const int64_t resident = ResidentBytes();
    std::unique_ptr<Store> store = open();
    auto txn = store->Begin(TransactionMode::kReadWrite);
    if (!txn.ok() || !FillBusySession(**txn, rows).ok() ||
        !(*txn)->Commit().ok()) {
      Fail("fill");
    }
    txn->reset();
    auto stats = store->Stats();
    if (!stats.ok()) Fail("stats");
    MemoryFigures f{stats->bytes_used, HeapBytes() - heap,
                    ResidentBytes() - resident};
    if (write(fds[1], &f, sizeof f) != sizeof f) Fail("write");
    _exit(0);
  }
  close(fds[1]);
  MemoryFigures f;
  const bool got = read(fds[0], &f, sizeof f) == sizeof f;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) Fail("child");
  return f;
}

}  // namespace viewer::bench
