// The plan's phase 5 ("transaction and edge case tests") in C++, first
// half: rollback, nested savepoints, snapshot isolation and the single
// writer, each run on two backends (each against the reference one,
// tests/storage/backends.h) with the results compared field by field and
// checked against the value they must have. NULLs, special characters and
// timestamps are in phase5_values_equivalence_test.cc.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/status_macros.h"
#include "tests/storage/equivalence_helpers.h"
#include "tests/storage/phase5_fixture.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::ElementsAre;

// ------------------------------------------------------------- rollback

TEST_P(Phase5, ExplicitRollbackRestoresTheCommittedState) {
  AddServer("rollback-test", "original", 1);
  AddServer("second", "s", 2);
  Txns w = Writers();
  auto seen =
      In(w, [](Transaction& txn) -> absl::StatusOr<std::vector<std::string>> {
        VIEWER_RETURN_IF_ERROR(
            txn.Update("server", 1, {{"definition", T("modified")}}));
        VIEWER_RETURN_IF_ERROR(
            txn.Insert("server", Entity("added", "a")).status());
        VIEWER_RETURN_IF_ERROR(txn.Delete("server", 2));
        return Names(txn);
      });
  ExpectSame(seen);
  EXPECT_THAT(seen.a.value_or(std::vector<std::string>{}),
              ElementsAre("added", "rollback-test"));
  auto rb = In(w, [](Transaction& txn) { return txn.Rollback(); });
  ExpectSame(rb);
  EXPECT_OK(rb.a);
  auto again = In(w, [](Transaction& txn) { return txn.Rollback(); });
  ExpectSame(again);
  EXPECT_THAT(again.a, StatusIs(StatusCode::kFailedPrecondition,
                                "transaction is finished"));
  auto row = ReadBoth([](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(row);
  ASSERT_OK(row.a);
  EXPECT_EQ((*row.a)[Col("server", "definition")], T("original"));
  EXPECT_THAT(CommittedNames(), ElementsAre("rollback-test", "second"));
  ExpectSameContents();
}

TEST_P(Phase5, DestroyingAnOpenTransactionRollsBack) {
  AddServer("kept", "k", 1);
  {
    Txns w = Writers();
    auto r = In(w, [](Transaction& txn) -> absl::Status {
      VIEWER_RETURN_IF_ERROR(
          txn.Insert("server", Entity("lost", "l")).status());
      VIEWER_RETURN_IF_ERROR(txn.Savepoint("open"));
      return txn.Update("server", 1, {{"definition", T("lost too")}});
    });
    ExpectSame(r);
    EXPECT_OK(r.a);
  }
  EXPECT_THAT(CommittedNames(), ElementsAre("kept"));
  // The write slot is free again and the lost row left no id gap.
  AddServer("next", "n", 2);
  ExpectSameContents();
}

TEST_P(Phase5, FailedStatementLeavesTheTransactionAsItWas) {
  auto r = OnBoth([](Transaction& txn)
                      -> absl::StatusOr<std::vector<std::string>> {
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("a", "1")).status());
    std::vector<std::string> errors;
    errors.emplace_back(
        txn.Insert("server", Entity("a", "2")).status().ToString());
    errors.emplace_back(
        txn.Insert("server", {{"name", T("b")}}).status().ToString());
    errors.emplace_back(txn.Update("server", 9, {{"name", T("c")}}).ToString());
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("b", "3")).status());
    return errors;
  });
  ExpectSame(r);
  EXPECT_THAT(
      r.a.value_or(std::vector<std::string>{}),
      ElementsAre("ALREADY_EXISTS: UNIQUE constraint failed: server.name",
                  "INVALID_ARGUMENT: NOT NULL constraint failed: "
                  "server.definition",
                  "NOT_FOUND: no row with id 9 in server"));
  auto rows = Select("server", Q({}));
  ASSERT_OK(rows.a);
  EXPECT_THAT(Ids(*rows.a), ElementsAre(1, 2));
  ExpectSameContents();
}

// ----------------------------------------------------------- savepoints

TEST_P(Phase5, NestedSavepointsThreeDeep) {
  auto r = OnBoth([](Transaction& txn)
                      -> absl::StatusOr<std::vector<std::vector<std::string>>> {
    std::vector<std::vector<std::string>> steps;
    auto note = [&]() -> absl::Status {
      VIEWER_ASSIGN_OR_RETURN(std::vector<std::string> n, Names(txn));
      steps.push_back(std::move(n));
      return absl::OkStatus();
    };
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("base", "b")).status());
    VIEWER_RETURN_IF_ERROR(txn.Savepoint("one"));
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("s1", "1")).status());
    VIEWER_RETURN_IF_ERROR(txn.Savepoint("two"));
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("s2", "2")).status());
    VIEWER_RETURN_IF_ERROR(txn.Savepoint("three"));
    VIEWER_RETURN_IF_ERROR(txn.Delete("server", 2));
    VIEWER_RETURN_IF_ERROR(note());  // base s2
    VIEWER_RETURN_IF_ERROR(txn.RollbackTo("three"));
    VIEWER_RETURN_IF_ERROR(note());  // base s1 s2
    // "three" stays open: roll back to it a second time.
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("s3", "3")).status());
    VIEWER_RETURN_IF_ERROR(note());  // base s1 s2 s3
    VIEWER_RETURN_IF_ERROR(txn.RollbackTo("three"));
    VIEWER_RETURN_IF_ERROR(note());  // base s1 s2
    // Releasing "two" folds "three" into "one"; rolling back to "one" then
    // undoes everything after it.
    VIEWER_RETURN_IF_ERROR(txn.Release("two"));
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("s4", "4")).status());
    VIEWER_RETURN_IF_ERROR(txn.RollbackTo("one"));
    VIEWER_RETURN_IF_ERROR(note());  // base
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("s5", "5")).status());
    VIEWER_RETURN_IF_ERROR(txn.Release("one"));
    VIEWER_RETURN_IF_ERROR(note());  // base s5
    return steps;
  });
  ExpectSame(r);
  ASSERT_OK(r.a);
  using V = std::vector<std::string>;
  EXPECT_THAT(*r.a,
              ElementsAre(V{"base", "s2"}, V{"base", "s1", "s2"},
                          V{"base", "s1", "s2", "s3"}, V{"base", "s1", "s2"},
                          V{"base"}, V{"base", "s5"}));
  // Ids rolled back are used again: s5 took id 2.
  auto rows = Select("server", Q({}));
  ASSERT_OK(rows.a);
  EXPECT_THAT(Ids(*rows.a), ElementsAre(1, 2));
  ExpectSameContents();
}

TEST_P(Phase5, ReleasedSavepointCommitsWithItsParent) {
  // The plan's nested transaction: outer insert, inner savepoint, commit.
  auto r = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("outer", "o")).status());
    VIEWER_RETURN_IF_ERROR(txn.Savepoint("nested"));
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("inner", "i")).status());
    return txn.Release("nested");
  });
  ExpectSame(r);
  EXPECT_OK(r.a);
  EXPECT_THAT(CommittedNames(), ElementsAre("inner", "outer"));
  ExpectSameContents();
}

TEST_P(Phase5, UnknownSavepointIsAnErrorAndChangesNothing) {
  auto r =
      OnBoth([](Transaction& txn) -> absl::StatusOr<std::vector<std::string>> {
        std::vector<std::string> errors;
        VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("a", "a")).status());
        errors.push_back(txn.RollbackTo("nope").ToString());
        errors.push_back(txn.Release("nope").ToString());
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("outer"));
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("inner"));
        VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("b", "b")).status());
        VIEWER_RETURN_IF_ERROR(txn.RollbackTo("outer"));
        // Rolling back to "outer" closed "inner".
        errors.push_back(txn.Release("inner").ToString());
        VIEWER_RETURN_IF_ERROR(txn.Release("outer"));
        errors.push_back(txn.RollbackTo("outer").ToString());
        // Names are case-sensitive (SQLite's own are not).
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("Case"));
        errors.push_back(txn.RollbackTo("case").ToString());
        VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("c", "c")).status());
        return errors;
      });
  ExpectSame(r);
  EXPECT_THAT(r.a.value_or(std::vector<std::string>{}),
              ElementsAre("FAILED_PRECONDITION: no such savepoint: nope",
                          "FAILED_PRECONDITION: no such savepoint: nope",
                          "FAILED_PRECONDITION: no such savepoint: inner",
                          "FAILED_PRECONDITION: no such savepoint: outer",
                          "FAILED_PRECONDITION: no such savepoint: case"));
  EXPECT_THAT(CommittedNames(), ElementsAre("a", "c"));
  ExpectSameContents();
}

TEST_P(Phase5, SavepointsWithTheSameNameNest) {
  auto r =
      OnBoth([](Transaction& txn) -> absl::StatusOr<std::vector<std::string>> {
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("x"));
        VIEWER_RETURN_IF_ERROR(
            txn.Insert("server", Entity("first", "1")).status());
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("x"));
        VIEWER_RETURN_IF_ERROR(
            txn.Insert("server", Entity("second", "2")).status());
        VIEWER_RETURN_IF_ERROR(txn.RollbackTo("x"));  // the newer "x"
        VIEWER_RETURN_IF_ERROR(txn.Release("x"));     // the newer "x"
        VIEWER_RETURN_IF_ERROR(txn.Release("x"));     // the older "x"
        return Names(txn);
      });
  ExpectSame(r);
  EXPECT_THAT(r.a.value_or(std::vector<std::string>{}), ElementsAre("first"));
  EXPECT_THAT(CommittedNames(), ElementsAre("first"));
  ExpectSameContents();
}

TEST_P(Phase5, SavepointRollbackRestoresUniqueNamesAndIds) {
  AddServer("a", "original", 1);
  auto r =
      OnBoth([](Transaction& txn) -> absl::StatusOr<std::vector<std::string>> {
        std::vector<std::string> seen;
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("s"));
        VIEWER_RETURN_IF_ERROR(txn.Delete("server", 1));
        VIEWER_ASSIGN_OR_RETURN(
            int64_t id, txn.Insert("server", Entity("a", "replacement")));
        seen.push_back("new a id " + std::to_string(id));
        VIEWER_RETURN_IF_ERROR(txn.Update("server", id, {{"name", T("b")}}));
        VIEWER_RETURN_IF_ERROR(txn.Update("server", id, {{"name", T("a2")}}));
        VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("b", "b")).status());
        VIEWER_RETURN_IF_ERROR(txn.RollbackTo("s"));
        // The original "a" is back; "b" and "a2" are free again.
        seen.push_back(
            txn.Insert("server", Entity("a", "dup")).status().ToString());
        VIEWER_ASSIGN_OR_RETURN(int64_t b,
                                txn.Insert("server", Entity("b", "kept")));
        seen.push_back("b id " + std::to_string(b));
        VIEWER_ASSIGN_OR_RETURN(int64_t a2,
                                txn.Insert("server", Entity("a2", "kept")));
        seen.push_back("a2 id " + std::to_string(a2));
        return seen;
      });
  ExpectSame(r);
  EXPECT_THAT(
      r.a.value_or(std::vector<std::string>{}),
      ElementsAre("new a id 1",
                  "ALREADY_EXISTS: UNIQUE constraint failed: server.name",
                  "b id 2", "a2 id 3"));
  auto rows = Select("server", Q({Filter::Eq("name", T("a"))}));
  ASSERT_OK(rows.a);
  ASSERT_EQ(rows.a->size(), 1u);
  EXPECT_EQ((*rows.a)[0][Col("server", "definition")], T("original"));
  ExpectSameContents();
}

// ------------------------------------------------------------ isolation

TEST_P(Phase5, SnapshotKeepsSeeingTheOldStateWhileAWriterCommits) {
  AddServer("isolation-test", "initial", 1);
  AddServer("doomed", "d", 2);
  Txns readers = Readers();
  auto before = In(
      readers, [](Transaction& txn) { return txn.Select("server", Query{}); });
  ExpectSame(before);
  ASSERT_OK(before.a);
  Advance(absl::Seconds(1));
  Txns w = Writers();
  auto write = In(w, [](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(
        txn.Update("server", 1, {{"definition", T("modified")}}));
    VIEWER_RETURN_IF_ERROR(txn.Delete("server", 2));
    return txn.Insert("server", Entity("new", "n")).status();
  });
  ExpectSame(write);
  ASSERT_OK(write.a);
  // The writer reads its own uncommitted writes (the plan's 5.2 case)...
  auto own = In(w, [](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(own);
  ASSERT_OK(own.a);
  EXPECT_EQ((*own.a)[Col("server", "definition")], T("modified"));
  // ...the snapshots do not, before or after the commit.
  auto mid = In(readers,
                [](Transaction& txn) { return txn.Select("server", Query{}); });
  ExpectSame(mid);
  EXPECT_EQ(mid.a.value_or(std::vector<Row>{}), *before.a);
  auto commit = In(w, [](Transaction& txn) { return txn.Commit(); });
  ExpectSame(commit);
  ASSERT_OK(commit.a);
  auto after = In(
      readers, [](Transaction& txn) { return txn.Select("server", Query{}); });
  ExpectSame(after);
  EXPECT_EQ(after.a.value_or(std::vector<Row>{}), *before.a);
  auto count = In(readers, [](Transaction& txn) {
    return txn.Count("server", {Filter::Eq("definition", T("initial"))});
  });
  ExpectSame(count);
  EXPECT_EQ(count.a.value_or(-1), 1);
  auto gone =
      In(readers, [](Transaction& txn) { return txn.Get("server", 2); });
  ExpectSame(gone);
  EXPECT_OK(gone.a);
  // A snapshot taken now sees the commit.
  EXPECT_THAT(CommittedNames(), ElementsAre("isolation-test", "new"));
  ExpectSameContents();
}

TEST_P(Phase5, SnapshotIsTakenAtBeginNotAtFirstRead) {
  AddServer("before", "b", 1);
  Txns readers = Readers();  // no read yet
  AddServer("after", "a", 2);
  auto seen = In(readers, Names);
  ExpectSame(seen);
  EXPECT_THAT(seen.a.value_or(std::vector<std::string>{}),
              ElementsAre("before"));
  ExpectSameContents();
}

TEST_P(Phase5, SnapshotSurvivesDeleteAndReuseOfTheSameNameAndId) {
  AddServer("a", "old a", 1);
  AddServer("b", "old b", 2);
  Txns readers = Readers();
  auto before = In(
      readers, [](Transaction& txn) { return txn.Select("server", Query{}); });
  ExpectSame(before);
  ASSERT_OK(before.a);
  auto del = OnBoth([](Transaction& txn) { return txn.Delete("server", 2); });
  ExpectSame(del);
  // Id 2 and name "b" are free for the writer though a snapshot still
  // holds the old row.
  AddServer("b", "new b", 2);
  auto rename = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(txn.Update("server", 1, {{"name", T("a2")}}));
    return txn.Insert("server", Entity("a", "new a")).status();
  });
  ExpectSame(rename);
  EXPECT_OK(rename.a);
  auto after = In(
      readers, [](Transaction& txn) { return txn.Select("server", Query{}); });
  ExpectSame(after);
  EXPECT_EQ(after.a.value_or(std::vector<Row>{}), *before.a);
  auto by_name = In(readers, [](Transaction& txn) {
    return txn.Select("server", Q({Filter::Eq("name", T("b"))}));
  });
  ExpectSame(by_name);
  ASSERT_OK(by_name.a);
  ASSERT_EQ(by_name.a->size(), 1u);
  EXPECT_EQ((*by_name.a)[0][Col("server", "definition")], T("old b"));
  EXPECT_THAT(CommittedNames(), ElementsAre("a", "a2", "b"));
  ExpectSameContents();
}

TEST_P(Phase5, SnapshotAggregatesIgnoreLaterCommits) {
  AddRow("page_view", {{"path", T("/a")}}, 1);
  AddRow("page_view", {{"path", T("/b")}, {"user_agent", T("x")}}, 2);
  AddRow(
      "cid",
      {{"path", T("/c")}, {"file_data", Value::Blob("1")}, {"file_size", I(1)}},
      1);
  Txns readers = Readers();
  auto w = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(
        txn.Insert("page_view", {{"path", T("/a")}}).status());
    VIEWER_RETURN_IF_ERROR(txn.Delete("page_view", 2));
    VIEWER_RETURN_IF_ERROR(txn.Update("cid", 1, {{"file_size", I(100)}}));
    return txn
        .Insert("cid", {{"path", T("/d")},
                        {"file_data", Value::Blob("2")},
                        {"file_size", I(5)}})
        .status();
  });
  ExpectSame(w);
  ASSERT_OK(w.a);
  auto groups = In(readers, [](Transaction& txn) {
    return txn.CountBy("page_view", "path");
  });
  ExpectSame(groups);
  ASSERT_OK(groups.a);
  EXPECT_THAT(*groups.a,
              ElementsAre(GroupCount{T("/a"), 1}, GroupCount{T("/b"), 1}));
  auto distinct = In(readers, [](Transaction& txn) {
    return txn.CountDistinct("page_view", "user_agent");
  });
  ExpectSame(distinct);
  EXPECT_EQ(distinct.a.value_or(-1), 1);
  auto sum =
      In(readers, [](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(sum);
  EXPECT_EQ(sum.a.value_or(Value()), I(1));
  auto now_sum =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(now_sum);
  EXPECT_EQ(now_sum.a.value_or(Value()), I(105));
  ExpectSameContents();
}

// ------------------------------------------------------ concurrent access

TEST_P(Phase5, SecondWriterIsLockedOutAndReadersAreNot) {
  AddServer("committed", "c", 1);
  Txns first = Writers();
  auto ins = In(first, [](Transaction& txn) {
    return txn.Insert("server", Entity("pending", "p"));
  });
  ExpectSame(ins);
  auto second = Both<absl::StatusOr<std::unique_ptr<Transaction>>>{
      a_.store().Begin(TransactionMode::kReadWrite),
      b_.store().Begin(TransactionMode::kReadWrite)};
  EXPECT_THAT(second.a,
              StatusIs(StatusCode::kUnavailable, "database is locked"));
  EXPECT_THAT(second.b,
              StatusIs(StatusCode::kUnavailable, "database is locked"));
  // Readers begin at once and see only what is committed.
  EXPECT_THAT(CommittedNames(), ElementsAre("committed"));
  auto commit = In(first, [](Transaction& txn) { return txn.Commit(); });
  ExpectSame(commit);
  EXPECT_OK(commit.a);
  AddServer("third", "t", 3);
  EXPECT_THAT(CommittedNames(), ElementsAre("committed", "pending", "third"));
  ExpectSameContents();
}

TEST_P(Phase5, ReadOnlyAndFinishedTransactionsRefuseWork) {
  AddServer("a", "a", 1);
  Txns readers = Readers();
  auto write = In(readers, [](Transaction& txn) {
    return txn.Insert("server", Entity("b", "b"));
  });
  ExpectSame(write);
  EXPECT_THAT(write.a, StatusIs(StatusCode::kFailedPrecondition,
                                "transaction is read-only"));
  auto del =
      In(readers, [](Transaction& txn) { return txn.Delete("server", 1); });
  ExpectSame(del);
  EXPECT_THAT(del.a, StatusIs(StatusCode::kFailedPrecondition,
                              "transaction is read-only"));
  auto done = In(readers, [](Transaction& txn) { return txn.Commit(); });
  ExpectSame(done);
  EXPECT_OK(done.a);
  auto late =
      In(readers, [](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(late);
  EXPECT_THAT(late.a, StatusIs(StatusCode::kFailedPrecondition,
                               "transaction is finished"));
  EXPECT_THAT(CommittedNames(), ElementsAre("a"));
  ExpectSameContents();
}

// One writer thread commits pairs of rows while reader threads take
// snapshots: no reader ever sees half a transaction or waits for the
// writer, on either store; both end with the same rows. The writer waits,
// after each commit, until a reader has finished a read since that commit
// began, so reads provably run between and during the commits (not all
// after the last one).
TEST_P(Phase5, ConcurrentReadersSeeWholeTransactions) {
  constexpr int kCommits = 40;
  constexpr int kReaders = 3;
  auto run = [&](StoreHarness& h) -> std::string {
    std::atomic<bool> done{false};
    std::atomic<int> odd_counts{0};
    std::atomic<int> failures{0};
    std::atomic<int> reads{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < kReaders; ++i) {
      readers.emplace_back([&] {
        while (!done.load()) {
          auto txn = h.store().Begin(TransactionMode::kReadOnly);
          if (!txn.ok()) {
            ++failures;
            continue;
          }
          auto n = (*txn)->Count("export", {});
          auto rows = (*txn)->Select("export", Query{});
          if (!n.ok() || !rows.ok() ||
              static_cast<size_t>(*n) != rows->size()) {
            ++failures;
          } else if (*n % 2 != 0) {
            ++odd_counts;
          }
          ++reads;
        }
      });
    }
    int write_failures = 0, reads_during = 0, no_reader = 0;
    for (int i = 0; i < kCommits; ++i) {
      const int reads_before = reads.load();
      auto txn = h.store().Begin(TransactionMode::kReadWrite);
      if (!txn.ok()) {
        ++write_failures;
        continue;
      }
      bool ok = (*txn)
                    ->Insert("export", {{"cid", T("/a" + std::to_string(i))}})
                    .ok() &&
                (*txn)
                    ->Insert("export", {{"cid", T("/b" + std::to_string(i))}})
                    .ok() &&
                (*txn)->Commit().ok();
      if (!ok) ++write_failures;
      // A read that ended after this transaction began.
      const auto deadline = absl::Now() + absl::Seconds(30);
      while (reads.load() == reads_before && absl::Now() < deadline) {
        std::this_thread::yield();
      }
      if (reads.load() > reads_before) {
        ++reads_during;
      } else {
        ++no_reader;
      }
    }
    done = true;
    for (std::thread& t : readers) t.join();
    return absl::StrCat(
        "odd=", odd_counts.load(), " failures=", failures.load(),
        " write_failures=", write_failures,
        " commits_with_a_read=", reads_during, " commits_without=", no_reader);
  };
  std::string a = run(a_);
  std::string b = run(b_);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, absl::StrCat("odd=0 failures=0 write_failures=0 "
                            "commits_with_a_read=",
                            kCommits, " commits_without=0"));
  EXPECT_EQ(Count("export", {}).a.value_or(-1), 2 * kCommits);
  ExpectSameContents();
}

INSTANTIATE_TEST_SUITE_P(Compare, Phase5, AllPairs(), PairParamName);

}  // namespace
}  // namespace viewer::testing
