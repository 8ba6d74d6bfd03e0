// A dump killed with SIGKILL at random moments leaves either the old file or no
// file, never a partial one (docs/in_memory_database.md, "Dump to a SQLite
// file"). Child processes dump a large memory store (built once, inherited by
// fork) over an existing file and are killed after a random delay; after each
// kill the destination must be the previous file byte for byte or a complete
// new database (integrity_check ok, every row there).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "app/schemas.h"
#include "app/store_files.h"
#include "gtest/gtest.h"
#include "tests/app/store_files_test_util.h"
#include "tests/app/store_io_util.h"
#include "tests/storage/backends.h"
#include "tests/temp_dir.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

constexpr int kKills = 12;
constexpr int kPageViews = 40'000;
constexpr int kCids = 150;

// Fills `store` with page views and 16 KB CIDs (about 2.5 MB in all).
void FillLarge(StoreHarness& h) {
  auto txn = h.Write();
  for (int i = 0; i < kPageViews; ++i) {
    ASSERT_OK(txn->Insert(kPageViewTable,
                          {{"path", Value::Text(absl::StrCat("/page/", i))},
                           {"user_agent", Value::Text("curl/8")}}));
  }
  for (int i = 0; i < kCids; ++i) {
    const std::string bytes = SampleBytes(16 << 10, i);
    ASSERT_OK(
        txn->Insert(kCidTable, {{"path", Value::Text("/" + ComputeCid(bytes))},
                                {"file_data", Value::Blob(bytes)}}));
  }
  ASSERT_OK(txn->Commit());
}

// Forks a child that writes one byte to the pipe, then dumps. Returns its
// pid and the read end of the pipe.
pid_t StartDump(Store& store, const std::string& dest, int* started_fd) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    char go = 'x';
    if (write(fds[1], &go, 1) != 1) _exit(3);
    _exit(DumpToSqliteFile(store, dest).ok() ? 0 : 1);
  }
  close(fds[1]);
  *started_fd = fds[0];
  return pid;
}

void AwaitStart(int fd) {
  char go;
  ssize_t n;
  while ((n = read(fd, &go, 1)) < 0 && errno == EINTR) {
  }
  close(fd);
}

TEST(DumpKill, AKilledDumpLeavesTheOldFileOrACompleteNewOne) {
  StoreHarness large(BackendKind::kMemory, AppCatalog());
  FillLarge(large);
  StoreHarness small(BackendKind::kMemory, AppCatalog());
  TempDir dir;
  const std::string dest = dir.path() + "/dump.db";

  // How long one uninterrupted dump takes, to spread the kills over it.
  int fd = -1;
  pid_t pid = StartDump(large.store(), dest + ".timing", &fd);
  ASSERT_GT(pid, 0);
  AwaitStart(fd);
  const auto begin = std::chrono::steady_clock::now();
  ChildResult timing = Wait(pid);
  const auto full = std::chrono::steady_clock::now() - begin;
  ASSERT_TRUE(timing.exited && timing.code == 0);
  const int64_t full_us =
      std::chrono::duration_cast<std::chrono::microseconds>(full).count();
  std::remove((dest + ".timing").c_str());

  std::mt19937 rng(::testing::UnitTest::GetInstance()->random_seed());
  std::uniform_int_distribution<int64_t> delay_us(0, full_us * 6 / 5);
  int kept_old = 0, replaced = 0, finished_before_kill = 0;
  for (int i = 0; i < kKills; ++i) {
    // Each round starts from the small store's file, so that "old" and
    // "new" can be told apart by their bytes.
    ASSERT_OK(DumpToSqliteFile(small.store(), dest));
    const std::string old = FileBytes(dest);
    pid = StartDump(large.store(), dest, &fd);
    ASSERT_GT(pid, 0);
    AwaitStart(fd);
    const int64_t wait = delay_us(rng);
    std::this_thread::sleep_for(std::chrono::microseconds(wait));
    kill(pid, SIGKILL);
    ChildResult r = Wait(pid);
    if (r.exited) {
      ASSERT_EQ(r.code, 0) << "the dump failed by itself";
      ++finished_before_kill;
    }
    ASSERT_TRUE(FileExists(dest)) << "kill " << i << " after " << wait << "us";
    if (FileBytes(dest) == old) {
      EXPECT_FALSE(r.exited) << "a finished dump left the old file";
      ++kept_old;
    } else {
      ++replaced;
      ASSERT_EQ(IntegrityCheck(dest), "ok") << "kill " << i;
      EXPECT_EQ(QuerySql(dest, "SELECT count(*) FROM page_view"),
                absl::StrCat(kPageViews));
      EXPECT_EQ(QuerySql(dest, "SELECT count(*) FROM cid"),
                absl::StrCat(kCids));
    }
    // Whatever else is there is a killed dump's temporary file.
    for (const std::string& name : FilesIn(dir.path())) {
      if (name == "dump.db") continue;
      EXPECT_TRUE(absl::StartsWith(name, "dump.db.tmp-")) << name;
      std::remove((dir.path() + "/" + name).c_str());
    }
  }
  std::cout << "dump of " << kPageViews + kCids << " rows took " << full_us
            << "us; " << kKills << " kills: " << kept_old << " left the old "
            << "file, " << replaced << " a complete new one ("
            << finished_before_kill << " of those dumps had finished)\n";
  EXPECT_GE(kept_old, 1) << "no kill landed during a dump";
}

}  // namespace
}  // namespace viewer::testing
