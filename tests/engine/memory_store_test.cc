// Tests of the in-memory engine's own promises (docs/in_memory_database.md,
// "Inside the engine"): the visibility rule, O(1) snapshots, reclamation,
// shared blobs, the byte limit and parallel readers. The contract itself
// is tested on both backends in tests/storage.
#include "engine/memory_store.h"

#include <atomic>
#include <thread>

#include "absl/strings/str_format.h"
#include "engine/internal/version.h"
#include "tests/printers.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using internal::IsVisible;
using internal::kInfinity;
using internal::kPending;
using internal::ReadView;
using ::absl::StatusCode;

TEST(Visibility, TruthTable) {
  struct Case {
    uint64_t begin, end, read_ts;
    bool own, visible;
  };
  const Case cases[] = {
      // Committed versions, seen by a snapshot at 5.
      {3, kInfinity, 5, false, true},   // live
      {5, kInfinity, 5, false, true},   // made by the last commit seen
      {6, kInfinity, 5, false, false},  // made after the snapshot
      {3, 5, 5, false, false},          // ended by a commit seen
      {3, 6, 5, false, true},           // ended after the snapshot
      {3, 4, 5, false, false},
      // Pending marks: only the writer sees its own work.
      {kPending, kInfinity, 5, false, false},
      {kPending, kInfinity, 5, true, true},
      {3, kPending, 5, false, true},  // a reader still sees what is ending
      {3, kPending, 5, true, false},  // the writer ended it
      {kPending, kPending, 5, true, false},  // made and ended by the writer
      {kPending, kPending, 5, false, false},
      {6, kInfinity, 5, true, false},  // the writer's view is fixed too
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsVisible(c.begin, c.end, ReadView{c.read_ts, c.own}), c.visible)
        << "begin=" << c.begin << " end=" << c.end << " read=" << c.read_ts
        << " own=" << c.own;
  }
}

const Catalog& TestCatalog() {
  static const Catalog* catalog = new Catalog({TableSchema(
      "doc", {Column("name", ColumnType::kText).NotNull().Unique().Indexed(),
              Column("note", ColumnType::kText),
              Column("body", ColumnType::kBlob),
              Column("n", ColumnType::kInteger)})});
  return *catalog;
}

class MemoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(0); }
  void Open(int64_t limit) {
    MemoryOptions options;
    options.catalog = TestCatalog();
    options.clock = &clock_;
    options.byte_limit = limit;
    options.busy_timeout = absl::Milliseconds(100);
    auto store = MemoryStore::Open(std::move(options));
    ASSERT_OK(store.status());
    store_ = std::move(*store);
  }
  std::unique_ptr<Transaction> Write() {
    return *store_->Begin(TransactionMode::kReadWrite);
  }
  std::unique_ptr<Transaction> Read() {
    return *store_->Begin(TransactionMode::kReadOnly);
  }
  int64_t Insert(const std::string& name, Assignments extra = {}) {
    auto txn = Write();
    extra.push_back({"name", Value::Text(name)});
    auto id = txn->Insert("doc", extra);
    EXPECT_OK(id.status());
    EXPECT_OK(txn->Commit());
    return id.ok() ? *id : 0;
  }
  void SetNote(int64_t id, const std::string& note) {
    auto txn = Write();
    ASSERT_OK(txn->Update("doc", id, {{"note", Value::Text(note)}}));
    ASSERT_OK(txn->Commit());
  }
  int64_t Bytes() { return store_->Stats()->bytes_used; }

  ManualClock clock_;
  std::unique_ptr<MemoryStore> store_;
};

TEST_F(MemoryStoreTest, SnapshotsCopyNothing) {
  for (int i = 0; i < 100; ++i) Insert("d" + std::to_string(i));
  const int64_t versions = store_->VersionCount();
  const int64_t bytes = Bytes();
  std::vector<std::unique_ptr<Transaction>> readers;
  for (int i = 0; i < 1000; ++i) readers.push_back(Read());
  EXPECT_EQ(store_->OpenSnapshots(), 1000);
  EXPECT_EQ(store_->VersionCount(), versions);
  EXPECT_EQ(Bytes(), bytes);
  readers.clear();
  EXPECT_EQ(store_->OpenSnapshots(), 0);
}

TEST_F(MemoryStoreTest, OldVersionsAreReclaimed) {
  int64_t id = Insert("doc");
  for (int i = 0; i < 500; ++i) SetNote(id, "v" + std::to_string(i));
  EXPECT_EQ(store_->VersionCount(), 1);
  const int64_t flat = Bytes();

  auto reader = Read();  // pins the version it sees
  for (int i = 100; i < 200; ++i) SetNote(id, "w" + std::to_string(i));
  EXPECT_EQ(store_->VersionCount(), 101);
  ASSERT_OK_AND_ASSIGN(Row seen, reader->Get("doc", id));
  EXPECT_EQ(seen[2], Value::Text("v499"));
  // Once writes have paused, closing the oldest snapshot frees what only
  // it could see.
  absl::SleepFor(absl::Milliseconds(3));
  reader.reset();
  EXPECT_EQ(store_->VersionCount(), 1);
  EXPECT_EQ(Bytes(), flat);
}

TEST_F(MemoryStoreTest, WhileWritesGoOnTheWriterReclaims) {
  int64_t id = Insert("doc");
  auto reader = Read();
  for (int i = 0; i < 50; ++i) SetNote(id, "w" + std::to_string(100 + i));
  EXPECT_EQ(store_->VersionCount(), 51);
  reader.reset();  // right after a commit: left to the next writer
  SetNote(id, "last");
  EXPECT_EQ(store_->VersionCount(), 1);
}

TEST_F(MemoryStoreTest, AFullStoreFreesUnseenVersionsBeforeRefusing) {
  Open(48 * 1024);
  int64_t id = Insert("doc", {{"note", Value::Text(std::string(2000, 'a'))}});
  auto reader = Read();  // pins every version written below
  absl::Status status;
  int updates = 0;
  while (status.ok() && updates < 1000) {
    auto txn = Write();
    status = txn->Update("doc", id, {{"note", Value::Text(std::string(2000, 'b'))}});
    if (status.ok()) {
      ASSERT_OK(txn->Commit());
      ++updates;
    }
  }
  EXPECT_THAT(status, testing::StatusIs(StatusCode::kResourceExhausted));
  reader.reset();  // nothing pins the old versions now
  auto txn = Write();
  EXPECT_OK(txn->Update("doc", id, {{"note", Value::Text(std::string(2000, 'c'))}}));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(store_->VersionCount(), 1);
}

TEST_F(MemoryStoreTest, DeletedRowsAndRollbacksLeaveNothing) {
  const int64_t empty = Bytes();
  int64_t id = Insert("gone", {{"body", Value::Blob(std::string(1000, 'x'))}});
  {
    auto txn = Write();
    ASSERT_OK(txn->Delete("doc", id));
    ASSERT_OK(txn->Commit());
  }
  EXPECT_EQ(store_->VersionCount(), 0);
  EXPECT_EQ(Bytes(), empty);
  {
    auto txn = Write();
    ASSERT_OK(txn->Insert("doc", {{"name", Value::Text("x")}}));
    ASSERT_OK(txn->Rollback());
  }
  EXPECT_EQ(store_->VersionCount(), 0);
  EXPECT_EQ(Bytes(), empty);
}

TEST_F(MemoryStoreTest, BlobsAreSharedNotCopied) {
  const std::string big(1 << 20, 'b');
  int64_t id = Insert("blob", {{"body", Value::Blob(big)}, {"note", Value::Text("-")}});
  const int64_t with_blob = Bytes();
  auto reader = Read();  // keeps every version alive
  for (int i = 0; i < 10; ++i) SetNote(id, std::to_string(i));
  EXPECT_EQ(store_->VersionCount(), 11);
  EXPECT_LT(Bytes() - with_blob, 10 * 1024);  // ten small versions, one blob
  auto now = Read();
  ASSERT_OK_AND_ASSIGN(Row old_row, reader->Get("doc", id));
  ASSERT_OK_AND_ASSIGN(Row new_row, now->Get("doc", id));
  EXPECT_EQ(old_row[3].blob_ref(), new_row[3].blob_ref());  // same bytes
  absl::SleepFor(absl::Milliseconds(3));  // quiet: readers reclaim
  reader.reset();
  now.reset();
  EXPECT_EQ(store_->VersionCount(), 1);
  EXPECT_EQ(Bytes(), with_blob);  // the blob is still charged once
}

TEST_F(MemoryStoreTest, ByteLimitRefusesWholeWritesAndEvictsNothing) {
  Open(64 * 1024);
  std::vector<int64_t> ids;
  absl::Status full;
  for (int i = 0; i < 1000 && full.ok(); ++i) {
    auto txn = Write();
    auto id = txn->Insert("doc", {{"name", Value::Text("d" + std::to_string(i))},
                                  {"body", Value::Blob(std::string(1000, 'z'))}});
    full = id.status();
    if (id.ok()) {
      ASSERT_OK(txn->Commit());
      ids.push_back(*id);
    }
  }
  EXPECT_THAT(full, testing::StatusIs(StatusCode::kResourceExhausted));
  EXPECT_GT(ids.size(), 30u);
  EXPECT_LE(Bytes(), 64 * 1024);
  // Everything stored before is intact.
  auto reader = Read();
  ASSERT_OK_AND_ASSIGN(int64_t n, reader->Count("doc"));
  EXPECT_EQ(n, static_cast<int64_t>(ids.size()));
  reader.reset();
  // An update that needs room fails whole; a delete makes room.
  {
    auto txn = Write();
    EXPECT_THAT(txn->UpdateWhere("doc", {}, {{"note", Value::Text("more")}}),
                testing::StatusIs(StatusCode::kResourceExhausted));
    ASSERT_OK_AND_ASSIGN(auto rows, txn->Select("doc", {}));
    for (const Row& r : rows) EXPECT_TRUE(r[2].is_null());
    ASSERT_OK(txn->Delete("doc", ids[0]));
    ASSERT_OK(txn->Delete("doc", ids[1]));
    ASSERT_OK(txn->Commit());
  }
  Insert("after-delete", {{"body", Value::Blob(std::string(1000, 'z'))}});
}

// A delete that records what it did (as viewer's entity deletes do) works
// in a full store: the transaction may use the room its deletes free, and
// no more.
TEST_F(MemoryStoreTest, AFullStoreStillTakesADeleteThatRecordsItself) {
  Open(64 * 1024);
  std::vector<int64_t> ids;
  for (int i = 0;; ++i) {
    auto txn = Write();
    auto id =
        txn->Insert("doc", {{"name", Value::Text("d" + std::to_string(i))},
                            {"body", Value::Blob(std::string(1000, 'z'))}});
    if (!id.ok()) {
      ASSERT_THAT(id.status(),
                  testing::StatusIs(StatusCode::kResourceExhausted));
      break;
    }
    ASSERT_OK(txn->Commit());
    ids.push_back(*id);
  }
  const int64_t full = Bytes();
  // Without a delete, even a small row is refused.
  {
    auto txn = Write();
    EXPECT_THAT(
        txn->Insert("doc", {{"name", Value::Text("log")},
                            {"note", Value::Text(std::string(900, 'n'))}}),
        testing::StatusIs(StatusCode::kResourceExhausted));
  }
  // Delete one row and record it: fine, and the room is back after commit.
  {
    auto txn = Write();
    ASSERT_OK(txn->Delete("doc", ids[0]));
    ASSERT_OK(
        txn->Insert("doc", {{"name", Value::Text("log")},
                            {"note", Value::Text(std::string(900, 'n'))}}));
    // A second row would use more than the delete frees: refused, and the
    // transaction keeps what it did so far.
    EXPECT_THAT(
        txn->Insert("doc", {{"name", Value::Text("more")},
                            {"body", Value::Blob(std::string(1000, 'm'))}}),
        testing::StatusIs(StatusCode::kResourceExhausted));
    ASSERT_OK(txn->Commit());
  }
  EXPECT_LE(Bytes(), full);
  auto reader = Read();
  ASSERT_OK_AND_ASSIGN(int64_t n, reader->Count("doc"));
  EXPECT_EQ(n, static_cast<int64_t>(ids.size()));  // one gone, "log" added
  reader.reset();
  // A row the transaction itself inserted and deleted frees nothing it may
  // use: with the room one committed delete frees, a row that fits in that
  // room goes in, and no second one after a row of this transaction's own
  // comes and goes.
  {
    auto txn = Write();
    ASSERT_OK(txn->Delete("doc", ids[1]));
    ASSERT_OK(
        txn->Insert("doc", {{"name", Value::Text("in")},
                            {"body", Value::Blob(std::string(600, 'i'))}}));
    ASSERT_OK_AND_ASSIGN(
        int64_t mine,
        txn->Insert("doc", {{"name", Value::Text("mine")},
                            {"body", Value::Blob(std::string(300, 'm'))}}));
    ASSERT_OK(txn->Delete("doc", mine));
    EXPECT_THAT(
        txn->Insert("doc", {{"name", Value::Text("out")},
                            {"body", Value::Blob(std::string(600, 'o'))}}),
        testing::StatusIs(StatusCode::kResourceExhausted));
  }
}

TEST_F(MemoryStoreTest, DeletingASmallRowMakesRoomForOneLikeIt) {
  Open(16 * 1024);
  std::vector<int64_t> ids;
  for (int i = 0;; ++i) {
    auto txn = Write();
    auto id = txn->Insert("doc",
                          {{"name", Value::Text(absl::StrFormat("r%04d", i))}});
    if (!id.ok()) {
      // "x0000" costs exactly what this refused row would have.
      ASSERT_THAT(id.status(),
                  testing::StatusIs(StatusCode::kResourceExhausted));
      break;
    }
    ASSERT_OK(txn->Commit());
    ids.push_back(*id);
  }
  auto txn = Write();
  ASSERT_OK(txn->Delete("doc", ids.back()));
  ASSERT_OK(txn->Insert("doc", {{"name", Value::Text("x0000")}}));
  ASSERT_OK(txn->Commit());
  EXPECT_LE(Bytes(), 16 * 1024);
}

TEST_F(MemoryStoreTest, ReadersRunBesideTheWriterAndSeeWholeCommits) {
  // Two rows whose n always sums to 100 in every committed state.
  Insert("a", {{"n", Value::Integer(50)}});
  Insert("b", {{"n", Value::Integer(50)}});
  std::atomic<bool> stop{false};
  std::atomic<int64_t> checks{0};
  std::atomic<int64_t> broken{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!stop) {
        auto txn = *store_->Begin(TransactionMode::kReadOnly);
        auto sum = txn->Sum("doc", "n");
        if (!sum.ok() || sum->integer() != 100) ++broken;
        ++checks;
      }
    });
  }
  // Write until the readers have checked plenty of snapshots.
  for (int i = 0; i < 2000 || checks < 500; ++i) {
    auto txn = Write();
    ASSERT_OK(txn->Update("doc", 1, {{"n", Value::Integer(50 + i % 7)}}));
    ASSERT_OK(txn->Update("doc", 2, {{"n", Value::Integer(50 - i % 7)}}));
    ASSERT_OK(txn->Commit());
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(broken, 0);
  EXPECT_GE(checks, 500);
  EXPECT_EQ(store_->OpenSnapshots(), 0);
  // A reader preempted mid-snapshot may have pinned many versions; the next
  // writer frees them.
  SetNote(1, "after");
  EXPECT_EQ(store_->VersionCount(), 2);
}

}  // namespace
}  // namespace viewer
