// Counts answered from an index alone (engine/internal/mvcc_table.h,
// invariant 3): taken only while the table holds nothing but settled
// versions and the snapshot reads at or after the table's last commit,
// and always the same as counting the rows a query returns, under open
// snapshots, pending writes and rollbacks.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/internal/version.h"
#include "engine/memory_store.h"
#include "tests/printers.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

// Settled: what every snapshot from its commit on sees, so that counts may
// read indexes alone (engine/internal/mvcc_table.h, invariant 3).
TEST(Settled, TruthTable) {
  struct Case {
    uint64_t begin, end;
    bool settled;
  };
  using internal::kInfinity;
  using internal::kPending;
  const Case cases[] = {
      {3, kInfinity, true},          // committed, current
      {kPending, kInfinity, false},  // the writer's, not committed
      {3, kPending, false},          // being ended by the writer
      {3, 5, false},                 // ended: kept for older snapshots
      {kPending, kPending, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(internal::IsSettled(c.begin, c.end), c.settled)
        << "begin=" << c.begin << " end=" << c.end;
  }
}

const Catalog& ItemCatalog() {
  static const Catalog* catalog = new Catalog({TableSchema(
      "item", {Column("name", ColumnType::kText).NotNull().Unique().Indexed(),
               Column("tag", ColumnType::kText).Indexed(),
               Column("n", ColumnType::kInteger).Indexed(),
               Column("note", ColumnType::kText)})});
  return *catalog;
}

// The filters every check counts with, each answered by one index.
std::vector<std::vector<Filter>> Filters() {
  return {
      {},
      {Filter::Eq("tag", Value::Text("t1"))},
      {Filter::Eq("tag", Value::Text("t2"))},
      {Filter::IsNull("tag")},
      {Filter::In("n", {Value::Integer(1), Value::Integer(2), Value::Null()})},
      {Filter::Gt("n", Value::Integer(7))},
      {Filter::Ge("n", Value::Integer(3)), Filter::Lt("n", Value::Integer(5))},
      {Filter::Prefix("name", Value::Text("item-1"))},
      {Filter::Eq("name", Value::Text("item-42"))},
      {Filter::Eq("id", Value::Integer(7))},
      {Filter::Le("id", Value::Integer(50))},
  };
}

class IndexCountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MemoryOptions options;
    options.catalog = ItemCatalog();
    auto store = MemoryStore::Open(std::move(options));
    ASSERT_OK(store.status());
    store_ = std::move(*store);
    auto txn = Write();
    for (int i = 0; i < 300; ++i) {
      ASSERT_OK(txn->Insert("item", Item(i)).status());
    }
    ASSERT_OK(txn->Commit());
  }
  static Assignments Item(int i) {
    return {{"name", Value::Text(absl::StrCat("item-", i))},
            {"tag", i % 10 == 9 ? Value::Null()
                                : Value::Text(absl::StrCat("t", i % 3))},
            {"n", Value::Integer(i % 10)}};
  }
  std::unique_ptr<Transaction> Write() {
    return *store_->Begin(TransactionMode::kReadWrite);
  }
  std::unique_ptr<Transaction> Read() {
    return *store_->Begin(TransactionMode::kReadOnly);
  }
  // Every count `txn` gives, each checked against the rows it selects.
  static std::vector<int64_t> Counts(Transaction& txn) {
    std::vector<int64_t> out;
    for (const std::vector<Filter>& where : Filters()) {
      Query q;
      q.where = where;
      auto rows = txn.Select("item", q);
      auto n = txn.Count("item", where);
      EXPECT_OK(rows.status());
      EXPECT_OK(n.status());
      if (!rows.ok() || !n.ok()) return out;
      EXPECT_EQ(*n, static_cast<int64_t>(rows->size()))
          << "where " << q.DebugString();
      out.push_back(*n);
    }
    return out;
  }
  void Quiesce() {
    // Closing readers reclaim once writes have paused; a commit does too.
    absl::SleepFor(absl::Milliseconds(3));
    auto txn = Write();
    ASSERT_OK(txn->Commit());
  }

  std::unique_ptr<MemoryStore> store_;
};

TEST_F(IndexCountTest, SettledCountsReadTheIndexAndMatchTheRows) {
  EXPECT_TRUE(store_->CountsFromIndex("item"));
  auto reader = Read();
  const std::vector<int64_t> counts = Counts(*reader);
  EXPECT_EQ(counts,
            (std::vector<int64_t>{300, 90, 90, 30, 60, 60, 60, 111, 1, 1, 50}));
}

// An insert leaves nothing unsettled, but a snapshot taken before it must
// not count the new rows: it counts row by row.
TEST_F(IndexCountTest, ASnapshotOlderThanTheLastCommitCountsWhatItSees) {
  auto before = Read();
  const std::vector<int64_t> old_counts = Counts(*before);
  {
    auto txn = Write();
    for (int i = 300; i < 330; ++i) {
      ASSERT_OK(txn->Insert("item", Item(i)).status());
    }
    ASSERT_OK(txn->Commit());
  }
  EXPECT_TRUE(store_->CountsFromIndex("item"));
  EXPECT_EQ(Counts(*before), old_counts);
  auto after = Read();
  const std::vector<int64_t> new_counts = Counts(*after);
  EXPECT_EQ(new_counts[0], 330);
  EXPECT_NE(new_counts, old_counts);
}

TEST_F(IndexCountTest, OpenSnapshotsPinOldVersionsAndCountThem) {
  auto before = Read();
  const std::vector<int64_t> old_counts = Counts(*before);
  {
    auto txn = Write();
    ASSERT_OK_AND_ASSIGN(int64_t moved,
                         txn->UpdateWhere("item", {Filter::Eq("tag", Value::Text("t0"))},
                                          {{"tag", Value::Text("t2")},
                                           {"n", Value::Integer(100)}}));
    EXPECT_EQ(moved, 90);
    ASSERT_OK_AND_ASSIGN(int64_t gone,
                         txn->DeleteWhere("item", {Filter::Lt("n", Value::Integer(2))}));
    EXPECT_EQ(gone, 40);
    ASSERT_OK(txn->Insert("item", Item(1000)).status());
    ASSERT_OK(txn->Commit());
  }
  // The old versions `before` reads are still held: nothing is settled.
  EXPECT_FALSE(store_->CountsFromIndex("item"));
  EXPECT_EQ(Counts(*before), old_counts);
  auto after = Read();
  const std::vector<int64_t> new_counts = Counts(*after);
  EXPECT_EQ(new_counts[0], 300 - 40 + 1);
  EXPECT_EQ(new_counts[1], 90 - 20 + 1);   // t1: 20 had n < 2; item-1000
  EXPECT_EQ(new_counts[2], 90 - 20 + 90);  // t2, and the t0 rows moved
  before.reset();
  after.reset();
  Quiesce();
  EXPECT_TRUE(store_->CountsFromIndex("item"));
  auto settled = Read();
  EXPECT_EQ(Counts(*settled), new_counts);
}

TEST_F(IndexCountTest, TheWriterCountsItsOwnPendingChanges) {
  auto txn = Write();
  auto reader = Read();
  const std::vector<int64_t> committed = Counts(*reader);
  ASSERT_OK(txn->Update("item", 1, {{"tag", Value::Text("t1")}}));  // t0
  ASSERT_OK(txn->Delete("item", 3));  // item-2, t2
  ASSERT_OK(txn->Insert("item", Item(500)).status());  // t2
  const std::vector<int64_t> mine = Counts(*txn);
  EXPECT_EQ(mine[0], 300);
  EXPECT_EQ(mine[1], 91);
  EXPECT_EQ(mine[2], 90);
  EXPECT_EQ(Counts(*reader), committed);
  ASSERT_OK(txn->Rollback());
  EXPECT_TRUE(store_->CountsFromIndex("item"));
  auto fresh = Read();
  EXPECT_EQ(Counts(*fresh), committed);
}

}  // namespace
}  // namespace viewer
