// CopyStore (app/store_copy.h): memory -> SQLite -> memory keeps every row
// of every table exactly; a non-empty destination or different tables are
// refused and leave the destination as it was.
#include "app/store_copy.h"

#include "app/schemas.h"
#include "gtest/gtest.h"
#include "tests/app/store_io_util.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

TEST(StoreCopy, MemoryToSqliteToMemoryKeepsEveryRowExactly) {
  StoreHarness memory(BackendKind::kMemory, AppCatalog());
  StoreHarness disk(BackendKind::kSqlite, AppCatalog());
  StoreHarness again(BackendKind::kMemory, AppCatalog());
  {
    auto txn = memory.Write();
    ASSERT_OK(FillSample(*txn, {.blob_bytes = 1 << 20, .page_views = 50}));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(StoreContents want, ReadContents(memory.store()));
  ASSERT_GT(RowCount(want), 100);

  ASSERT_OK(CopyStore(memory.store(), disk.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents on_disk, ReadContents(disk.store()));
  ExpectSameContents(want, on_disk);

  ASSERT_OK(CopyStore(disk.store(), again.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents back, ReadContents(again.store()));
  ExpectSameContents(want, back);
  // The 1 MB blobs came back byte for byte.
  EXPECT_EQ(back[0].second[0][2].blob(), SampleBytes(1 << 20, 1));
}

TEST(StoreCopy, CopiesMoreRowsThanOnePage) {
  StoreHarness memory(BackendKind::kMemory, AppCatalog());
  StoreHarness disk(BackendKind::kSqlite, AppCatalog());
  {
    auto txn = memory.Write();
    for (int i = 0; i < 4500; ++i) {
      ASSERT_OK(txn->Insert(kPageViewTable,
                            {{"id", Value::Integer(i * 7 + 3)},
                             {"path", Value::Text(absl::StrCat("/", i))}}));
    }
    for (int i = 0; i < 70; ++i) {
      const std::string bytes = SampleBytes(100, i);
      ASSERT_OK(txn->Insert(kCidTable,
                            {{"path", Value::Text("/" + ComputeCid(bytes))},
                             {"file_data", Value::Blob(bytes)}}));
    }
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK(CopyStore(memory.store(), disk.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents want, ReadContents(memory.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents got, ReadContents(disk.store()));
  ExpectSameContents(want, got);
}

class StoreCopyTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(StoreCopyTest, RefusesANonEmptyDestinationAndChangesNothing) {
  StoreHarness from(BackendKind::kMemory, AppCatalog());
  StoreHarness to(GetParam(), AppCatalog());
  {
    auto txn = from.Write();
    ASSERT_OK(FillSample(*txn));
    ASSERT_OK(txn->Commit());
  }
  {
    auto txn = to.Write();
    ASSERT_OK(txn->Insert(kExportTable, {{"cid", Value::Text("AAAAAAAA")}}));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(StoreContents before, ReadContents(to.store()));
  EXPECT_THAT(CopyStore(from.store(), to.store()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "CopyStore needs an empty destination: table export "
                       "holds 1 row"));
  ASSERT_OK_AND_ASSIGN(StoreContents after, ReadContents(to.store()));
  ExpectSameContents(before, after);
}

TEST_P(StoreCopyTest, RefusesDifferentTables) {
  Catalog other({TableSchema("server", {Column("name", ColumnType::kText)})});
  StoreHarness from(BackendKind::kMemory, AppCatalog());
  StoreHarness to(GetParam(), other);
  EXPECT_THAT(CopyStore(from.store(), to.store()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "catalogs differ: table cid is missing in the "
                       "destination"));
  Catalog narrower({TableSchema("cid", {Column("path", ColumnType::kText)})});
  StoreHarness small(GetParam(), narrower);
  EXPECT_THAT(CopyStore(from.store(), small.store()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "catalogs differ: table cid has 5 columns in the "
                       "source and 2 in the destination"));
}

TEST_P(StoreCopyTest, AFailedCopyLeavesTheDestinationEmpty) {
  // The destination's byte limit is far below what the source holds.
  StoreHarness from(BackendKind::kMemory, AppCatalog());
  {
    auto txn = from.Write();
    ASSERT_OK(FillSample(*txn, {.blob_bytes = 200'000}));
    ASSERT_OK(txn->Commit());
  }
  StoreHarness to(BackendKind::kMemory, AppCatalog(), {.byte_limit = 100'000});
  absl::Status s = CopyStore(from.store(), to.store());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kResourceExhausted));
  ASSERT_OK_AND_ASSIGN(StoreContents after, ReadContents(to.store()));
  EXPECT_EQ(RowCount(after), 0);
  // And a copy of the source onto itself is refused outright.
  EXPECT_THAT(CopyStore(from.store(), from.store()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(StoreCopyTest, CopiesIntoEitherBackendFromEither) {
  StoreHarness from(GetParam(), AppCatalog());
  {
    auto txn = from.Write();
    ASSERT_OK(FillSample(*txn));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(StoreContents want, ReadContents(from.store()));
  for (BackendKind kind : {BackendKind::kMemory, BackendKind::kSqlite}) {
    StoreHarness to(kind, AppCatalog());
    ASSERT_OK(CopyStore(from.store(), to.store()));
    ASSERT_OK_AND_ASSIGN(StoreContents got, ReadContents(to.store()));
    ExpectSameContents(want, got);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreCopyTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
