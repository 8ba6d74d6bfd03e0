// Where the stored aliases send a path (app/alias_resolver.h), on each
// backend, without HTTP.
#include "app/alias_resolver.h"

#include <memory>
#include <optional>
#include <string>

#include "app/entities.h"
#include "app/schemas.h"
#include "gtest/gtest.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::viewer::testing::AllBackends;
using ::viewer::testing::BackendKind;
using ::viewer::testing::BackendParamName;
using ::viewer::testing::StatusIs;
using ::viewer::testing::StoreHarness;

class AliasResolverTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  AliasResolverTest() : h_(GetParam(), AppCatalog()) {}

  void Alias(const std::string& name, std::optional<std::string> definition,
             bool enabled = true) {
    std::unique_ptr<Transaction> txn = h_.Write();
    ASSERT_NE(txn, nullptr);
    ASSERT_OK(CreateEntity(*txn, EntityKind::kAlias,
                           {.name = name,
                            .definition = std::move(definition),
                            .enabled = enabled})
                  .status());
    ASSERT_OK(txn->Commit());
  }

  std::optional<std::string> Resolve(absl::string_view path) {
    std::unique_ptr<Transaction> txn = h_.Read();
    absl::StatusOr<std::optional<std::string>> target =
        aliases_.Resolve(*txn, path);
    EXPECT_OK(target.status());
    return target.value_or(std::nullopt);
  }

  StoreHarness h_;
  AliasResolver aliases_;
};

TEST_P(AliasResolverTest, FirstEnabledAliasInNameOrderWins) {
  Alias("b", "/docs -> /from-b");
  Alias("a", "/docs -> /from-a");
  Alias("0-off", "/docs -> /from-disabled", /*enabled=*/false);
  Alias("null", std::nullopt);
  EXPECT_EQ(Resolve("/docs"), "/from-a");
  EXPECT_EQ(Resolve("/other"), std::nullopt);
}

TEST_P(AliasResolverTest, ATargetEqualToThePathIsPassedOver) {
  Alias("a", "[glob] /* -> /same");
  Alias("b", "/same -> /elsewhere");
  EXPECT_EQ(Resolve("/same"), "/elsewhere");
  EXPECT_EQ(Resolve("/x"), "/same");
}

TEST_P(AliasResolverTest, ADefinitionThatDoesNotParseRoutesNothing) {
  // Only a database written by something else holds one: the repository
  // itself does not check definitions.
  Alias("bad", "no arrow here");
  Alias("good", "/x -> /y");
  EXPECT_EQ(Resolve("/x"), "/y");
  EXPECT_THAT(aliases_.Rules("no arrow here"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "line 1: expected 'pattern -> /target'"));
}

TEST_P(AliasResolverTest, MatchNamesTheAliasAndTheRuleLine) {
  Alias("a", "# comment\n/same -> /same\n[glob] /docs/* -> /manual\n");
  Alias("b", "/same -> /elsewhere\n/docs/x -> /never");
  std::unique_ptr<Transaction> txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(std::optional<AliasMatch> docs,
                       aliases_.Match(*txn, "/docs/x"));
  ASSERT_TRUE(docs.has_value());
  EXPECT_EQ(docs->alias, "a");
  EXPECT_EQ(docs->line, 3);
  EXPECT_EQ(docs->pattern, "/docs/*");
  EXPECT_EQ(docs->target, "/manual");
  // a's rule for /same leads back to it, so b's first rule decides.
  ASSERT_OK_AND_ASSIGN(std::optional<AliasMatch> same,
                       aliases_.Match(*txn, "/same"));
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->alias, "b");
  EXPECT_EQ(same->line, 1);
  EXPECT_EQ(same->target, "/elsewhere");
  ASSERT_OK_AND_ASSIGN(std::optional<AliasMatch> none,
                       aliases_.Match(*txn, "/nothing"));
  EXPECT_FALSE(none.has_value());
}

TEST_P(AliasResolverTest, RulesAreParsedOnceAndShared) {
  ASSERT_OK_AND_ASSIGN(auto first, aliases_.Rules("/x -> /y"));
  ASSERT_OK_AND_ASSIGN(auto second, aliases_.Rules("/x -> /y"));
  EXPECT_EQ(first.get(), second.get());
}

INSTANTIATE_TEST_SUITE_P(Backends, AliasResolverTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer
