// CopyStore (app/store_copy.h): a copy from one backend to another and
// back keeps every row of every table exactly ("equivalence.", over each
// pair of backends); a non-empty destination, different tables or a row
// the destination refuses are refused and leave the destination as it was
// ("contract.", on each backend).
#include "app/store_copy.h"

#include "app/schemas.h"
#include "gtest/gtest.h"
#include "tests/app/store_io_util.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

class StoreCopyCompareTest : public ::testing::TestWithParam<BackendPair> {};

TEST_P(StoreCopyCompareTest, AToBToAKeepsEveryRowExactly) {
  StoreHarness from(GetParam().a, AppCatalog());
  StoreHarness to(GetParam().b, AppCatalog());
  StoreHarness again(GetParam().a, AppCatalog());
  {
    auto txn = from.Write();
    ASSERT_OK(FillSample(*txn, {.blob_bytes = 1 << 20, .page_views = 50}));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(StoreContents want, ReadContents(from.store()));
  ASSERT_GT(RowCount(want), 100);

  ASSERT_OK(CopyStore(from.store(), to.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents copied, ReadContents(to.store()));
  ExpectSameContents(want, copied);

  ASSERT_OK(CopyStore(to.store(), again.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents back, ReadContents(again.store()));
  ExpectSameContents(want, back);
  // The 1 MB blobs came back byte for byte.
  EXPECT_EQ(back[0].second[0][2].blob(), SampleBytes(1 << 20, 1));
}

TEST_P(StoreCopyCompareTest, BToAKeepsEveryRowExactly) {
  StoreHarness from(GetParam().b, AppCatalog());
  StoreHarness to(GetParam().a, AppCatalog());
  {
    auto txn = from.Write();
    ASSERT_OK(FillSample(*txn));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(StoreContents want, ReadContents(from.store()));
  ASSERT_GT(RowCount(want), 20);
  ASSERT_OK(CopyStore(from.store(), to.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents got, ReadContents(to.store()));
  ExpectSameContents(want, got);
}

TEST_P(StoreCopyCompareTest, CopiesMoreRowsThanOnePage) {
  StoreHarness from(GetParam().a, AppCatalog());
  StoreHarness to(GetParam().b, AppCatalog());
  {
    auto txn = from.Write();
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
  ASSERT_OK(CopyStore(from.store(), to.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents want, ReadContents(from.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents got, ReadContents(to.store()));
  ASSERT_EQ(RowCount(want), 4570);
  ExpectSameContents(want, got);
}

INSTANTIATE_TEST_SUITE_P(Compare, StoreCopyCompareTest, AllPairs(),
                         PairParamName);

// The application's tables with export.cid UNIQUE: the same columns (so
// CopyStore accepts it), and a constraint the source does not have.
const Catalog& StricterCatalog() {
  static const Catalog* catalog = [] {
    std::vector<TableSchema> tables;
    for (const TableSchema& t : AppCatalog().tables()) {
      std::vector<Column> columns(t.columns().begin() + 1, t.columns().end());
      if (t.name() == kExportTable) {
        for (Column& c : columns) {
          if (c.name == "cid") c.Unique();
        }
      }
      tables.emplace_back(t.name(), std::move(columns));
    }
    return new Catalog(std::move(tables));
  }();
  return *catalog;
}

class StoreCopyTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(StoreCopyTest, RefusesANonEmptyDestinationAndChangesNothing) {
  StoreHarness from(GetParam(), AppCatalog());
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
  StoreHarness from(GetParam(), AppCatalog());
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
  // And a copy of a store onto itself is refused outright.
  EXPECT_THAT(CopyStore(from.store(), from.store()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// The destination refuses a row of the last table (two exports of one CID
// where it wants them unique), after every other table was copied: the
// whole copy is undone.
TEST_P(StoreCopyTest, AFailedCopyLeavesTheDestinationEmpty) {
  StoreHarness from(GetParam(), AppCatalog());
  {
    auto txn = from.Write();
    ASSERT_OK(FillSample(*txn));
    ASSERT_OK(txn->Insert(kExportTable, {{"cid", Value::Text("AAAAAAAA")}}));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_EQ(AppCatalog().tables().back().name(), kExportTable);
  StoreHarness to(GetParam(), StricterCatalog());
  EXPECT_THAT(CopyStore(from.store(), to.store()),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       "copying table export: UNIQUE constraint failed: "
                       "export.cid"));
  ASSERT_OK_AND_ASSIGN(StoreContents after, ReadContents(to.store()));
  EXPECT_EQ(RowCount(after), 0);
  // The destination still takes a copy that fits it.
  StoreHarness fits(GetParam(), AppCatalog());
  {
    auto txn = fits.Write();
    ASSERT_OK(FillSample(*txn));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK(CopyStore(fits.store(), to.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents want, ReadContents(fits.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents got, ReadContents(to.store()));
  ExpectSameContents(want, got);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreCopyTest, AllBackends(),
                         BackendParamName);

// The memory engine's byte limit, far below what the source holds.
TEST(StoreCopyMemoryLimit, AFailedCopyLeavesTheDestinationEmpty) {
  StoreHarness from(BackendKind::kMemory, AppCatalog());
  {
    auto txn = from.Write();
    ASSERT_OK(FillSample(*txn, {.blob_bytes = 200'000}));
    ASSERT_OK(txn->Commit());
  }
  StoreHarness to(BackendKind::kMemory, AppCatalog(), {.byte_limit = 100'000});
  EXPECT_THAT(CopyStore(from.store(), to.store()),
              StatusIs(absl::StatusCode::kResourceExhausted));
  ASSERT_OK_AND_ASSIGN(StoreContents after, ReadContents(to.store()));
  EXPECT_EQ(RowCount(after), 0);
}

}  // namespace
}  // namespace viewer::testing
