// Export and import (app/export_import.h) on both backends: export then
// import into an empty store gives the same data; imports update existing
// names. Bad documents: import_bad_documents_test.cc.
#include "app/export_import.h"

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/exports.h"
#include "app/interactions.h"
#include "app/page_views.h"
#include "app/schemas.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/app/store_io_util.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;

// What an import must keep of an entity.
using EntityKey = std::tuple<std::string, std::optional<std::string>, bool>;

std::vector<EntityKey> Keys(Store& store, EntityKind kind) {
  auto txn = store.Begin(TransactionMode::kReadOnly);
  EXPECT_TRUE(txn.ok());
  auto list = ListEntities(**txn, kind);
  EXPECT_TRUE(list.ok()) << list.status();
  std::vector<EntityKey> out;
  for (const Entity& e : *list)
    out.emplace_back(e.name, e.definition, e.enabled);
  return out;
}

// Interactions as (type, name, action, message, content, time), id order.
using InteractionKey =
    std::tuple<std::string, std::string, std::string,
               std::optional<std::string>, std::string, int64_t>;

std::vector<InteractionKey> InteractionKeys(const StoreContents& c) {
  std::vector<InteractionKey> out;
  for (const auto& [table, rows] : c) {
    if (table != kInteractionTable) continue;
    for (const Row& r : rows) {
      out.emplace_back(r[1].text(), r[2].text(), r[3].text(),
                       r[4].is_null() ? std::nullopt
                                      : std::optional<std::string>(r[4].text()),
                       r[5].text(), r[6].timestamp().micros);
    }
  }
  return out;
}

// Rows of `table` without their ids.
std::vector<std::vector<Value>> WithoutIds(const StoreContents& c,
                                           absl::string_view table) {
  std::vector<std::vector<Value>> out;
  for (const auto& [name, rows] : c) {
    if (name != table) continue;
    for (const Row& r : rows)
      out.emplace_back(r.values.begin() + 1, r.values.end());
  }
  return out;
}

class ExportImportTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  ExportImportTest()
      : source_(GetParam(), AppCatalog()), target_(GetParam(), AppCatalog()) {}

  // Entities of every kind, CIDs (referenced and not) and history.
  void FillSource() {
    auto txn = source_.Write();
    CidRepository cids;
    ASSERT_OK_AND_ASSIGN(stored_, cids.Create(*txn, SampleBytes(5000, 7)));
    ASSERT_OK_AND_ASSIGN(unreferenced_, cids.Create(*txn, SampleBytes(300, 8)));
    ASSERT_OK(cids.Create(*txn, "hello"));  // literal, stored
    auto create = [&](EntityKind k, std::string name,
                      std::optional<std::string> def, bool enabled = true) {
      source_.clock().Advance(absl::Seconds(1));
      return CreateEntity(*txn, k,
                          {.name = std::move(name),
                           .definition = std::move(def),
                           .enabled = enabled});
    };
    ASSERT_OK(create(EntityKind::kServer, "hello",
                     absl::StrCat("<img src=\"/", stored_, ".png\"> ",
                                  "{{greeting}} /AAAAAAAFaGVsbG8.txt")));
    ASSERT_OK(
        create(EntityKind::kServer, "off", "caf\xc3\xa9 \xe2\x9c\x93", false));
    ASSERT_OK(create(EntityKind::kAlias, "empty", std::nullopt));
    ASSERT_OK(create(EntityKind::kAlias, "home",
                     absl::StrCat("/home -> /", stored_, ".html")));
    ASSERT_OK(create(EntityKind::kVariable, "greeting", "Hello"));
    ASSERT_OK(create(EntityKind::kVariable, "blank", "", false));
    ASSERT_OK(create(EntityKind::kSecret, "TOKEN", "s3cret-value"));
    ASSERT_OK(UpdateEntity(*txn, EntityKind::kVariable, "greeting",
                           {.name = "greeting", .definition = "Hi"}));
    for (int i = 0; i < 3; ++i) {
      source_.clock().Advance(absl::Seconds(1));
      ASSERT_OK(SavePageView(*txn, {.path = absl::StrCat("/p", i),
                                    .user_agent = "ua \xe2\x9c\x93"}));
    }
    ASSERT_OK(txn->Commit());
  }

  std::string Export(ExportOptions options) {
    auto txn = source_.Read();
    CidRepository cids;
    absl::StatusOr<std::string> doc = BuildExport(*txn, cids, options);
    EXPECT_TRUE(doc.ok()) << doc.status();
    return doc.ok() ? *doc : "";
  }

  absl::StatusOr<ImportResult> Import(absl::string_view doc) {
    auto txn = target_.Write();
    absl::StatusOr<ImportResult> r = ApplyImport(*txn, doc);
    EXPECT_OK(txn->Commit());
    return r;
  }

  StoreHarness source_;
  StoreHarness target_;
  std::string stored_, unreferenced_;
};

TEST_P(ExportImportTest, ExportThenImportIntoAnEmptyStoreGivesTheSameData) {
  FillSource();
  const std::string doc =
      Export({.secrets = true, .history = true, .cids = true});
  ASSERT_OK_AND_ASSIGN(ImportResult counts, Import(doc));
  EXPECT_EQ(counts.servers, (ImportCounts{.created = 2}));
  EXPECT_EQ(counts.aliases, (ImportCounts{.created = 2}));
  EXPECT_EQ(counts.variables, (ImportCounts{.created = 2}));
  EXPECT_EQ(counts.secrets, (ImportCounts{.created = 1}));
  EXPECT_EQ(counts.page_views, 3);
  // The referenced stored blob, "hello" and the two servers' definitions
  // (each stored as the CID its definition_cid names).
  EXPECT_EQ(counts.cids_added, 4);
  for (EntityKind kind : kAllEntityKinds) {
    EXPECT_EQ(Keys(source_.store(), kind), Keys(target_.store(), kind))
        << EntityPluralName(kind);
  }
  ASSERT_OK_AND_ASSIGN(StoreContents want, ReadContents(source_.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents got, ReadContents(target_.store()));
  // Entity rows whole, timestamps and definition_cid included (ids too:
  // both stores created them in name order... so compare without ids).
  for (const char* table :
       {kServerTable, kAliasTable, kVariableTable, kSecretTable}) {
    auto a = WithoutIds(want, table), b = WithoutIds(got, table);
    std::sort(a.begin(), a.end(),
              [](auto& x, auto& y) { return x[0].text() < y[0].text(); });
    std::sort(b.begin(), b.end(),
              [](auto& x, auto& y) { return x[0].text() < y[0].text(); });
    EXPECT_EQ(a, b) << table;
  }
  EXPECT_EQ(WithoutIds(want, kPageViewTable), WithoutIds(got, kPageViewTable));
  // CIDs by bytes: the referenced ones, not the unreferenced one.
  auto rtxn = target_.Read();
  CidRepository cids;
  ASSERT_OK_AND_ASSIGN(auto bytes, cids.Get(*rtxn, stored_));
  EXPECT_EQ(*bytes, SampleBytes(5000, 7));
  ASSERT_OK_AND_ASSIGN(bool has_unreferenced,
                       cids.Exists(*rtxn, unreferenced_));
  EXPECT_FALSE(has_unreferenced);
  // History: every source interaction, in order, then the import's own.
  std::vector<InteractionKey> source_history = InteractionKeys(want);
  std::vector<InteractionKey> target_history = InteractionKeys(got);
  ASSERT_EQ(target_history.size(), source_history.size() + 7);
  EXPECT_TRUE(std::equal(source_history.begin(), source_history.end(),
                         target_history.begin()));
  for (size_t i = source_history.size(); i < target_history.size(); ++i) {
    EXPECT_EQ(std::get<2>(target_history[i]), "create");
  }
}

TEST_P(ExportImportTest, AllCidsExportsEveryStoredCid) {
  FillSource();
  const std::string doc = Export({.all_cids = true});
  ASSERT_OK_AND_ASSIGN(ImportResult counts, Import(doc));
  EXPECT_EQ(counts.cids_added, 5);  // three uploads, two definitions
  ASSERT_OK_AND_ASSIGN(StoreContents want, ReadContents(source_.store()));
  ASSERT_OK_AND_ASSIGN(StoreContents got, ReadContents(target_.store()));
  auto paths_and_bytes = [](const StoreContents& c) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const Row& r : c[0].second) out.emplace_back(r[1].text(), r[2].blob());
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(paths_and_bytes(want), paths_and_bytes(got));
}

TEST_P(ExportImportTest, TheDocumentHoldsOnlyTheChosenKinds) {
  FillSource();
  const std::string text = Export({});
  nlohmann::json doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc["format"], "viewer-export");
  EXPECT_EQ(doc["version"], 1);
  EXPECT_TRUE(doc.contains("servers"));
  EXPECT_TRUE(doc.contains("aliases"));
  EXPECT_TRUE(doc.contains("variables"));
  EXPECT_TRUE(doc.contains("cids"));
  EXPECT_FALSE(doc.contains("secrets"));
  EXPECT_FALSE(doc.contains("history"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("s3cret-value")));
  EXPECT_EQ(doc["servers"][0]["name"], "hello");
  EXPECT_EQ(doc["aliases"][0]["definition"], nullptr);

  const std::string only = Export(
      {.servers = false, .aliases = false, .variables = false, .cids = false});
  doc = nlohmann::json::parse(only);
  EXPECT_EQ(doc.size(), 2u) << only;  // format and version
  // Importing it changes nothing and counts nothing.
  ASSERT_OK_AND_ASSIGN(ImportResult counts, Import(only));
  EXPECT_EQ(counts, ImportResult{});
}

TEST_P(ExportImportTest, ExistingNamesAreUpdatedOthersCreated) {
  {
    auto txn = target_.Write();
    ASSERT_OK(CreateEntity(*txn, EntityKind::kServer,
                           {.name = "same", .definition = "x"}));
    ASSERT_OK(CreateEntity(*txn, EntityKind::kServer,
                           {.name = "changed", .definition = "old"}));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(ImportResult counts, Import(Doc(R"("servers": [
        {"name": "same", "definition": "x"},
        {"name": "changed", "definition": "new", "enabled": false},
        {"name": "fresh", "definition": "f",
         "created_at": "2020-01-02 03:04:05.000006"}])")));
  EXPECT_EQ(counts.servers,
            (ImportCounts{.created = 1, .updated = 1, .unchanged = 1}));
  // Two CIDs added: the new definitions of "changed" and "fresh".
  EXPECT_EQ(counts.Summary(),
            "servers: 1 created, 1 updated, 1 unchanged; aliases: 0 created, "
            "0 updated, 0 unchanged; variables: 0 created, 0 updated, 0 "
            "unchanged; secrets: 0 created, 0 updated, 0 unchanged; page "
            "views: 0; interactions: 0; CIDs: 2 added, 0 already present");
  EXPECT_EQ(Keys(target_.store(), EntityKind::kServer),
            (std::vector<EntityKey>{{"changed", "new", false},
                                    {"fresh", "f", true},
                                    {"same", "x", true}}));
  auto txn = target_.Read();
  ASSERT_OK_AND_ASSIGN(Entity fresh,
                       GetEntity(*txn, EntityKind::kServer, "fresh"));
  EXPECT_EQ(fresh.created_at.ToString(), "2020-01-02 03:04:05.000006");
  EXPECT_EQ(fresh.definition_cid, ComputeCid("f"));
}

TEST_P(ExportImportTest, AReadOnlyTransactionGetsTheStoreErrorAndNoChange) {
  FillSource();
  const std::string doc = Export({.secrets = true, .history = true});
  ASSERT_OK_AND_ASSIGN(StoreContents before, ReadContents(target_.store()));
  auto txn = target_.Read();
  EXPECT_THAT(ApplyImport(*txn, doc),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  txn.reset();
  ASSERT_OK_AND_ASSIGN(StoreContents after, ReadContents(target_.store()));
  ExpectSameContents(before, after);
}

TEST_P(ExportImportTest, ImportingTheSameDocumentTwiceChangesNoEntity) {
  FillSource();
  const std::string doc = Export({.secrets = true});
  ASSERT_OK(Import(doc));
  ASSERT_OK_AND_ASSIGN(ImportResult again, Import(doc));
  EXPECT_EQ(again.servers, (ImportCounts{.unchanged = 2}));
  EXPECT_EQ(again.secrets, (ImportCounts{.unchanged = 1}));
  EXPECT_EQ(again.cids_added, 0);
  EXPECT_EQ(again.cids_present, 4);  // two referenced, two definitions
}

TEST_P(ExportImportTest, AStoredExportIsACidAndAnExportRow) {
  FillSource();
  const std::string doc = Export({});
  auto txn = source_.Write();
  const CidRepository cids;
  ASSERT_OK_AND_ASSIGN(ExportRecord record, StoreExport(*txn, cids, doc));
  EXPECT_EQ(record.cid, ComputeCid(doc));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const std::string> bytes,
                       cids.Get(*txn, record.cid));
  EXPECT_EQ(*bytes, doc);
  ASSERT_OK_AND_ASSIGN(std::vector<ExportRecord> listed, ListExports(*txn, 5));
  EXPECT_EQ(listed, std::vector<ExportRecord>{record});
  ASSERT_OK(txn->Commit());
}

INSTANTIATE_TEST_SUITE_P(Backends, ExportImportTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
