// The plan's phase 5 ("transaction and edge case tests") in C++: rollback,
// nested savepoints, snapshot isolation, the single writer, NULLs, special
// characters and timestamps, each run on the memory engine and on SQLite
// with the results compared field by field and checked against the value
// they must have.
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "engine/status_macros.h"
#include "tests/storage/dual_store.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::ElementsAre;

Value T(std::string s) { return Value::Text(std::move(s)); }
Value I(int64_t v) { return Value::Integer(v); }
Value Bool(bool v) { return Value::Boolean(v); }
Value At(Timestamp t) { return Value::Time(t); }

constexpr Timestamp kStart{1'700'000'000'000'000};  // the harness clock

size_t Col(absl::string_view table, absl::string_view column) {
  const TableSchema* t = AppCatalog().Find(table);
  EXPECT_NE(t, nullptr) << table;
  std::optional<size_t> c = t ? t->Find(column) : std::nullopt;
  EXPECT_TRUE(c.has_value()) << table << "." << column;
  return c.value_or(0);
}

std::vector<int64_t> Ids(const std::vector<Row>& rows) {
  std::vector<int64_t> out;
  for (const Row& r : rows) out.push_back(r.id());
  return out;
}

Query Q(std::vector<Filter> where, std::vector<Order> order = {},
        std::optional<int64_t> limit = std::nullopt) {
  Query q;
  q.where = std::move(where);
  q.order_by = std::move(order);
  q.limit = limit;
  return q;
}

Order Asc(std::string c) { return Order{std::move(c), false}; }
Order Desc(std::string c) { return Order{std::move(c), true}; }

Assignments Server(const std::string& name, const std::string& def) {
  return {{"name", T(name)}, {"definition", T(def)}};
}

// Server names in `txn`, by name.
absl::StatusOr<std::vector<std::string>> Names(Transaction& txn) {
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          txn.Select("server", Q({}, {Asc("name")})));
  std::vector<std::string> out;
  for (const Row& r : rows) out.push_back(r[Col("server", "name")].text());
  return out;
}

using Txns = Both<std::unique_ptr<Transaction>>;

class Phase5 : public DualStoreTest {
 protected:
  void AddServer(const std::string& name, const std::string& def,
                 int64_t want_id) {
    AddRow("server", Server(name, def), want_id);
  }
  void AddRow(const std::string& table, Assignments values, int64_t want_id) {
    auto r =
        OnBoth([&](Transaction& txn) { return txn.Insert(table, values); });
    ExpectSame(r);
    EXPECT_EQ(r.memory.value_or(-1), want_id) << r.memory.status();
  }
  Txns Writers() { return {memory_.Write(), disk_.Write()}; }
  Txns Readers() { return {memory_.Read(), disk_.Read()}; }
  // Runs `fn` on each store's transaction of `txns` (memory first).
  template <typename Fn>
  static auto In(Txns& txns, Fn fn)
      -> Both<decltype(fn(std::declval<Transaction&>()))> {
    return {fn(*txns.memory), fn(*txns.disk)};
  }
  Both<absl::StatusOr<std::vector<Row>>> Select(const std::string& table,
                                                const Query& q) {
    auto r = ReadBoth([&](Transaction& txn) { return txn.Select(table, q); });
    ExpectSame(r);
    return r;
  }
  Both<absl::StatusOr<int64_t>> Count(const std::string& table,
                                      std::vector<Filter> where) {
    auto r =
        ReadBoth([&](Transaction& txn) { return txn.Count(table, where); });
    ExpectSame(r);
    return r;
  }
  // The server names committed on both stores, checked equal.
  std::vector<std::string> CommittedNames() {
    auto r = ReadBoth(Names);
    ExpectSame(r);
    return r.memory.value_or(std::vector<std::string>{"<error>"});
  }
};

// ------------------------------------------------------------- rollback

TEST_F(Phase5, ExplicitRollbackRestoresTheCommittedState) {
  AddServer("rollback-test", "original", 1);
  AddServer("second", "s", 2);
  Txns w = Writers();
  auto seen =
      In(w, [](Transaction& txn) -> absl::StatusOr<std::vector<std::string>> {
        VIEWER_RETURN_IF_ERROR(
            txn.Update("server", 1, {{"definition", T("modified")}}));
        VIEWER_RETURN_IF_ERROR(
            txn.Insert("server", Server("added", "a")).status());
        VIEWER_RETURN_IF_ERROR(txn.Delete("server", 2));
        return Names(txn);
      });
  ExpectSame(seen);
  EXPECT_THAT(seen.memory.value_or(std::vector<std::string>{}),
              ElementsAre("added", "rollback-test"));
  auto rb = In(w, [](Transaction& txn) { return txn.Rollback(); });
  ExpectSame(rb);
  EXPECT_OK(rb.memory);
  auto again = In(w, [](Transaction& txn) { return txn.Rollback(); });
  ExpectSame(again);
  EXPECT_THAT(again.memory, StatusIs(StatusCode::kFailedPrecondition,
                                     "transaction is finished"));
  auto row = ReadBoth([](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(row);
  ASSERT_OK(row.memory);
  EXPECT_EQ((*row.memory)[Col("server", "definition")], T("original"));
  EXPECT_THAT(CommittedNames(), ElementsAre("rollback-test", "second"));
  ExpectSameContents();
}

TEST_F(Phase5, DestroyingAnOpenTransactionRollsBack) {
  AddServer("kept", "k", 1);
  {
    Txns w = Writers();
    auto r = In(w, [](Transaction& txn) -> absl::Status {
      VIEWER_RETURN_IF_ERROR(
          txn.Insert("server", Server("lost", "l")).status());
      VIEWER_RETURN_IF_ERROR(txn.Savepoint("open"));
      return txn.Update("server", 1, {{"definition", T("lost too")}});
    });
    ExpectSame(r);
    EXPECT_OK(r.memory);
  }
  EXPECT_THAT(CommittedNames(), ElementsAre("kept"));
  // The write slot is free again and the lost row left no id gap.
  AddServer("next", "n", 2);
  ExpectSameContents();
}

TEST_F(Phase5, FailedStatementLeavesTheTransactionAsItWas) {
  auto r = OnBoth([](Transaction& txn)
                      -> absl::StatusOr<std::vector<std::string>> {
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("a", "1")).status());
    std::vector<std::string> errors;
    errors.emplace_back(
        txn.Insert("server", Server("a", "2")).status().ToString());
    errors.emplace_back(
        txn.Insert("server", {{"name", T("b")}}).status().ToString());
    errors.emplace_back(txn.Update("server", 9, {{"name", T("c")}}).ToString());
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("b", "3")).status());
    return errors;
  });
  ExpectSame(r);
  EXPECT_THAT(
      r.memory.value_or(std::vector<std::string>{}),
      ElementsAre("ALREADY_EXISTS: UNIQUE constraint failed: server.name",
                  "INVALID_ARGUMENT: NOT NULL constraint failed: "
                  "server.definition",
                  "NOT_FOUND: no row with id 9 in server"));
  auto rows = Select("server", Q({}));
  ASSERT_OK(rows.memory);
  EXPECT_THAT(Ids(*rows.memory), ElementsAre(1, 2));
  ExpectSameContents();
}

// ----------------------------------------------------------- savepoints

TEST_F(Phase5, NestedSavepointsThreeDeep) {
  auto r = OnBoth([](Transaction& txn)
                      -> absl::StatusOr<std::vector<std::vector<std::string>>> {
    std::vector<std::vector<std::string>> steps;
    auto note = [&]() -> absl::Status {
      VIEWER_ASSIGN_OR_RETURN(std::vector<std::string> n, Names(txn));
      steps.push_back(std::move(n));
      return absl::OkStatus();
    };
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("base", "b")).status());
    VIEWER_RETURN_IF_ERROR(txn.Savepoint("one"));
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("s1", "1")).status());
    VIEWER_RETURN_IF_ERROR(txn.Savepoint("two"));
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("s2", "2")).status());
    VIEWER_RETURN_IF_ERROR(txn.Savepoint("three"));
    VIEWER_RETURN_IF_ERROR(txn.Delete("server", 2));
    VIEWER_RETURN_IF_ERROR(note());  // base s2
    VIEWER_RETURN_IF_ERROR(txn.RollbackTo("three"));
    VIEWER_RETURN_IF_ERROR(note());  // base s1 s2
    // "three" stays open: roll back to it a second time.
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("s3", "3")).status());
    VIEWER_RETURN_IF_ERROR(note());  // base s1 s2 s3
    VIEWER_RETURN_IF_ERROR(txn.RollbackTo("three"));
    VIEWER_RETURN_IF_ERROR(note());  // base s1 s2
    // Releasing "two" folds "three" into "one"; rolling back to "one" then
    // undoes everything after it.
    VIEWER_RETURN_IF_ERROR(txn.Release("two"));
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("s4", "4")).status());
    VIEWER_RETURN_IF_ERROR(txn.RollbackTo("one"));
    VIEWER_RETURN_IF_ERROR(note());  // base
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("s5", "5")).status());
    VIEWER_RETURN_IF_ERROR(txn.Release("one"));
    VIEWER_RETURN_IF_ERROR(note());  // base s5
    return steps;
  });
  ExpectSame(r);
  ASSERT_OK(r.memory);
  using V = std::vector<std::string>;
  EXPECT_THAT(*r.memory,
              ElementsAre(V{"base", "s2"}, V{"base", "s1", "s2"},
                          V{"base", "s1", "s2", "s3"}, V{"base", "s1", "s2"},
                          V{"base"}, V{"base", "s5"}));
  // Ids rolled back are used again: s5 took id 2.
  auto rows = Select("server", Q({}));
  ASSERT_OK(rows.memory);
  EXPECT_THAT(Ids(*rows.memory), ElementsAre(1, 2));
  ExpectSameContents();
}

TEST_F(Phase5, ReleasedSavepointCommitsWithItsParent) {
  // The plan's nested transaction: outer insert, inner savepoint, commit.
  auto r = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("outer", "o")).status());
    VIEWER_RETURN_IF_ERROR(txn.Savepoint("nested"));
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("inner", "i")).status());
    return txn.Release("nested");
  });
  ExpectSame(r);
  EXPECT_OK(r.memory);
  EXPECT_THAT(CommittedNames(), ElementsAre("inner", "outer"));
  ExpectSameContents();
}

TEST_F(Phase5, UnknownSavepointIsAnErrorAndChangesNothing) {
  auto r =
      OnBoth([](Transaction& txn) -> absl::StatusOr<std::vector<std::string>> {
        std::vector<std::string> errors;
        VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("a", "a")).status());
        errors.push_back(txn.RollbackTo("nope").ToString());
        errors.push_back(txn.Release("nope").ToString());
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("outer"));
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("inner"));
        VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("b", "b")).status());
        VIEWER_RETURN_IF_ERROR(txn.RollbackTo("outer"));
        // Rolling back to "outer" closed "inner".
        errors.push_back(txn.Release("inner").ToString());
        VIEWER_RETURN_IF_ERROR(txn.Release("outer"));
        errors.push_back(txn.RollbackTo("outer").ToString());
        // Names are case-sensitive (SQLite's own are not).
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("Case"));
        errors.push_back(txn.RollbackTo("case").ToString());
        VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("c", "c")).status());
        return errors;
      });
  ExpectSame(r);
  EXPECT_THAT(r.memory.value_or(std::vector<std::string>{}),
              ElementsAre("FAILED_PRECONDITION: no such savepoint: nope",
                          "FAILED_PRECONDITION: no such savepoint: nope",
                          "FAILED_PRECONDITION: no such savepoint: inner",
                          "FAILED_PRECONDITION: no such savepoint: outer",
                          "FAILED_PRECONDITION: no such savepoint: case"));
  EXPECT_THAT(CommittedNames(), ElementsAre("a", "c"));
  ExpectSameContents();
}

TEST_F(Phase5, SavepointsWithTheSameNameNest) {
  auto r =
      OnBoth([](Transaction& txn) -> absl::StatusOr<std::vector<std::string>> {
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("x"));
        VIEWER_RETURN_IF_ERROR(
            txn.Insert("server", Server("first", "1")).status());
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("x"));
        VIEWER_RETURN_IF_ERROR(
            txn.Insert("server", Server("second", "2")).status());
        VIEWER_RETURN_IF_ERROR(txn.RollbackTo("x"));  // the newer "x"
        VIEWER_RETURN_IF_ERROR(txn.Release("x"));     // the newer "x"
        VIEWER_RETURN_IF_ERROR(txn.Release("x"));     // the older "x"
        return Names(txn);
      });
  ExpectSame(r);
  EXPECT_THAT(r.memory.value_or(std::vector<std::string>{}),
              ElementsAre("first"));
  EXPECT_THAT(CommittedNames(), ElementsAre("first"));
  ExpectSameContents();
}

TEST_F(Phase5, SavepointRollbackRestoresUniqueNamesAndIds) {
  AddServer("a", "original", 1);
  auto r =
      OnBoth([](Transaction& txn) -> absl::StatusOr<std::vector<std::string>> {
        std::vector<std::string> seen;
        VIEWER_RETURN_IF_ERROR(txn.Savepoint("s"));
        VIEWER_RETURN_IF_ERROR(txn.Delete("server", 1));
        VIEWER_ASSIGN_OR_RETURN(
            int64_t id, txn.Insert("server", Server("a", "replacement")));
        seen.push_back("new a id " + std::to_string(id));
        VIEWER_RETURN_IF_ERROR(txn.Update("server", id, {{"name", T("b")}}));
        VIEWER_RETURN_IF_ERROR(txn.Update("server", id, {{"name", T("a2")}}));
        VIEWER_RETURN_IF_ERROR(txn.Insert("server", Server("b", "b")).status());
        VIEWER_RETURN_IF_ERROR(txn.RollbackTo("s"));
        // The original "a" is back; "b" and "a2" are free again.
        seen.push_back(
            txn.Insert("server", Server("a", "dup")).status().ToString());
        VIEWER_ASSIGN_OR_RETURN(int64_t b,
                                txn.Insert("server", Server("b", "kept")));
        seen.push_back("b id " + std::to_string(b));
        VIEWER_ASSIGN_OR_RETURN(int64_t a2,
                                txn.Insert("server", Server("a2", "kept")));
        seen.push_back("a2 id " + std::to_string(a2));
        return seen;
      });
  ExpectSame(r);
  EXPECT_THAT(
      r.memory.value_or(std::vector<std::string>{}),
      ElementsAre("new a id 1",
                  "ALREADY_EXISTS: UNIQUE constraint failed: server.name",
                  "b id 2", "a2 id 3"));
  auto rows = Select("server", Q({Filter::Eq("name", T("a"))}));
  ASSERT_OK(rows.memory);
  ASSERT_EQ(rows.memory->size(), 1u);
  EXPECT_EQ((*rows.memory)[0][Col("server", "definition")], T("original"));
  ExpectSameContents();
}

// ------------------------------------------------------------ isolation

TEST_F(Phase5, SnapshotKeepsSeeingTheOldStateWhileAWriterCommits) {
  AddServer("isolation-test", "initial", 1);
  AddServer("doomed", "d", 2);
  Txns readers = Readers();
  auto before = In(
      readers, [](Transaction& txn) { return txn.Select("server", Query{}); });
  ExpectSame(before);
  ASSERT_OK(before.memory);
  Advance(absl::Seconds(1));
  Txns w = Writers();
  auto write = In(w, [](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(
        txn.Update("server", 1, {{"definition", T("modified")}}));
    VIEWER_RETURN_IF_ERROR(txn.Delete("server", 2));
    return txn.Insert("server", Server("new", "n")).status();
  });
  ExpectSame(write);
  ASSERT_OK(write.memory);
  // The writer reads its own uncommitted writes (the plan's 5.2 case)...
  auto own = In(w, [](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(own);
  ASSERT_OK(own.memory);
  EXPECT_EQ((*own.memory)[Col("server", "definition")], T("modified"));
  // ...the snapshots do not, before or after the commit.
  auto mid = In(readers,
                [](Transaction& txn) { return txn.Select("server", Query{}); });
  ExpectSame(mid);
  EXPECT_EQ(mid.memory.value_or(std::vector<Row>{}), *before.memory);
  auto commit = In(w, [](Transaction& txn) { return txn.Commit(); });
  ExpectSame(commit);
  ASSERT_OK(commit.memory);
  auto after = In(
      readers, [](Transaction& txn) { return txn.Select("server", Query{}); });
  ExpectSame(after);
  EXPECT_EQ(after.memory.value_or(std::vector<Row>{}), *before.memory);
  auto count = In(readers, [](Transaction& txn) {
    return txn.Count("server", {Filter::Eq("definition", T("initial"))});
  });
  ExpectSame(count);
  EXPECT_EQ(count.memory.value_or(-1), 1);
  auto gone =
      In(readers, [](Transaction& txn) { return txn.Get("server", 2); });
  ExpectSame(gone);
  EXPECT_OK(gone.memory);
  // A snapshot taken now sees the commit.
  EXPECT_THAT(CommittedNames(), ElementsAre("isolation-test", "new"));
  ExpectSameContents();
}

TEST_F(Phase5, SnapshotIsTakenAtBeginNotAtFirstRead) {
  AddServer("before", "b", 1);
  Txns readers = Readers();  // no read yet
  AddServer("after", "a", 2);
  auto seen = In(readers, Names);
  ExpectSame(seen);
  EXPECT_THAT(seen.memory.value_or(std::vector<std::string>{}),
              ElementsAre("before"));
  ExpectSameContents();
}

TEST_F(Phase5, SnapshotSurvivesDeleteAndReuseOfTheSameNameAndId) {
  AddServer("a", "old a", 1);
  AddServer("b", "old b", 2);
  Txns readers = Readers();
  auto before = In(
      readers, [](Transaction& txn) { return txn.Select("server", Query{}); });
  ExpectSame(before);
  ASSERT_OK(before.memory);
  auto del = OnBoth([](Transaction& txn) { return txn.Delete("server", 2); });
  ExpectSame(del);
  // Id 2 and name "b" are free for the writer though a snapshot still
  // holds the old row.
  AddServer("b", "new b", 2);
  auto rename = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(txn.Update("server", 1, {{"name", T("a2")}}));
    return txn.Insert("server", Server("a", "new a")).status();
  });
  ExpectSame(rename);
  EXPECT_OK(rename.memory);
  auto after = In(
      readers, [](Transaction& txn) { return txn.Select("server", Query{}); });
  ExpectSame(after);
  EXPECT_EQ(after.memory.value_or(std::vector<Row>{}), *before.memory);
  auto by_name = In(readers, [](Transaction& txn) {
    return txn.Select("server", Q({Filter::Eq("name", T("b"))}));
  });
  ExpectSame(by_name);
  ASSERT_OK(by_name.memory);
  ASSERT_EQ(by_name.memory->size(), 1u);
  EXPECT_EQ((*by_name.memory)[0][Col("server", "definition")], T("old b"));
  EXPECT_THAT(CommittedNames(), ElementsAre("a", "a2", "b"));
  ExpectSameContents();
}

TEST_F(Phase5, SnapshotAggregatesIgnoreLaterCommits) {
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
  ASSERT_OK(w.memory);
  auto groups = In(readers, [](Transaction& txn) {
    return txn.CountBy("page_view", "path");
  });
  ExpectSame(groups);
  ASSERT_OK(groups.memory);
  EXPECT_THAT(*groups.memory,
              ElementsAre(GroupCount{T("/a"), 1}, GroupCount{T("/b"), 1}));
  auto distinct = In(readers, [](Transaction& txn) {
    return txn.CountDistinct("page_view", "user_agent");
  });
  ExpectSame(distinct);
  EXPECT_EQ(distinct.memory.value_or(-1), 1);
  auto sum =
      In(readers, [](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(sum);
  EXPECT_EQ(sum.memory.value_or(Value()), I(1));
  auto now_sum =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(now_sum);
  EXPECT_EQ(now_sum.memory.value_or(Value()), I(105));
  ExpectSameContents();
}

// ------------------------------------------------------ concurrent access

TEST_F(Phase5, SecondWriterIsLockedOutAndReadersAreNot) {
  AddServer("committed", "c", 1);
  Txns first = Writers();
  auto ins = In(first, [](Transaction& txn) {
    return txn.Insert("server", Server("pending", "p"));
  });
  ExpectSame(ins);
  auto second = Both<absl::StatusOr<std::unique_ptr<Transaction>>>{
      memory_.store().Begin(TransactionMode::kReadWrite),
      disk_.store().Begin(TransactionMode::kReadWrite)};
  EXPECT_THAT(second.memory,
              StatusIs(StatusCode::kUnavailable, "database is locked"));
  EXPECT_THAT(second.disk,
              StatusIs(StatusCode::kUnavailable, "database is locked"));
  // Readers begin at once and see only what is committed.
  EXPECT_THAT(CommittedNames(), ElementsAre("committed"));
  auto commit = In(first, [](Transaction& txn) { return txn.Commit(); });
  ExpectSame(commit);
  EXPECT_OK(commit.memory);
  AddServer("third", "t", 3);
  EXPECT_THAT(CommittedNames(), ElementsAre("committed", "pending", "third"));
  ExpectSameContents();
}

TEST_F(Phase5, ReadOnlyAndFinishedTransactionsRefuseWork) {
  AddServer("a", "a", 1);
  Txns readers = Readers();
  auto write = In(readers, [](Transaction& txn) {
    return txn.Insert("server", Server("b", "b"));
  });
  ExpectSame(write);
  EXPECT_THAT(write.memory, StatusIs(StatusCode::kFailedPrecondition,
                                     "transaction is read-only"));
  auto del =
      In(readers, [](Transaction& txn) { return txn.Delete("server", 1); });
  ExpectSame(del);
  EXPECT_THAT(del.memory, StatusIs(StatusCode::kFailedPrecondition,
                                   "transaction is read-only"));
  auto done = In(readers, [](Transaction& txn) { return txn.Commit(); });
  ExpectSame(done);
  EXPECT_OK(done.memory);
  auto late =
      In(readers, [](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(late);
  EXPECT_THAT(late.memory, StatusIs(StatusCode::kFailedPrecondition,
                                    "transaction is finished"));
  EXPECT_THAT(CommittedNames(), ElementsAre("a"));
  ExpectSameContents();
}

// One writer thread commits pairs of rows while reader threads take
// snapshots: no reader ever sees half a transaction or waits for the
// writer, on either store; both end with the same rows.
TEST_F(Phase5, ConcurrentReadersSeeWholeTransactions) {
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
    int write_failures = 0;
    for (int i = 0; i < kCommits; ++i) {
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
    }
    while (reads.load() < kReaders) absl::SleepFor(absl::Milliseconds(1));
    done = true;
    for (std::thread& t : readers) t.join();
    return absl::StrCat("odd=", odd_counts.load(),
                        " failures=", failures.load(),
                        " write_failures=", write_failures);
  };
  std::string m = run(memory_);
  std::string d = run(disk_);
  EXPECT_EQ(m, d);
  EXPECT_EQ(m, "odd=0 failures=0 write_failures=0");
  EXPECT_EQ(Count("export", {}).memory.value_or(-1), 2 * kCommits);
  ExpectSameContents();
}

// ---------------------------------------------------------------- NULLs

class Phase5Nulls : public Phase5 {
 protected:
  // page_view rows: 1 and 3 without user agent, 2 "b-agent", 4 "a-agent".
  void AddViews() {
    AddRow("page_view", {{"path", T("/1")}}, 1);
    AddRow("page_view", {{"path", T("/2")}, {"user_agent", T("b-agent")}}, 2);
    AddRow("page_view", {{"path", T("/3")}, {"user_agent", Value()}}, 3);
    AddRow("page_view", {{"path", T("/4")}, {"user_agent", T("a-agent")}}, 4);
  }
};

TEST_F(Phase5Nulls, NullableColumnsKeepNull) {
  AddRow("server",
         {{"name", T("null-test")},
          {"definition", T("has null cid")},
          {"definition_cid", Value()}},
         1);
  AddRow("alias", {{"name", T("al")}, {"definition", Value()}}, 1);
  AddRow("server_invocation",
         {{"server_name", T("s")}, {"result_cid", T("/r")}}, 1);
  auto server = ReadBoth([](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(server);
  ASSERT_OK(server.memory);
  EXPECT_TRUE((*server.memory)[Col("server", "definition_cid")].is_null());
  auto alias = ReadBoth([](Transaction& txn) { return txn.Get("alias", 1); });
  ExpectSame(alias);
  ASSERT_OK(alias.memory);
  EXPECT_TRUE((*alias.memory)[Col("alias", "definition")].is_null());
  auto inv = ReadBoth(
      [](Transaction& txn) { return txn.Get("server_invocation", 1); });
  ExpectSame(inv);
  ASSERT_OK(inv.memory);
  for (const char* c :
       {"servers_cid", "variables_cid", "secrets_cid", "request_details_cid",
        "invocation_cid", "external_calls_cid"}) {
    EXPECT_TRUE((*inv.memory)[Col("server_invocation", c)].is_null()) << c;
  }
  // Setting a nullable column back to NULL works on both.
  auto clear = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(
        txn.Update("server", 1, {{"definition_cid", T("/cid/x")}}));
    return txn.Update("server", 1, {{"definition_cid", Value()}});
  });
  ExpectSame(clear);
  EXPECT_OK(clear.memory);
  EXPECT_EQ(
      Count("server", {Filter::IsNull("definition_cid")}).memory.value_or(-1),
      1);
  ExpectSameContents();
}

TEST_F(Phase5Nulls, IsNullAndIsNotNull) {
  AddViews();
  auto nulls = Select("page_view", Q({Filter::IsNull("user_agent")}));
  ASSERT_OK(nulls.memory);
  EXPECT_THAT(Ids(*nulls.memory), ElementsAre(1, 3));
  auto set = Select("page_view", Q({Filter::IsNotNull("user_agent")}));
  ASSERT_OK(set.memory);
  EXPECT_THAT(Ids(*set.memory), ElementsAre(2, 4));
  // Every column of the row counts: ip_address is NULL everywhere.
  EXPECT_EQ(
      Count("page_view", {Filter::IsNull("ip_address")}).memory.value_or(-1),
      4);
  auto both = Count("page_view", {Filter::IsNull("user_agent"),
                                  Filter::IsNotNull("user_agent")});
  EXPECT_EQ(both.memory.value_or(-1), 0);
  ExpectSameContents();
}

TEST_F(Phase5Nulls, ComparisonsWithNullMatchNothing) {
  AddViews();
  for (const Filter& f :
       {Filter::Eq("user_agent", Value()), Filter::Ne("user_agent", Value()),
        Filter::Lt("user_agent", Value()), Filter::Ge("user_agent", Value()),
        Filter::In("user_agent", {Value()}), Filter::In("user_agent", {}),
        Filter::Prefix("user_agent", Value())}) {
    auto n = Count("page_view", {f});
    EXPECT_EQ(n.memory.value_or(-1), 0) << f.DebugString();
  }
  // != skips NULL rows; IN ignores a NULL among real values.
  auto ne = Select("page_view", Q({Filter::Ne("user_agent", T("a-agent"))}));
  ASSERT_OK(ne.memory);
  EXPECT_THAT(Ids(*ne.memory), ElementsAre(2));
  auto in = Select("page_view",
                   Q({Filter::In("user_agent", {Value(), T("a-agent")})}));
  ASSERT_OK(in.memory);
  EXPECT_THAT(Ids(*in.memory), ElementsAre(4));
  auto upd = OnBoth([](Transaction& txn) {
    return txn.UpdateWhere("page_view", {Filter::Eq("user_agent", Value())},
                           {{"method", T("HEAD")}});
  });
  ExpectSame(upd);
  EXPECT_EQ(upd.memory.value_or(-1), 0);
  ExpectSameContents();
}

TEST_F(Phase5Nulls, NullsSortFirstAscendingAndLastDescending) {
  AddViews();
  auto asc = Select("page_view", Q({}, {Asc("user_agent")}));
  ASSERT_OK(asc.memory);
  EXPECT_THAT(Ids(*asc.memory), ElementsAre(1, 3, 4, 2));
  // Ties (the two NULLs) stay in id order in both directions.
  auto desc = Select("page_view", Q({}, {Desc("user_agent")}));
  ASSERT_OK(desc.memory);
  EXPECT_THAT(Ids(*desc.memory), ElementsAre(2, 4, 1, 3));
  auto limited = Select("page_view", Q({}, {Desc("user_agent")}, 3));
  ASSERT_OK(limited.memory);
  EXPECT_THAT(Ids(*limited.memory), ElementsAre(2, 4, 1));
  ExpectSameContents();
}

TEST_F(Phase5Nulls, EmptyStringIsNotNull) {
  AddRow("server", Server("empty", ""), 1);
  AddRow("alias", {{"name", T("empty")}, {"definition", T("")}}, 1);
  AddRow("alias", {{"name", T("null")}, {"definition", Value()}}, 2);
  auto r = OnBoth([](Transaction& txn) {
    return txn.Insert("server", {{"name", T("null")}, {"definition", Value()}});
  });
  ExpectSame(r);
  EXPECT_THAT(r.memory,
              StatusIs(StatusCode::kInvalidArgument,
                       "NOT NULL constraint failed: server.definition"));
  auto empty = Select("alias", Q({Filter::Eq("definition", T(""))}));
  ASSERT_OK(empty.memory);
  EXPECT_THAT(Ids(*empty.memory), ElementsAre(1));
  auto null = Select("alias", Q({Filter::IsNull("definition")}));
  ASSERT_OK(null.memory);
  EXPECT_THAT(Ids(*null.memory), ElementsAre(2));
  auto prefix = Select("alias", Q({Filter::Prefix("definition", T(""))}));
  ASSERT_OK(prefix.memory);
  EXPECT_THAT(Ids(*prefix.memory), ElementsAre(1));
  auto order = Select("alias", Q({}, {Asc("definition")}));
  ASSERT_OK(order.memory);
  EXPECT_THAT(Ids(*order.memory), ElementsAre(2, 1));
  ExpectSameContents();
}

TEST_F(Phase5Nulls, AggregatesOverNulls) {
  AddViews();
  AddRow("page_view", {{"path", T("/5")}, {"user_agent", T("a-agent")}}, 5);
  auto distinct = ReadBoth([](Transaction& txn) {
    return txn.CountDistinct("page_view", "user_agent");
  });
  ExpectSame(distinct);
  EXPECT_EQ(distinct.memory.value_or(-1), 2);
  auto groups = ReadBoth(
      [](Transaction& txn) { return txn.CountBy("page_view", "user_agent"); });
  ExpectSame(groups);
  ASSERT_OK(groups.memory);
  EXPECT_THAT(*groups.memory,
              ElementsAre(GroupCount{Value(), 2}, GroupCount{T("a-agent"), 2},
                          GroupCount{T("b-agent"), 1}));
  AddRow("cid", {{"path", T("/a")}, {"file_data", Value::Blob("x")}}, 1);
  auto sum_null =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(sum_null);
  EXPECT_EQ(sum_null.memory.value_or(I(-1)), Value());
  AddRow("cid",
         {{"path", T("/b")},
          {"file_data", Value::Blob("yy")},
          {"file_size", I(2)}},
         2);
  auto sum =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(sum);
  EXPECT_EQ(sum.memory.value_or(Value()), I(2));
  ExpectSameContents();
}

// ---------------------------------------------------- special characters

TEST_F(Phase5, QuotesAndSqlAreStoredLiterally) {
  const std::vector<std::string> names = {"'; DROP TABLE server; --",
                                          "\"double\"",
                                          "back\\slash\\",
                                          "it's",
                                          "semi;colon",
                                          "/* comment */",
                                          "?1 :name @x $y"};
  int64_t id = 1;
  for (const std::string& n : names) AddServer(n, n + " definition", id++);
  for (const std::string& n : names) {
    auto found = Select("server", Q({Filter::Eq("name", T(n))}));
    ASSERT_OK(found.memory);
    ASSERT_EQ(found.memory->size(), 1u) << n;
    EXPECT_EQ((*found.memory)[0][Col("server", "definition")],
              T(n + " definition"));
  }
  EXPECT_EQ(Count("server", {}).memory.value_or(-1),
            static_cast<int64_t>(names.size()));
  ExpectSameContents();
}

TEST_F(Phase5, PercentAndUnderscoreAreNotWildcards) {
  int64_t id = 1;
  for (const char* p : {"/a%b", "/a_b", "/axb", "/A_b", "/a\\b"}) {
    AddRow("cid", {{"path", T(p)}, {"file_data", Value::Blob(p)}}, id++);
  }
  auto pct = Select("cid", Q({Filter::Prefix("path", T("/a%"))}));
  ASSERT_OK(pct.memory);
  EXPECT_THAT(Ids(*pct.memory), ElementsAre(1));
  auto under = Select("cid", Q({Filter::Prefix("path", T("/a_"))}));
  ASSERT_OK(under.memory);
  EXPECT_THAT(Ids(*under.memory), ElementsAre(2));
  auto slash = Select("cid", Q({Filter::Prefix("path", T("/a\\"))}));
  ASSERT_OK(slash.memory);
  EXPECT_THAT(Ids(*slash.memory), ElementsAre(5));
  auto all_a =
      Select("cid", Q({Filter::Prefix("path", T("/a"))}, {Asc("path")}));
  ASSERT_OK(all_a.memory);
  EXPECT_THAT(Ids(*all_a.memory), ElementsAre(1, 5, 2, 3));
  auto gone = OnBoth([](Transaction& txn) {
    return txn.DeleteWhere("cid", {Filter::Prefix("path", T("/a_"))});
  });
  ExpectSame(gone);
  EXPECT_EQ(gone.memory.value_or(-1), 1);
  ExpectSameContents();
}

TEST_F(Phase5, UnicodeAndEmoji) {
  const std::string hello =
      "Hello \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x8c\x8d caf\xc3\xa9 \xc3\xb1";
  AddServer("unicode-test", hello, 1);
  AddServer("\xc3\xa9t\xc3\xa9", "lower", 2);  // été
  AddServer("\xc3\x89t\xc3\xa9", "upper", 3);  // Été
  AddServer("\xf0\x9f\x98\x80", "emoji", 4);   // U+1F600
  AddServer("zebra", "ascii", 5);
  auto r = ReadBoth([](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(r);
  ASSERT_OK(r.memory);
  EXPECT_EQ((*r.memory)[Col("server", "definition")], T(hello));
  auto ordered = Select("server", Q({}, {Asc("name")}));
  ASSERT_OK(ordered.memory);
  // Byte order: ASCII, then 0xC3 0x89 (É) before 0xC3 0xA9 (é), then 0xF0.
  EXPECT_THAT(Ids(*ordered.memory), ElementsAre(1, 5, 3, 2, 4));
  auto prefix = Select("server", Q({Filter::Prefix("name", T("\xc3\xa9"))}));
  ASSERT_OK(prefix.memory);
  EXPECT_THAT(Ids(*prefix.memory), ElementsAre(2));
  auto emoji = Select(
      "server", Q({Filter::Prefix("definition", T("Hello \xe4\xb8\x96"))}));
  ASSERT_OK(emoji.memory);
  EXPECT_THAT(Ids(*emoji.memory), ElementsAre(1));
  ExpectSameContents();
}

TEST_F(Phase5, NulBytesAndNonUtf8BytesInText) {
  const std::string a0b("a\0b", 3);
  const std::string a0("a\0", 2);
  AddServer(a0b, std::string("def\0with nul", 12), 1);
  AddServer("a", "plain", 2);
  AddServer(a0, "trailing nul", 3);
  AddServer("a\xff", "not utf-8", 4);
  auto ordered = Select("server", Q({}, {Asc("name")}));
  ASSERT_OK(ordered.memory);
  EXPECT_THAT(Ids(*ordered.memory), ElementsAre(2, 3, 1, 4));
  auto exact = Select("server", Q({Filter::Eq("name", T(a0))}));
  ASSERT_OK(exact.memory);
  EXPECT_THAT(Ids(*exact.memory), ElementsAre(3));
  auto prefix = Select("server", Q({Filter::Prefix("name", T(a0))}));
  ASSERT_OK(prefix.memory);
  EXPECT_THAT(Ids(*prefix.memory), ElementsAre(1, 3));
  auto row = ReadBoth([](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(row);
  ASSERT_OK(row.memory);
  EXPECT_EQ((*row.memory)[Col("server", "definition")].text().size(), 12u);
  auto dup = OnBoth([&](Transaction& txn) {
    return txn.Insert("server", Server(a0b, "again"));
  });
  ExpectSame(dup);
  EXPECT_THAT(dup.memory, StatusIs(StatusCode::kAlreadyExists,
                                   "UNIQUE constraint failed: server.name"));
  ExpectSameContents();
}

TEST_F(Phase5, VeryLongText) {
  std::string long_text;
  while (long_text.size() < 100 * 1024) {
    long_text += "line " + std::to_string(long_text.size()) + " \xe2\x9c\x93\n";
  }
  AddServer("long", long_text, 1);
  AddServer(long_text, "long name", 2);
  auto row = ReadBoth([](Transaction& txn) { return txn.Get("server", 1); });
  ExpectSame(row);
  ASSERT_OK(row.memory);
  EXPECT_TRUE((*row.memory)[Col("server", "definition")].text() == long_text);
  auto by_name = Select("server", Q({Filter::Eq("name", T(long_text))}));
  ASSERT_OK(by_name.memory);
  EXPECT_THAT(Ids(*by_name.memory), ElementsAre(2));
  auto prefix =
      Select("server",
             Q({Filter::Prefix("definition", T(long_text.substr(0, 50000)))}));
  ASSERT_OK(prefix.memory);
  EXPECT_THAT(Ids(*prefix.memory), ElementsAre(1));
  ExpectSameContents();
}

// ------------------------------------------------------------ timestamps

TEST_F(Phase5, TimestampsKeepMicroseconds) {
  const Timestamp odd{1'700'000'000'123'457};
  memory_.clock().Set(odd);
  disk_.clock().Set(odd);
  AddServer("auto", "a", 1);
  const Timestamp explicit_at{1'234'567'890'000'001};
  AddRow("server",
         {{"name", T("explicit")},
          {"definition", T("e")},
          {"created_at", At(explicit_at)},
          {"updated_at", At(Timestamp{explicit_at.micros + 999'999})}},
         2);
  auto rows = Select("server", Q({}));
  ASSERT_OK(rows.memory);
  ASSERT_EQ(rows.memory->size(), 2u);
  const size_t created = Col("server", "created_at");
  const size_t updated = Col("server", "updated_at");
  EXPECT_EQ((*rows.memory)[0][created], At(odd));
  EXPECT_EQ((*rows.memory)[0][updated], At(odd));
  EXPECT_EQ((*rows.memory)[1][created], At(explicit_at));
  EXPECT_EQ((*rows.memory)[1][updated],
            At(Timestamp{explicit_at.micros + 999'999}));
  ExpectSameContents();
}

TEST_F(Phase5, OrderingByTimeBreaksTiesById) {
  AddRow("page_view", {{"path", T("/first")}}, 1);
  Advance(absl::Microseconds(1));
  AddRow("page_view", {{"path", T("/second")}}, 2);
  AddRow("page_view", {{"path", T("/same-instant")}}, 3);
  Advance(absl::Microseconds(1));
  AddRow("page_view", {{"path", T("/last")}}, 4);
  // An explicit time earlier than everything, inserted last.
  AddRow("page_view", {{"path", T("/backdated")}, {"viewed_at", At(kStart)}},
         5);
  auto asc = Select("page_view", Q({}, {Asc("viewed_at")}));
  ASSERT_OK(asc.memory);
  EXPECT_THAT(Ids(*asc.memory), ElementsAre(1, 5, 2, 3, 4));
  auto desc = Select("page_view", Q({}, {Desc("viewed_at")}));
  ASSERT_OK(desc.memory);
  EXPECT_THAT(Ids(*desc.memory), ElementsAre(4, 2, 3, 1, 5));
  ExpectSameContents();
}

TEST_F(Phase5, TimeRangeFiltersHaveInclusiveBounds) {
  for (int64_t i = 1; i <= 5; ++i) {
    AddRow("export", {{"cid", T("/e" + std::to_string(i))}}, i);
    Advance(absl::Seconds(1));
  }
  const Timestamp second{kStart.micros + 1'000'000};
  const Timestamp fourth{kStart.micros + 3'000'000};
  auto closed = Select("export", Q({Filter::Ge("created_at", At(second)),
                                    Filter::Le("created_at", At(fourth))},
                                   {Desc("created_at")}));
  ASSERT_OK(closed.memory);
  EXPECT_THAT(Ids(*closed.memory), ElementsAre(4, 3, 2));
  auto open = Select("export", Q({Filter::Gt("created_at", At(second)),
                                  Filter::Lt("created_at", At(fourth))}));
  ASSERT_OK(open.memory);
  EXPECT_THAT(Ids(*open.memory), ElementsAre(3));
  // One microsecond off the bound excludes the row.
  auto off = Count("export",
                   {Filter::Ge("created_at", At(Timestamp{second.micros + 1})),
                    Filter::Le("created_at", At(fourth))});
  EXPECT_EQ(off.memory.value_or(-1), 2);
  auto exact = Count("export", {Filter::Eq("created_at", At(fourth))});
  EXPECT_EQ(exact.memory.value_or(-1), 1);
  ExpectSameContents();
}

TEST_F(Phase5, UpdatedAtIsSetToNowOnEveryUpdate) {
  AddServer("a", "1", 1);
  AddServer("b", "2", 2);
  Advance(absl::Seconds(10));
  auto one = OnBoth([](Transaction& txn) {
    return txn.Update("server", 1, {{"enabled", Bool(false)}});
  });
  ExpectSame(one);
  Advance(absl::Seconds(10));
  auto all = OnBoth([](Transaction& txn) {
    return txn.UpdateWhere("server", {Filter::Prefix("name", T(""))},
                           {{"definition", T("x")}});
  });
  ExpectSame(all);
  EXPECT_EQ(all.memory.value_or(-1), 2);
  Advance(absl::Seconds(10));
  // An explicit updated_at wins over "now"; a failed update changes nothing.
  const Timestamp chosen{kStart.micros + 5};
  auto expl = OnBoth([&](Transaction& txn) {
    return txn.Update("server", 2, {{"updated_at", At(chosen)}});
  });
  ExpectSame(expl);
  auto failed = OnBoth([](Transaction& txn) {
    return txn.Update("server", 1, {{"name", T("b")}});
  });
  ExpectSame(failed);
  EXPECT_THAT(failed.memory, StatusIs(StatusCode::kAlreadyExists));
  auto rows = Select("server", Q({}));
  ASSERT_OK(rows.memory);
  const Timestamp t20{kStart.micros + 20'000'000};
  EXPECT_EQ(*rows.memory,
            (std::vector<Row>{Row{{I(1), T("a"), T("x"), Value(), At(kStart),
                                   At(t20), Bool(false)}},
                              Row{{I(2), T("b"), T("x"), Value(), At(kStart),
                                   At(chosen), Bool(true)}}}));
  ExpectSameContents();
}

TEST_F(Phase5, TimestampRangeEnds) {
  const Timestamp epoch{0};
  const Timestamp last{Timestamp::kMaxMicros};
  AddRow("export", {{"cid", T("/max")}, {"created_at", At(last)}}, 1);
  AddRow("export", {{"cid", T("/epoch")}, {"created_at", At(epoch)}}, 2);
  auto rows = Select("export", Q({}, {Asc("created_at")}));
  ASSERT_OK(rows.memory);
  EXPECT_EQ(*rows.memory, (std::vector<Row>{Row{{I(2), T("/epoch"), At(epoch)}},
                                            Row{{I(1), T("/max"), At(last)}}}));
  auto bad = OnBoth([](Transaction& txn) {
    return txn.Insert("export",
                      {{"cid", T("/neg")}, {"created_at", At(Timestamp{-1})}});
  });
  ExpectSame(bad);
  EXPECT_THAT(bad.memory,
              StatusIs(StatusCode::kInvalidArgument,
                       "timestamp out of range for export.created_at "
                       "(1970-01-01 to 9999-12-31)"));
  ExpectSameContents();
}

}  // namespace
}  // namespace viewer::testing
