// Locking and snapshots: one writer at a time with a busy timeout, readers
// with stable snapshots that never wait, and many threads sharing a store.
#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sqlite_backend/sqlite_store.h"
#include "tests/sqlite_backend/sqlite_test_util.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::viewer::testing::IsOkAndHolds;
using ::viewer::testing::RawDb;
using ::viewer::testing::SqliteTestDir;
using ::viewer::testing::StatusIs;
using ::viewer::testing::TestOptions;

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_,
                         SqliteStore::Open(TestOptions(dir_.db(), &clock_)));
  }

  absl::Status AddTag(Transaction& txn, const std::string& label) {
    return txn.Insert("tag", {{"label", Value::Text(label)}}).status();
  }

  SqliteTestDir dir_;
  ManualClock clock_;
  std::unique_ptr<SqliteStore> store_;  // busy_timeout 50 ms
};

TEST_F(ConcurrencyTest, SecondWriterWaitsThenGetsUnavailable) {
  ASSERT_OK_AND_ASSIGN(auto first, store_->Begin(TransactionMode::kReadWrite));
  const absl::Time start = absl::Now();
  EXPECT_THAT(store_->Begin(TransactionMode::kReadWrite),
              StatusIs(absl::StatusCode::kUnavailable, "database is locked"));
  const absl::Duration waited = absl::Now() - start;
  EXPECT_GE(waited, absl::Milliseconds(45));
  EXPECT_LT(waited, absl::Seconds(2));
  ASSERT_OK(first->Commit());
  // The slot is free as soon as the first writer ends.
  ASSERT_OK_AND_ASSIGN(auto second, store_->Begin(TransactionMode::kReadWrite));
  ASSERT_OK(second->Rollback());
}

TEST_F(ConcurrencyTest, WriterOfAnotherProcessHoldsSqlitesLock) {
  // A second store on the same file stands in for another process: only
  // SQLite's file lock is shared, and its busy timeout must apply.
  ASSERT_OK_AND_ASSIGN(auto other,
                       SqliteStore::Open(TestOptions(dir_.db(), &clock_)));
  ASSERT_OK_AND_ASSIGN(auto holder, other->Begin(TransactionMode::kReadWrite));
  ASSERT_OK(AddTag(*holder, "theirs"));
  const absl::Time start = absl::Now();
  EXPECT_THAT(store_->Begin(TransactionMode::kReadWrite),
              StatusIs(absl::StatusCode::kUnavailable, "database is locked"));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(45));
  // Readers are not blocked by the other writer, and do not see its work.
  ASSERT_OK_AND_ASSIGN(auto reader, store_->Begin(TransactionMode::kReadOnly));
  EXPECT_THAT(reader->Count("tag"), IsOkAndHolds(0));
  ASSERT_OK(holder->Commit());
  EXPECT_THAT(reader->Count("tag"), IsOkAndHolds(0));
  ASSERT_OK_AND_ASSIGN(auto writer, store_->Begin(TransactionMode::kReadWrite));
  EXPECT_THAT(writer->Count("tag"), IsOkAndHolds(1));
}

TEST_F(ConcurrencyTest, RawConnectionHoldingTheLockGivesUnavailable) {
  RawDb raw(dir_.db());
  ASSERT_EQ(raw.Exec("BEGIN IMMEDIATE"), SQLITE_OK);
  EXPECT_THAT(store_->Begin(TransactionMode::kReadWrite),
              StatusIs(absl::StatusCode::kUnavailable, "database is locked"));
  ASSERT_EQ(raw.Exec("ROLLBACK"), SQLITE_OK);
  ASSERT_OK_AND_ASSIGN(auto writer, store_->Begin(TransactionMode::kReadWrite));
}

TEST_F(ConcurrencyTest, ReaderSnapshotIsFixedWhenBeginReturns) {
  {
    ASSERT_OK_AND_ASSIGN(auto w, store_->Begin(TransactionMode::kReadWrite));
    ASSERT_OK(AddTag(*w, "before"));
    ASSERT_OK(w->Commit());
  }
  ASSERT_OK_AND_ASSIGN(auto writer, store_->Begin(TransactionMode::kReadWrite));
  ASSERT_OK(AddTag(*writer, "during"));
  // Begun while the writer is open: sees the last commit only. Had it
  // waited for the writer (on this same thread) it would have failed with
  // kUnavailable after the busy timeout.
  ASSERT_OK_AND_ASSIGN(auto reader, store_->Begin(TransactionMode::kReadOnly));
  ASSERT_OK(writer->Commit());
  // The writer committed after Begin returned but before the reader's first
  // statement: still invisible.
  EXPECT_THAT(reader->Count("tag"), IsOkAndHolds(1));
  {
    ASSERT_OK_AND_ASSIGN(auto w, store_->Begin(TransactionMode::kReadWrite));
    ASSERT_OK(AddTag(*w, "after"));
    ASSERT_OK(w->Commit());
  }
  EXPECT_THAT(reader->Count("tag"), IsOkAndHolds(1));
  EXPECT_THAT(reader->Select("tag", Query()),
              IsOkAndHolds(::testing::SizeIs(1)));
  ASSERT_OK_AND_ASSIGN(auto fresh, store_->Begin(TransactionMode::kReadOnly));
  EXPECT_THAT(fresh->Count("tag"), IsOkAndHolds(3));
}

TEST_F(ConcurrencyTest, DestroyingAnOpenWriterRollsBackAndFreesTheSlot) {
  {
    ASSERT_OK_AND_ASSIGN(auto w, store_->Begin(TransactionMode::kReadWrite));
    ASSERT_OK(AddTag(*w, "lost"));
  }
  ASSERT_OK_AND_ASSIGN(auto w, store_->Begin(TransactionMode::kReadWrite));
  EXPECT_THAT(w->Count("tag"), IsOkAndHolds(0));
  ASSERT_OK(w->Commit());
  EXPECT_THAT(w->Count("tag"), StatusIs(absl::StatusCode::kFailedPrecondition,
                                        "transaction is finished"));
}

TEST_F(ConcurrencyTest, ManyThreadsShareOneStore) {
  SqliteOptions options = TestOptions(dir_.db(), &clock_);
  options.busy_timeout = absl::Seconds(30);
  options.pool_size = 2;  // fewer than the threads: extra connections close
  store_.reset();
  ASSERT_OK_AND_ASSIGN(store_, SqliteStore::Open(std::move(options)));

  constexpr int kWriters = 6, kReaders = 4, kPerWriter = 20;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        auto txn = store_->Begin(TransactionMode::kReadWrite);
        if (!txn.ok() || !AddTag(**txn, absl::StrCat(w, "-", i)).ok() ||
            !AddTag(**txn, absl::StrCat(w, "-", i, "-pair")).ok() ||
            !(*txn)->Commit().ok()) {
          ++failures;
        }
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&] {
      int64_t last = 0;
      while (!done.load()) {
        auto txn = store_->Begin(TransactionMode::kReadOnly);
        if (!txn.ok()) {
          ++failures;
          continue;
        }
        absl::StatusOr<int64_t> n = (*txn)->Count("tag");
        absl::StatusOr<std::vector<Row>> rows = (*txn)->Select("tag", Query());
        // Each writer commits tags in pairs: a snapshot never sees half.
        if (!n.ok() || !rows.ok() || *n < last || *n % 2 != 0 ||
            static_cast<int64_t>(rows->size()) != *n) {
          ++failures;
        }
        if (n.ok()) last = *n;
      }
    });
  }
  for (int i = 0; i < kWriters; ++i) threads[i].join();
  done = true;
  for (size_t i = kWriters; i < threads.size(); ++i) threads[i].join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_OK_AND_ASSIGN(StoreStats stats, store_->Stats());
  EXPECT_EQ(stats.tables[2].rows, 2 * kWriters * kPerWriter);
}

}  // namespace
}  // namespace viewer
