// What an import must never reveal (app/export_import.h), on each backend:
// a CID stored under the hashed form of a short content's name (a server
// output holding a secret) keeps that name, and history entries on secrets
// are redacted like every write's.
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/cid_repository.h"
#include "app/export_import.h"
#include "app/hashed_cid.h"
#include "app/interactions.h"
#include "app/schemas.h"
#include "gtest/gtest.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

class ImportSecretsTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  ImportSecretsTest() : store_(GetParam(), AppCatalog()) {}

  absl::StatusOr<ImportResult> Import(absl::string_view doc) {
    auto txn = store_.Write();
    absl::StatusOr<ImportResult> r = ApplyImport(*txn, doc);
    EXPECT_OK(txn->Commit());
    return r;
  }

  StoreHarness store_;
};

std::string DocWithCid(absl::string_view name, absl::string_view bytes) {
  return absl::StrCat(
      R"({"format": "viewer-export", "version": 1, "cids": [{"cid": ")", name,
      R"(", "base64": ")", absl::Base64Escape(bytes), R"("}]})");
}

TEST_P(ImportSecretsTest, AHashedCidKeepsItsHashedName) {
  const std::string output = "pw=hunter2-secret-value";  // literal-sized
  const std::string hashed = ComputeHashedCid(output);
  const std::string literal = ComputeCid(output);
  ASSERT_NE(hashed, literal);
  ASSERT_OK_AND_ASSIGN(ImportResult r, Import(DocWithCid(hashed, output)));
  EXPECT_EQ(r.cids_added, 1);

  auto txn = store_.Read();
  const CidRepository cids;
  ASSERT_OK_AND_ASSIGN(bool hashed_there, cids.Exists(*txn, hashed));
  EXPECT_TRUE(hashed_there);
  ASSERT_OK_AND_ASSIGN(bool literal_there, cids.Exists(*txn, literal));
  EXPECT_FALSE(literal_there) << "the secret is spelled in a stored name";
  ASSERT_OK_AND_ASSIGN(int64_t rows, cids.Count(*txn));
  EXPECT_EQ(rows, 1);
  ASSERT_OK_AND_ASSIGN(auto bytes, cids.Get(*txn, hashed));
  EXPECT_EQ(*bytes, output);
}

TEST_P(ImportSecretsTest, ImportingAHashedCidTwiceFindsItPresent) {
  const std::string output = "token=abc";
  const std::string doc = DocWithCid(ComputeHashedCid(output), output);
  ASSERT_OK(Import(doc));
  ASSERT_OK_AND_ASSIGN(ImportResult again, Import(doc));
  EXPECT_EQ(again.cids_added, 0);
  EXPECT_EQ(again.cids_present, 1);
}

TEST_P(ImportSecretsTest, HistoryOnASecretIsRedacted) {
  const std::string doc = R"({"format": "viewer-export", "version": 1,
    "secrets": [{"name": "TOKEN", "definition": "current-value"}],
    "history": {"page_views": [], "interactions": [
      {"entity_type": "secret", "entity_name": "TOKEN", "action": "update",
       "message": "rotated", "content": "old-value-1234"},
      {"entity_type": "variable", "entity_name": "v", "action": "create",
       "message": null, "content": "kept as it is"}]}})";
  ASSERT_OK(Import(doc));
  auto txn = store_.Read();
  ASSERT_OK_AND_ASSIGN(std::vector<Interaction> secret,
                       AllInteractions(*txn, "secret", "TOKEN"));
  ASSERT_EQ(secret.size(), 2u);  // the imported one and the import's create
  for (const Interaction& i : secret) {
    EXPECT_EQ(i.content, kRedactedContent) << i.action;
  }
  EXPECT_EQ(secret[0].message, "rotated");
  ASSERT_OK_AND_ASSIGN(std::vector<Interaction> variable,
                       AllInteractions(*txn, "variable", "v"));
  ASSERT_EQ(variable.size(), 1u);
  EXPECT_EQ(variable[0].content, "kept as it is");
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportSecretsTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
