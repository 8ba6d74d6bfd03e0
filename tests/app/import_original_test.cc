// The original application's export documents (format version 6) through
// ApplyImport (app/export_import.h), on each backend. The documents are
// written here by hand from the format's description (docs/import.md):
// sections stored as CIDs whose content "cid_values" carries, secrets
// encrypted with the original's scheme.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/export_import.h"
#include "app/interactions.h"
#include "app/internal/original_reader.h"
#include "app/schemas.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/app/store_io_util.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using json = nlohmann::ordered_json;

// "s3cret-from-original" encrypted with the key "correct horse" and the IV
// 00 01 .. 0f, computed from the scheme's description by an independent
// script (SHA-256 keystream, HMAC-SHA256 over IV and ciphertext).
constexpr char kKey[] = "correct horse";
constexpr char kToken[] =
    "AAECAwQFBgcICQoLDA0OD5K5tQdCcqltTQHFD03h8c9n_z_BKoQ5__l5lxIdKIplbQemQGV6"
    "50E8t5bo8AskVc4ng3I=";

constexpr char kAliases[] = R"([
  {"name": "docs", "definition_cid": "AAAAAAAOL2RvY3MgLT4gL2hlbHA", "enabled": true}
])";
// A server definition long enough for a hashed CID.
const std::string kServerCode =
    absl::StrCat("def main(request):\n    return {'output': 'hello'}\n",
                 std::string(40, '#'));
constexpr char kVariables[] = R"([
  {"name": "city", "definition": "Paris", "enabled": "false"}
])";
constexpr char kHistory[] = R"({
  "variables": {"city": [{"timestamp": "2023-05-01T12:00:00+00:00",
                           "message": " first save ", "action": "save"}]},
  "secrets": {"TOKEN": [{"timestamp": "2023-05-02T08:30:00.250000Z",
                          "message": "rotated", "action": ""}]}
})";

std::string SecretsSection(absl::string_view token) {
  return json{{"encryption", "xor-hmac-sha256"},
              {"items",
               {{{"name", "TOKEN"},
                 {"ciphertext", std::string(token)},
                 {"enabled", true}}}}}
      .dump(2);
}

// A version-6 document: every section a CID, its text in cid_values.
std::string OriginalDocument(bool with_secrets,
                             absl::string_view token = kToken) {
  const std::string servers =
      json::array({{{"name", "hello"},
                    {"definition_cid", ComputeCid(kServerCode)},
                    {"enabled", true}}})
          .dump(2);
  json doc = {{"version", 6}, {"runtime", ComputeCid("{}")}};
  json values = {{ComputeCid(kServerCode), kServerCode}};
  std::vector<std::pair<std::string, std::string>> sections = {
      {"aliases", kAliases},
      {"servers", servers},
      {"variables", kVariables},
      {"change_history", kHistory}};
  if (with_secrets) sections.push_back({"secrets", SecretsSection(token)});
  for (const auto& [key, text] : sections) {
    doc[key] = ComputeCid(text);
    values[ComputeCid(text)] = text;
  }
  doc["cid_values"] = values;
  return doc.dump(2);
}

class ImportOriginalTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  ImportOriginalTest() : store_(GetParam(), AppCatalog()) {}

  absl::StatusOr<ImportResult> Import(absl::string_view doc,
                                      std::string key = "") {
    auto txn = store_.Write();
    const CidRepository cids;  // the store's table
    absl::StatusOr<ImportResult> r =
        ApplyImport(*txn, doc, {.secret_key = std::move(key), .cids = &cids});
    EXPECT_OK(txn->Commit());
    return r;
  }

  Entity Get(EntityKind kind, absl::string_view name) {
    auto txn = store_.Read();
    absl::StatusOr<Entity> e = GetEntity(*txn, kind, name);
    EXPECT_OK(e.status());
    return e.ok() ? *e : Entity{};
  }

  StoreHarness store_;
};

TEST(OriginalSecretTest, DecryptsTheOriginalsScheme) {
  ASSERT_OK_AND_ASSIGN(std::string plain,
                       app_internal::DecryptOriginalSecret(kToken, kKey));
  EXPECT_EQ(plain, "s3cret-from-original");
  absl::StatusOr<std::string> wrong =
      app_internal::DecryptOriginalSecret(kToken, "wrong");
  EXPECT_THAT(wrong, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(wrong.status().message(), HasSubstr("does not decrypt"));
  EXPECT_THAT(app_internal::DecryptOriginalSecret("AAEC", kKey),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const std::string iv(16, 'i');
  EXPECT_EQ(*app_internal::DecryptOriginalSecret(
                app_internal::EncryptOriginalSecret("x y z", "k", iv), "k"),
            "x y z");
}

TEST_P(ImportOriginalTest, SectionsStoredAsCidsAreImported) {
  ASSERT_OK_AND_ASSIGN(ImportResult r, Import(OriginalDocument(false)));
  EXPECT_EQ(r.aliases.created, 1);
  EXPECT_EQ(r.servers.created, 1);
  EXPECT_EQ(r.variables.created, 1);
  EXPECT_EQ(r.secrets, ImportCounts{});
  EXPECT_EQ(r.interactions, 2);
  EXPECT_EQ(r.cids_added, 5);  // the definition and four sections

  EXPECT_EQ(Get(EntityKind::kAlias, "docs").definition, "/docs -> /help");
  Entity server = Get(EntityKind::kServer, "hello");
  EXPECT_EQ(server.definition, kServerCode);
  EXPECT_FALSE(server.enabled);  // code is never run
  Entity city = Get(EntityKind::kVariable, "city");
  EXPECT_EQ(city.definition, "Paris");
  EXPECT_FALSE(city.enabled);  // "false" as the original reads it

  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_THAT(r.notes[0], HasSubstr("server \"hello\": imported disabled"));
  EXPECT_THAT(r.notes[1], HasSubstr("\"runtime\" is not imported"));

  auto txn = store_.Read();
  ASSERT_OK_AND_ASSIGN(std::vector<Interaction> city_history,
                       AllInteractions(*txn, "variable", "city"));
  ASSERT_EQ(city_history.size(), 2u);  // the original's save, then create
  EXPECT_EQ(city_history[0].action, "save");
  EXPECT_EQ(city_history[0].message, "first save");
  EXPECT_EQ(city_history[0].created_at.ToString(),
            "2023-05-01 12:00:00.000000");
  ASSERT_OK_AND_ASSIGN(std::vector<Interaction> server_history,
                       AllInteractions(*txn, "server", "hello"));
  ASSERT_EQ(server_history.size(), 2u);
  EXPECT_EQ(server_history[1].action, "import");
  EXPECT_THAT(server_history[1].message.value_or(""),
              HasSubstr("never runs code"));
  ASSERT_OK_AND_ASSIGN(std::vector<Interaction> secret_history,
                       AllInteractions(*txn, "secret", "TOKEN"));
  ASSERT_EQ(secret_history.size(), 1u);
  EXPECT_EQ(secret_history[0].action, "save");
  EXPECT_EQ(secret_history[0].content, kRedactedContent);
}

TEST_P(ImportOriginalTest, ImportingTwiceAddsNoHistoryAndChangesNothing) {
  ASSERT_OK(Import(OriginalDocument(false)));
  store_.clock().Advance(absl::Minutes(1));
  ASSERT_OK_AND_ASSIGN(ImportResult again, Import(OriginalDocument(false)));
  EXPECT_EQ(again.interactions, 0);  // as a boot image at every start
  EXPECT_EQ(again.servers, (ImportCounts{.unchanged = 1}));
  EXPECT_EQ(again.aliases, (ImportCounts{.unchanged = 1}));
  EXPECT_EQ(again.cids_added, 0);
  auto txn = store_.Read();
  ASSERT_OK_AND_ASSIGN(std::vector<Interaction> city_history,
                       AllInteractions(*txn, "variable", "city"));
  EXPECT_EQ(city_history.size(), 2u);
}

TEST_P(ImportOriginalTest, EncryptedSecretsWithTheKeyAreImported) {
  ASSERT_OK_AND_ASSIGN(ImportResult r, Import(OriginalDocument(true), kKey));
  EXPECT_EQ(r.secrets.created, 1);
  EXPECT_TRUE(r.skipped_secrets.empty());
  EXPECT_EQ(Get(EntityKind::kSecret, "TOKEN").definition,
            "s3cret-from-original");
}

TEST_P(ImportOriginalTest, EncryptedSecretsWithoutAKeyAreSkippedByName) {
  ASSERT_OK_AND_ASSIGN(ImportResult r, Import(OriginalDocument(true)));
  EXPECT_EQ(r.secrets, ImportCounts{});
  EXPECT_THAT(r.skipped_secrets, ElementsAre("TOKEN"));
  EXPECT_THAT(r.Summary(), HasSubstr("secrets not imported (no key): TOKEN"));
  EXPECT_EQ(r.servers.created, 1);  // the rest is imported
  auto txn = store_.Read();
  ASSERT_OK_AND_ASSIGN(bool exists,
                       EntityExists(*txn, EntityKind::kSecret, "TOKEN"));
  EXPECT_FALSE(exists);
}

TEST_P(ImportOriginalTest, AWrongKeyRefusesTheWholeDocument) {
  ASSERT_OK_AND_ASSIGN(StoreContents before, ReadContents(store_.store()));
  absl::StatusOr<ImportResult> r =
      Import(OriginalDocument(true), "not the key");
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(r.status().message(),
              HasSubstr("secrets.items[0].ciphertext: the key does not "
                        "decrypt"));
  ASSERT_OK_AND_ASSIGN(StoreContents after, ReadContents(store_.store()));
  ExpectSameContents(before, after);
}

TEST_P(ImportOriginalTest, BadEntriesAreNamedAndNothingIsImported) {
  const std::string aliases =
      R"([{"name": "evil", "definition": "/a -> //evil.example"},
          {"name": "bad name/", "definition": "/b -> /c"}])";
  json doc = {
      {"version", 6},
      {"aliases", ComputeCid(aliases)},
      {"servers", json::array({{{"name", "s"},
                                {"definition_cid", ComputeCid(kServerCode)}}})},
      {"cid_values", {{ComputeCid(aliases), aliases}}}};
  absl::StatusOr<ImportResult> r = Import(doc.dump());
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(r.status().message(),
              HasSubstr("aliases[0].definition: alias definition"));
  EXPECT_THAT(r.status().message(), HasSubstr("aliases[1].name"));
  EXPECT_THAT(r.status().message(),
              HasSubstr("servers[0].definition_cid: the content of CID"));
  auto txn = store_.Read();
  ASSERT_OK_AND_ASSIGN(int64_t aliases_there,
                       CountEntities(*txn, EntityKind::kAlias));
  EXPECT_EQ(aliases_there, 0);
}

TEST_P(ImportOriginalTest, SectionsMayBeInlineAndCidsFoundInTheStore) {
  {
    auto txn = store_.Write();
    ASSERT_OK(CidRepository().Create(*txn, kServerCode));
    ASSERT_OK(txn->Commit());
  }
  json doc = {
      {"version", 6},
      {"servers", json::array({{{"name", "s"},
                                {"definition_cid",
                                 "/" + ComputeCid(kServerCode) + ".py"}}})}};
  ASSERT_OK_AND_ASSIGN(ImportResult r, Import(doc.dump()));
  EXPECT_EQ(r.servers.created, 1);
  EXPECT_EQ(Get(EntityKind::kServer, "s").definition, kServerCode);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportOriginalTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
