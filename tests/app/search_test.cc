// Search without HTTP (app/search.h), on each backend.
#include "app/search.h"

#include <memory>
#include <string>
#include <vector>

#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/schemas.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::viewer::testing::AllBackends;
using ::viewer::testing::BackendKind;
using ::viewer::testing::BackendParamName;
using ::viewer::testing::StoreHarness;

class SearchTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  SearchTest() : h_(GetParam(), AppCatalog()) {
    std::unique_ptr<Transaction> txn = h_.Write();
    EXPECT_OK(CreateEntity(*txn, EntityKind::kServer,
                           {.name = "Greeter", .definition = "say HELLO"})
                  .status());
    EXPECT_OK(CreateEntity(*txn, EntityKind::kAlias,
                           {.name = "hello-alias", .definition = "x -> /y"})
                  .status());
    EXPECT_OK(CreateEntity(*txn, EntityKind::kSecret,
                           {.name = "token", .definition = "hello secret"})
                  .status());
    EXPECT_OK(CreateEntity(*txn, EntityKind::kVariable,
                           {.name = "other", .definition = "nothing"})
                  .status());
    // "hello" is stored as the literal CID AAAAAAAFaGVsbG8.
    EXPECT_OK(cids_.Create(*txn, "hello").status());
    EXPECT_OK(cids_.Create(*txn, "bye").status());
    EXPECT_OK(txn->Commit());
  }

  SearchResults Find(absl::string_view query) {
    std::unique_ptr<Transaction> txn = h_.Read();
    absl::StatusOr<SearchResults> found = Search(*txn, cids_, query);
    EXPECT_OK(found.status());
    return found.value_or(SearchResults{});
  }

  StoreHarness h_;
  const CidRepository cids_;
};

std::vector<std::string> Names(const SearchResults& r) {
  std::vector<std::string> names;
  for (const SearchHit& hit : r.entities) names.push_back(hit.name);
  return names;
}

TEST_P(SearchTest, MatchesNamesAndDefinitionsIgnoringAsciiCase) {
  SearchResults r = Find("hello");
  EXPECT_EQ(r.query, "hello");
  // By kind (servers, aliases, variables, secrets), then name; the secret
  // matches by name only, never by its value.
  EXPECT_THAT(Names(r), ElementsAre("Greeter", "hello-alias"));
  ASSERT_EQ(r.entities.size(), 2u);
  EXPECT_FALSE(r.entities[0].in_name);
  EXPECT_TRUE(r.entities[0].in_definition);
  EXPECT_EQ(r.entities[0].definition, "say HELLO");
  EXPECT_TRUE(r.entities[1].in_name);
  EXPECT_FALSE(r.entities[1].in_definition);
  EXPECT_THAT(r.cid_paths, IsEmpty());
}

TEST_P(SearchTest, SecretsMatchByNameOnly) {
  SearchResults r = Find("TOK");
  ASSERT_EQ(r.entities.size(), 1u);
  EXPECT_EQ(r.entities[0].kind, EntityKind::kSecret);
  EXPECT_TRUE(r.entities[0].in_name);
  EXPECT_EQ(r.entities[0].definition, "");
  EXPECT_THAT(Names(Find("secret")), IsEmpty());
}

TEST_P(SearchTest, MatchesStoredCidPaths) {
  SearchResults r = Find("aGVsbG8");  // base64url of "hello"
  EXPECT_THAT(r.cid_paths, ElementsAre("/AAAAAAAFaGVsbG8"));
  // Two stored CIDs, and the server's definition ("say HELLO"), which is
  // stored as a CID too.
  EXPECT_THAT(Find("/AAAAAA").cid_paths,
              ElementsAre("/AAAAAAADYnll", "/AAAAAAAFaGVsbG8",
                          "/AAAAAAAJc2F5IEhFTExP"));
}

TEST_P(SearchTest, AnEmptyQueryFindsNothing) {
  SearchResults r = Find("");
  EXPECT_THAT(r.entities, IsEmpty());
  EXPECT_THAT(r.cid_paths, IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Backends, SearchTest, AllBackends(), BackendParamName);

}  // namespace
}  // namespace viewer
