// Export and import across backends (app/export_import.h), over each pair
// of backends a (the reference) and b: a document exported from one
// backend, imported into an empty store of the other and into an empty
// store of its own kind, gives the same rows in every table of both, ids
// and timestamps included; both then export the same document, byte for
// byte; and the same writes made on both export the same document.
#include <string>

#include "absl/strings/str_cat.h"
#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/export_import.h"
#include "app/interactions.h"
#include "app/page_views.h"
#include "app/schemas.h"
#include "gtest/gtest.h"
#include "tests/app/store_io_util.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

constexpr ExportOptions kEverything = {
    .secrets = true, .history = true, .cids = true, .all_cids = true};

// Entities of every kind (one renamed, one disabled, one alias without a
// definition), referenced and unreferenced CIDs, page views with odd user
// agents: what an export document can carry.
absl::Status FillForExport(StoreHarness& h) {
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          h.store().Begin(TransactionMode::kReadWrite));
  CidRepository cids;
  VIEWER_ASSIGN_OR_RETURN(std::string stored,
                          cids.Create(*txn, SampleBytes(5000, 7)));
  VIEWER_RETURN_IF_ERROR(cids.Create(*txn, SampleBytes(300, 8)).status());
  VIEWER_RETURN_IF_ERROR(cids.Create(*txn, "hello").status());
  struct One {
    EntityKind kind;
    std::string name;
    std::optional<std::string> definition;
    bool enabled;
  };
  const std::vector<One> entities = {
      {EntityKind::kServer, "hello",
       absl::StrCat("<img src=\"/", stored, ".png\"> {{greeting}}"), true},
      {EntityKind::kServer, "off", "caf\xc3\xa9 \xe2\x9c\x93", false},
      {EntityKind::kAlias, "empty", std::nullopt, true},
      {EntityKind::kAlias, "home", absl::StrCat("/home -> /", stored), true},
      {EntityKind::kVariable, "greeting", "Hello", true},
      {EntityKind::kVariable, "Blank", "", false},
      {EntityKind::kSecret, "TOKEN", "s3cret-value", true},
  };
  for (const One& e : entities) {
    h.clock().Advance(absl::Seconds(1));
    VIEWER_RETURN_IF_ERROR(
        CreateEntity(
            *txn, e.kind,
            {.name = e.name, .definition = e.definition, .enabled = e.enabled})
            .status());
  }
  h.clock().Advance(absl::Seconds(1));
  VIEWER_RETURN_IF_ERROR(UpdateEntity(*txn, EntityKind::kVariable, "greeting",
                                      {.name = "hi", .definition = "Hi"})
                             .status());
  for (int i = 0; i < 4; ++i) {
    h.clock().Advance(absl::Milliseconds(250));
    VIEWER_RETURN_IF_ERROR(
        SavePageView(*txn, {.path = absl::StrCat("/p", i % 2),
                            .user_agent = i == 3 ? "ua \xe2\x9c\x93" : "ua"})
            .status());
  }
  return txn->Commit();
}

absl::StatusOr<std::string> Export(StoreHarness& h) {
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          h.store().Begin(TransactionMode::kReadOnly));
  return BuildExport(*txn, CidRepository(), kEverything);
}

absl::StatusOr<ImportResult> Import(StoreHarness& h, const std::string& doc) {
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          h.store().Begin(TransactionMode::kReadWrite));
  VIEWER_ASSIGN_OR_RETURN(ImportResult result, ApplyImport(*txn, doc));
  VIEWER_RETURN_IF_ERROR(txn->Commit());
  return result;
}

class ExportImportCompareTest : public ::testing::TestWithParam<BackendPair> {
 protected:
  // Exports from a store of `from`, imports into an empty store of each
  // backend of the pair, and compares the two imported stores whole.
  void ExportFromImportIntoBoth(BackendKind from) {
    StoreHarness source(from, AppCatalog());
    ASSERT_OK(FillForExport(source));
    ASSERT_OK_AND_ASSIGN(const std::string doc, Export(source));

    StoreHarness into_a(GetParam().a, AppCatalog());
    StoreHarness into_b(GetParam().b, AppCatalog());
    ASSERT_OK_AND_ASSIGN(ImportResult counts_a, Import(into_a, doc));
    ASSERT_OK_AND_ASSIGN(ImportResult counts_b, Import(into_b, doc));
    EXPECT_EQ(counts_a, counts_b) << counts_a.Summary() << "\n"
                                  << counts_b.Summary();
    EXPECT_EQ(counts_a.servers.created, 2) << counts_a.Summary();
    EXPECT_EQ(counts_a.page_views, 4) << counts_a.Summary();
    // Three referenced CIDs and the two servers' definitions (a server's
    // definition is stored as the CID its definition_cid names).
    EXPECT_EQ(counts_a.cids_added, 5) << counts_a.Summary();

    ASSERT_OK_AND_ASSIGN(StoreContents a, ReadContents(into_a.store()));
    ASSERT_OK_AND_ASSIGN(StoreContents b, ReadContents(into_b.store()));
    // Rows in every table the document fills (the rest stay empty on both).
    for (const char* table :
         {kCidTable, kPageViewTable, kServerTable, kAliasTable,
          kInteractionTable, kVariableTable, kSecretTable}) {
      for (const auto& [name, rows] : a) {
        if (name == table) {
          EXPECT_FALSE(rows.empty()) << table;
        }
      }
    }
    ExpectSameContents(a, b);
    // And both give back the document they were given.
    ASSERT_OK_AND_ASSIGN(const std::string again_a, Export(into_a));
    ASSERT_OK_AND_ASSIGN(const std::string again_b, Export(into_b));
    EXPECT_EQ(again_a, again_b);
  }
};

TEST_P(ExportImportCompareTest, ExportFromAImportIntoBothGivesTheSameTables) {
  ExportFromImportIntoBoth(GetParam().a);
}

TEST_P(ExportImportCompareTest, ExportFromBImportIntoBothGivesTheSameTables) {
  ExportFromImportIntoBoth(GetParam().b);
}

TEST_P(ExportImportCompareTest, TheSameWritesExportTheSameDocument) {
  StoreHarness a(GetParam().a, AppCatalog());
  StoreHarness b(GetParam().b, AppCatalog());
  ASSERT_OK(FillForExport(a));
  ASSERT_OK(FillForExport(b));
  ASSERT_OK_AND_ASSIGN(const std::string from_a, Export(a));
  ASSERT_OK_AND_ASSIGN(const std::string from_b, Export(b));
  EXPECT_GT(from_a.size(), 5000u);
  EXPECT_EQ(from_a, from_b);
}

INSTANTIATE_TEST_SUITE_P(Compare, ExportImportCompareTest, AllPairs(),
                         PairParamName);

}  // namespace
}  // namespace viewer::testing
