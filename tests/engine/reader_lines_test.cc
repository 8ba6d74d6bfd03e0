// Tests of ReaderLines (engine/internal/reader_lines.h) as the store uses
// them: a store of more tables than one set of lines serves gets a set
// per group of tables, and every table's latch and counts still work
// while a writer commits beside the readers.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "engine/memory_store.h"
#include "tests/printers.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

// A store of more tables than one ReaderLines serves (28) gives each group
// of tables lines of its own; every table still reads and writes, and its
// latch still keeps readers out while the writer holds it.
TEST(MemoryStoreTables, MoreTablesThanOneSetOfReaderLines) {
  std::vector<TableSchema> tables;
  for (int t = 0; t < 60; ++t) {
    tables.emplace_back(absl::StrFormat("t%02d", t),
                        std::vector<Column>{Column("v", ColumnType::kInteger)
                                                .Indexed()});
  }
  MemoryOptions options;
  options.catalog = Catalog(std::move(tables));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<MemoryStore> store,
                       MemoryStore::Open(std::move(options)));
  {
    auto txn = *store->Begin(TransactionMode::kReadWrite);
    for (int t = 0; t < 60; ++t) {
      for (int i = 0; i <= t; ++i) {
        ASSERT_OK(txn->Insert(absl::StrFormat("t%02d", t),
                              {{"v", Value::Integer(i)}})
                      .status());
      }
    }
    ASSERT_OK(txn->Commit());
  }
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int round = 0; !stop; ++round) {
      auto txn = *store->Begin(TransactionMode::kReadWrite);
      for (int t = 0; t < 60; t += 7) {
        EXPECT_OK(txn->Update(absl::StrFormat("t%02d", t), 1,
                              {{"v", Value::Integer(round)}}));
      }
      EXPECT_OK(txn->Commit());
    }
  });
  for (int pass = 0; pass < 20; ++pass) {
    auto reader = *store->Begin(TransactionMode::kReadOnly);
    for (int t = 0; t < 60; ++t) {
      ASSERT_OK_AND_ASSIGN(int64_t n,
                           reader->Count(absl::StrFormat("t%02d", t)));
      EXPECT_EQ(n, t + 1);
      ASSERT_OK_AND_ASSIGN(
          int64_t big,
          reader->Count(absl::StrFormat("t%02d", t),
                        {Filter::Ge("v", Value::Integer(0))}));
      EXPECT_EQ(big, t + 1);
    }
  }
  stop = true;
  writer.join();
}

}  // namespace
}  // namespace viewer
