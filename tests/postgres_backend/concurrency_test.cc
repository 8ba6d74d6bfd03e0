// Several stores on one database, as several viewer processes would have:
// one writer at a time across all of them (the advisory lock), a writer's
// view taken only once it holds the lock, readers on snapshots fixed at
// Begin that never wait, and connections lost and found again.
#include <atomic>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/schemas.h"
#include "engine/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/postgres_backend/pg_test_util.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::HasSubstr;

Assignments Server(const std::string& name) {
  return {{"name", Value::Text(name)}, {"definition", Value::Text("d")}};
}

class TwoStoresTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_OK_AND_ASSIGN(a_, OpenStore(AppCatalog()));
    PostgresOptions o = Options(AppCatalog());
    o.busy_timeout = absl::Seconds(30);
    ASSERT_OK_AND_ASSIGN(b_, PostgresStore::Open(o));
  }

  // Waits (up to 30 s) until some connection waits for the advisory lock
  // of this schema's writers; false if none ever does.
  bool SomeoneWaitsForTheWriterLock() {
    const absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (absl::Now() < give_up) {
      if (Raw("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
              " AND NOT granted AND objid ="
              " current_schema()::regnamespace::oid") != "0") {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(5));
    }
    return false;
  }

  std::unique_ptr<PostgresStore> a_;  // busy timeout 200 ms
  std::unique_ptr<PostgresStore> b_;  // busy timeout 30 s
};

TEST_F(TwoStoresTest, AWriterOfAnotherStoreWaitsThenTheDatabaseIsLocked) {
  ASSERT_OK_AND_ASSIGN(auto b_writer, b_->Begin(TransactionMode::kReadWrite));
  const absl::Time start = absl::Now();
  EXPECT_THAT(a_->Begin(TransactionMode::kReadWrite),
              StatusIs(StatusCode::kUnavailable, "database is locked"));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(150));
  // The failed Begin left nothing behind: once b's writer is done, a
  // writes.
  ASSERT_OK(b_writer->Commit());
  ASSERT_OK_AND_ASSIGN(auto a_writer, a_->Begin(TransactionMode::kReadWrite));
  EXPECT_OK(a_writer->Insert("server", Server("x")));
  EXPECT_OK(a_writer->Commit());
}

TEST_F(TwoStoresTest, AWaitingWriterProceedsOnCommitAndSeesWhatWasCommitted) {
  ASSERT_OK_AND_ASSIGN(auto first, a_->Begin(TransactionMode::kReadWrite));
  ASSERT_OK_AND_ASSIGN(int64_t id, first->Insert("server", Server("first")));
  EXPECT_EQ(id, 1);
  std::atomic<bool> began{false};
  absl::StatusOr<int64_t> second_id = absl::UnknownError("not run");
  std::thread second([&] {
    auto txn = b_->Begin(TransactionMode::kReadWrite);
    began = true;
    if (!txn.ok()) {
      second_id = txn.status();
      return;
    }
    second_id = (*txn)->Insert("server", Server("second"));
    if (second_id.ok()) {
      absl::Status committed = (*txn)->Commit();
      if (!committed.ok()) second_id = committed;
    }
  });
  ASSERT_TRUE(SomeoneWaitsForTheWriterLock());
  EXPECT_FALSE(began);
  ASSERT_OK(first->Commit());
  second.join();
  // Had the second writer's view been taken before the lock, it would
  // have picked id 1 again.
  EXPECT_EQ(second_id.value_or(-1), 2) << second_id.status();
  EXPECT_EQ(Raw("SELECT string_agg(name, ' ' ORDER BY id) FROM server"),
            "first second");
}

TEST_F(TwoStoresTest, AReaderSeesTheSnapshotOfItsBegin) {
  ASSERT_OK_AND_ASSIGN(auto reader, b_->Begin(TransactionMode::kReadOnly));
  {
    ASSERT_OK_AND_ASSIGN(auto writer, a_->Begin(TransactionMode::kReadWrite));
    ASSERT_OK(writer->Insert("server", Server("later")));
    ASSERT_OK(writer->Commit());
  }
  EXPECT_EQ(reader->Count("server").value_or(-1), 0);
  ASSERT_OK_AND_ASSIGN(auto fresh, b_->Begin(TransactionMode::kReadOnly));
  EXPECT_EQ(fresh->Count("server").value_or(-1), 1);
}

TEST_F(TwoStoresTest, ReadersDoNotWaitForTheWriter) {
  ASSERT_OK_AND_ASSIGN(auto writer, a_->Begin(TransactionMode::kReadWrite));
  ASSERT_OK(writer->Insert("server", Server("uncommitted")));
  const absl::Time start = absl::Now();
  ASSERT_OK_AND_ASSIGN(auto reader, b_->Begin(TransactionMode::kReadOnly));
  EXPECT_EQ(reader->Count("server").value_or(-1), 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST_F(TwoStoresTest, AnotherSchemaHasWritersOfItsOwn) {
  ASSERT_OK_AND_ASSIGN(auto other_schema, PgSchema::Create(*cluster_));
  PostgresOptions o = Options(AppCatalog());
  o.url = other_schema->url();
  ASSERT_OK_AND_ASSIGN(auto other, PostgresStore::Open(o));
  ASSERT_OK_AND_ASSIGN(auto writer, a_->Begin(TransactionMode::kReadWrite));
  ASSERT_OK_AND_ASSIGN(auto other_writer,
                       other->Begin(TransactionMode::kReadWrite));
  EXPECT_OK(other_writer->Commit());
  EXPECT_OK(writer->Commit());
}

TEST_F(PgTest, StoresOpeningAnEmptySchemaAtOnceCreateItOnce) {
  constexpr int kStores = 4;
  std::vector<absl::Status> opened(kStores);
  std::vector<std::thread> threads;
  for (int i = 0; i < kStores; ++i) {
    threads.emplace_back([&, i] {
      PostgresOptions o = Options(AppCatalog());
      o.busy_timeout = absl::Seconds(30);
      opened[i] = PostgresStore::Open(o).status();
    });
  }
  for (std::thread& t : threads) t.join();
  for (const absl::Status& s : opened) EXPECT_OK(s);
  EXPECT_EQ(Raw("SELECT count(*) FROM pg_tables WHERE schemaname ="
                " current_schema()"),
            absl::StrCat(AppCatalog().tables().size()));
}

class LostConnectionTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (HasFatalFailure()) return;
    name_ = PgCluster::UniqueName("app");
    PostgresOptions o = Options(AppCatalog());
    o.url += "&application_name=" + name_;
    ASSERT_OK_AND_ASSIGN(store_, PostgresStore::Open(o));
  }
  // Ends every server process serving this store, as a restart would.
  void KillConnections() {
    EXPECT_NE(Raw(absl::StrCat("SELECT count(pg_terminate_backend(pid)) FROM"
                               " pg_stat_activity WHERE application_name = '",
                               name_, "'")),
              "0");
    // Wait until the server has let them go.
    const absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (absl::Now() < give_up &&
           Raw(absl::StrCat("SELECT count(*) FROM pg_stat_activity WHERE"
                            " application_name = '",
                            name_, "'")) != "0") {
      absl::SleepFor(absl::Milliseconds(5));
    }
  }

  std::string name_;
  std::unique_ptr<PostgresStore> store_;
};

TEST_F(LostConnectionTest, AnIdleConnectionLostIsReplacedUnnoticed) {
  KillConnections();
  ASSERT_OK_AND_ASSIGN(auto writer, store_->Begin(TransactionMode::kReadWrite));
  EXPECT_OK(writer->Insert("server", Server("after")));
  EXPECT_OK(writer->Commit());
  KillConnections();
  ASSERT_OK_AND_ASSIGN(auto reader, store_->Begin(TransactionMode::kReadOnly));
  EXPECT_EQ(reader->Count("server").value_or(-1), 1);
}

TEST_F(LostConnectionTest, ATransactionWhoseConnectionIsLostIsUnavailable) {
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin(TransactionMode::kReadWrite));
    ASSERT_OK(txn->Insert("server", Server("kept")));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin(TransactionMode::kReadWrite));
  ASSERT_OK(txn->Insert("server", Server("lost")));
  KillConnections();
  auto insert = txn->Insert("server", Server("after"));
  EXPECT_THAT(insert, StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(std::string(insert.status().message()),
              HasSubstr("lost the connection to PostgreSQL"));
  EXPECT_THAT(txn->Count("server"), StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(txn->Commit(), StatusIs(StatusCode::kUnavailable));
  // The next transaction has a new connection and sees only what was
  // committed.
  ASSERT_OK_AND_ASSIGN(auto reader, store_->Begin(TransactionMode::kReadOnly));
  EXPECT_EQ(reader->Count("server").value_or(-1), 1);
  ASSERT_OK_AND_ASSIGN(auto stats, store_->Stats());
  EXPECT_EQ(stats.tables[2].table, "server");
  EXPECT_EQ(stats.tables[2].rows, 1);
}

}  // namespace
}  // namespace viewer::testing
