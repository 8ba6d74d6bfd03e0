// Contract tests on every backend: transactions, isolation, the single
// writer, savepoints, finished and read-only transactions.
#include <atomic>
#include <thread>

#include "tests/storage/contract_fixture.h"
#include "tests/thread_state.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class Transactions : public ContractTest {
 protected:
  std::vector<std::string> NamesIn(Transaction& txn) {
    auto rows = txn.Select("thing", {.order_by = {{"name"}}});
    EXPECT_TRUE(rows.ok()) << rows.status();
    std::vector<std::string> out;
    if (rows.ok()) {
      for (const Row& r : *rows) out.push_back(r[kName].text());
    }
    return out;
  }
};

TEST_P(Transactions, ReadsItsOwnWrites) {
  AddThing("a");
  auto txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(int64_t b, txn->Insert("thing", {{"name", T("b")}}));
  ASSERT_OK(txn->Update("thing", 1, {{"note", T("n")}}));
  ASSERT_OK(txn->Delete("thing", b));
  ASSERT_OK(txn->Insert("thing", {{"name", T("c")}}));
  EXPECT_THAT(NamesIn(*txn), ElementsAre("a", "c"));
  ASSERT_OK_AND_ASSIGN(int64_t n, txn->Count("thing", {Filter::Eq("note", T("n"))}));
  EXPECT_EQ(n, 1);
  ASSERT_OK(txn->Commit());
  EXPECT_THAT(Names({}), ElementsAre("a", "c"));
}

TEST_P(Transactions, RollbackDiscardsEverything) {
  AddThing("a", {{"note", T("orig")}});
  std::vector<Row> before = All();
  auto txn = h_.Write();
  ASSERT_OK(txn->Insert("thing", {{"name", T("b")}}));
  ASSERT_OK(txn->Update("thing", 1, {{"note", T("changed")}, {"name", T("z")}}));
  ASSERT_OK(txn->Insert("thing", {{"name", T("a")}}));
  ASSERT_OK_AND_ASSIGN(int64_t gone, txn->DeleteWhere("thing", {}));
  EXPECT_EQ(gone, 3);
  ASSERT_OK(txn->Rollback());
  EXPECT_EQ(All(), before);
}

TEST_P(Transactions, DestroyingAnOpenTransactionRollsBack) {
  {
    auto txn = h_.Write();
    ASSERT_OK(txn->Insert("thing", {{"name", T("lost")}}));
  }
  EXPECT_THAT(All(), IsEmpty());
  // The write slot is free again.
  EXPECT_EQ(AddThing("kept"), 1);
}

TEST_P(Transactions, ReaderSnapshotIsStableWhileAWriterCommits) {
  AddThing("a", {{"score", I(1)}});
  auto reader = h_.Read();
  std::vector<Row> seen;
  {
    ASSERT_OK_AND_ASSIGN(seen, reader->Select("thing", {}));
  }
  {
    auto w = h_.Write();
    ASSERT_OK(w->Insert("thing", {{"name", T("b")}}));
    ASSERT_OK(w->Update("thing", 1, {{"score", I(2)}}));
    // Uncommitted writes are invisible to the reader...
    ASSERT_OK_AND_ASSIGN(auto mid, reader->Select("thing", {}));
    EXPECT_EQ(mid, seen);
    ASSERT_OK(w->Commit());
  }
  {
    auto w = h_.Write();
    ASSERT_OK(w->Delete("thing", 1));
    ASSERT_OK(w->Commit());
  }
  // ...and so are committed ones made after it began.
  ASSERT_OK_AND_ASSIGN(auto after, reader->Select("thing", {}));
  EXPECT_EQ(after, seen);
  ASSERT_OK_AND_ASSIGN(Row one, reader->Get("thing", 1));
  EXPECT_EQ(one[kScore], I(1));
  ASSERT_OK_AND_ASSIGN(auto by_score,
                       reader->Select("thing", {{Filter::Eq("score", I(1))}}));
  EXPECT_EQ(by_score.size(), 1u);
  ASSERT_OK(reader->Commit());
  EXPECT_THAT(Names({}), ElementsAre("b"));
}

TEST_P(Transactions, SecondWriterWaitsThenIsUnavailable) {
  auto first = h_.Write();
  ASSERT_OK(first->Insert("thing", {{"name", T("a")}}));
  absl::Time start = absl::Now();
  auto second = h_.store().Begin(TransactionMode::kReadWrite);
  absl::Duration waited = absl::Now() - start;
  EXPECT_THAT(second,
              StatusIs(StatusCode::kUnavailable, "database is locked"));
  EXPECT_GE(waited, absl::Milliseconds(150));
  // Readers are not blocked.
  auto reader = h_.Read();
  ASSERT_NE(reader, nullptr);
  EXPECT_THAT(NamesIn(*reader), IsEmpty());
  ASSERT_OK(first->Commit());
}

// The second writer is seen asleep inside its Begin while the first is
// open (tests/thread_state.h), and proceeds once the first commits. A
// busy timeout far beyond the test's own time: a slow machine cannot make
// it time out.
TEST_P(Transactions, SecondWriterProceedsWhenTheFirstCommits) {
  StoreHarness h(GetParam(), ContractCatalog(),
                 {.busy_timeout = absl::Seconds(120)});
  auto first = h.Write();
  ASSERT_OK(first->Insert("thing", {{"name", T("a")}}));
  std::atomic<pid_t> tid{0};
  std::atomic<bool> begun{false};
  absl::Status second_status = absl::UnknownError("not run");
  std::thread other([&] {
    tid = CurrentThreadId();
    auto second = h.store().Begin(TransactionMode::kReadWrite);
    begun = true;
    second_status = second.status();
    if (!second.ok()) return;
    auto id = (*second)->Insert("thing", {{"name", T("b")}});
    second_status = id.ok() ? (*second)->Commit() : id.status();
  });
  const bool waiting = WaitUntilBlocked(tid, [&] { return begun.load(); });
  const bool begun_while_first_open = begun.load();
  EXPECT_OK(first->Commit());
  other.join();
  EXPECT_TRUE(waiting) << "the second writer was never seen waiting";
  EXPECT_FALSE(begun_while_first_open)
      << "the second writer began while the first was open: " << second_status;
  EXPECT_OK(second_status);
  auto reader = h.Read();
  EXPECT_THAT(NamesIn(*reader), ElementsAre("a", "b"));
}

TEST_P(Transactions, SavepointsNestThreeDeep) {
  auto txn = h_.Write();
  ASSERT_OK(txn->Insert("thing", {{"name", T("base")}}));
  ASSERT_OK(txn->Savepoint("one"));
  ASSERT_OK(txn->Insert("thing", {{"name", T("s1")}}));
  ASSERT_OK(txn->Savepoint("two"));
  ASSERT_OK(txn->Insert("thing", {{"name", T("s2")}}));
  ASSERT_OK(txn->Update("thing", 1, {{"note", T("in two")}}));
  ASSERT_OK(txn->Savepoint("three"));
  ASSERT_OK(txn->Delete("thing", 2));
  EXPECT_THAT(NamesIn(*txn), ElementsAre("base", "s2"));
  ASSERT_OK(txn->RollbackTo("three"));
  EXPECT_THAT(NamesIn(*txn), ElementsAre("base", "s1", "s2"));
  // "three" is still open: roll back to it again after more work.
  ASSERT_OK(txn->Insert("thing", {{"name", T("s3")}}));
  ASSERT_OK(txn->RollbackTo("three"));
  EXPECT_THAT(NamesIn(*txn), ElementsAre("base", "s1", "s2"));
  ASSERT_OK(txn->RollbackTo("two"));
  EXPECT_THAT(NamesIn(*txn), ElementsAre("base", "s1"));
  ASSERT_OK_AND_ASSIGN(Row base, txn->Get("thing", 1));
  EXPECT_TRUE(base[kNote].is_null());
  // Rolling back to "two" closed "three".
  EXPECT_THAT(txn->RollbackTo("three"),
              StatusIs(StatusCode::kFailedPrecondition,
                       "no such savepoint: three"));
  ASSERT_OK(txn->Commit());
  EXPECT_THAT(Names({}), ElementsAre("base", "s1"));
}

TEST_P(Transactions, ReleaseFoldsIntoTheParent) {
  auto txn = h_.Write();
  ASSERT_OK(txn->Savepoint("outer"));
  ASSERT_OK(txn->Insert("thing", {{"name", T("a")}}));
  ASSERT_OK(txn->Savepoint("inner"));
  ASSERT_OK(txn->Insert("thing", {{"name", T("b")}}));
  ASSERT_OK(txn->Savepoint("innermost"));
  ASSERT_OK(txn->Release("inner"));  // also releases "innermost"
  EXPECT_THAT(txn->Release("innermost"),
              StatusIs(StatusCode::kFailedPrecondition,
                       "no such savepoint: innermost"));
  EXPECT_THAT(NamesIn(*txn), ElementsAre("a", "b"));
  ASSERT_OK(txn->RollbackTo("outer"));  // undoes the released work too
  EXPECT_THAT(NamesIn(*txn), IsEmpty());
  ASSERT_OK(txn->Insert("thing", {{"name", T("c")}}));
  ASSERT_OK(txn->Release("outer"));
  ASSERT_OK(txn->Commit());
  EXPECT_THAT(Names({}), ElementsAre("c"));
}

TEST_P(Transactions, SavepointNamesRepeatAndAreCaseSensitive) {
  auto txn = h_.Write();
  ASSERT_OK(txn->Savepoint("sp"));
  ASSERT_OK(txn->Insert("thing", {{"name", T("a")}}));
  ASSERT_OK(txn->Savepoint("sp"));
  ASSERT_OK(txn->Insert("thing", {{"name", T("b")}}));
  EXPECT_THAT(txn->RollbackTo("SP"),
              StatusIs(StatusCode::kFailedPrecondition, "no such savepoint: SP"));
  ASSERT_OK(txn->RollbackTo("sp"));  // the most recent one
  EXPECT_THAT(NamesIn(*txn), ElementsAre("a"));
  ASSERT_OK(txn->Release("sp"));
  ASSERT_OK(txn->RollbackTo("sp"));  // now the first one
  EXPECT_THAT(NamesIn(*txn), IsEmpty());
  EXPECT_THAT(txn->Savepoint(""), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(Transactions, FinishedTransactionsRefuseEverything) {
  auto txn = h_.Write();
  ASSERT_OK(txn->Commit());
  const auto finished = StatusIs(StatusCode::kFailedPrecondition,
                                 "transaction is finished");
  EXPECT_THAT(txn->Insert("thing", {{"name", T("a")}}), finished);
  EXPECT_THAT(txn->Get("thing", 1), finished);
  EXPECT_THAT(txn->Savepoint("x"), finished);
  EXPECT_THAT(txn->Commit(), finished);
  EXPECT_THAT(txn->Rollback(), finished);
  auto reader = h_.Read();
  ASSERT_OK(reader->Rollback());
  EXPECT_THAT(reader->Count("thing"), finished);
}

TEST_P(Transactions, ReadOnlyTransactionsRefuseWrites) {
  AddThing("a");
  auto reader = h_.Read();
  const auto read_only = StatusIs(StatusCode::kFailedPrecondition,
                                  "transaction is read-only");
  EXPECT_THAT(reader->Insert("thing", {{"name", T("b")}}), read_only);
  EXPECT_THAT(reader->Update("thing", 1, {{"note", T("x")}}), read_only);
  EXPECT_THAT(reader->Delete("thing", 1), read_only);
  EXPECT_THAT(reader->DeleteWhere("thing", {}), read_only);
  EXPECT_OK(reader->Savepoint("fine"));
  EXPECT_OK(reader->Commit());
  EXPECT_THAT(Names({}), ElementsAre("a"));
}

TEST_P(Transactions, AFailedStatementLeavesTheTransactionAsItWas) {
  AddThing("a");
  auto txn = h_.Write();
  ASSERT_OK(txn->Insert("thing", {{"name", T("b")}}));
  ASSERT_OK_AND_ASSIGN(auto before, txn->Select("thing", {}));
  EXPECT_FALSE(txn->Insert("thing", {{"name", T("a")}}).ok());
  EXPECT_FALSE(txn->Update("thing", 2, {{"name", T("a")}}).ok());
  EXPECT_FALSE(txn->UpdateWhere("thing", {}, {{"name", T("same")}}).ok());
  EXPECT_FALSE(txn->Insert("thing", {{"note", T("no name")}}).ok());
  ASSERT_OK_AND_ASSIGN(auto after, txn->Select("thing", {}));
  EXPECT_EQ(after, before);
  ASSERT_OK(txn->Commit());
  EXPECT_THAT(Names({}), ElementsAre("a", "b"));
}

TEST_P(Transactions, UpdateWhereAndDeleteWhereCount) {
  for (const char* n : {"a", "b", "c", "d"}) AddThing(n, {{"tag", T("t")}});
  auto txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(int64_t changed,
                       txn->UpdateWhere("thing", {Filter::Lt("name", T("c"))},
                                        {{"tag", T("u")}, {"count", I(7)}}));
  EXPECT_EQ(changed, 2);
  ASSERT_OK_AND_ASSIGN(int64_t none,
                       txn->UpdateWhere("thing", {Filter::Eq("tag", T("zz"))},
                                        {{"count", I(1)}}));
  EXPECT_EQ(none, 0);
  ASSERT_OK_AND_ASSIGN(int64_t deleted,
                       txn->DeleteWhere("thing", {Filter::Eq("tag", T("t"))}));
  EXPECT_EQ(deleted, 2);
  ASSERT_OK(txn->Commit());
  auto rows = All();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][kTag], T("u"));
  EXPECT_EQ(rows[1][kCount], I(7));
}

TEST_P(Transactions, StatsCountCommittedRows) {
  AddThing("a");
  AddThing("b");
  auto open = h_.Write();
  ASSERT_OK(open->Insert("thing", {{"name", T("pending")}}));
  ASSERT_OK_AND_ASSIGN(StoreStats stats, h_.store().Stats());
  ASSERT_EQ(stats.tables.size(), 2u);
  EXPECT_EQ(stats.tables[0].table, "thing");
  EXPECT_EQ(stats.tables[0].rows, 2);
  EXPECT_EQ(stats.tables[1].rows, 0);
  EXPECT_GT(stats.tables[0].bytes, 0);
  EXPECT_GE(stats.bytes_used, stats.tables[0].bytes);
}

INSTANTIATE_TEST_SUITE_P(Backends, Transactions, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
