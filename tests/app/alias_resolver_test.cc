// Where the stored aliases send a path (app/alias_resolver.h), on each
// backend, without HTTP.
#include "app/alias_resolver.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
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

  void Variable(const std::string& name, const std::string& value,
                bool enabled = true) {
    std::unique_ptr<Transaction> txn = h_.Write();
    ASSERT_NE(txn, nullptr);
    ASSERT_OK(CreateEntity(*txn, EntityKind::kVariable,
                           {.name = name, .definition = value,
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

TEST_P(AliasResolverTest, ALineThatDoesNotParseRoutesNothing) {
  // Only a database written by something else holds one: the repository
  // itself does not check definitions. The other lines still route.
  Alias("bad", "no arrow here\n/z -> /zz");
  Alias("good", "/x -> /y");
  EXPECT_EQ(Resolve("/x"), "/y");
  EXPECT_EQ(Resolve("/z"), "/zz");
  auto lines = aliases_.Parsed("bad", "no arrow here");
  ASSERT_EQ(lines->size(), 1u);
  EXPECT_EQ((*lines)[0].error, "expected 'pattern -> /target'");
}

TEST_P(AliasResolverTest, ExplainNamesTheAliasAndTheRuleLine) {
  Alias("a", "# comment\n/same -> /same\n[glob] /docs/* -> /manual\n");
  Alias("b", "/same -> /elsewhere\n/docs/x -> /never");
  std::unique_ptr<Transaction> txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(AliasResolution docs, aliases_.Explain(*txn, "/docs/x"));
  ASSERT_TRUE(docs.matched);
  EXPECT_EQ(docs.alias, "a");
  EXPECT_EQ(docs.line.line, 3);
  ASSERT_TRUE(docs.line.rule.has_value());
  EXPECT_EQ(docs.line.rule->pattern, "/docs/*");
  EXPECT_EQ(docs.target, "/manual");
  // a's rule for /same leads back to it, so b's first rule decides.
  ASSERT_OK_AND_ASSIGN(AliasResolution same, aliases_.Explain(*txn, "/same"));
  ASSERT_TRUE(same.matched);
  EXPECT_EQ(same.alias, "b");
  EXPECT_EQ(same.line.line, 1);
  EXPECT_EQ(same.target, "/elsewhere");
  ASSERT_OK_AND_ASSIGN(AliasResolution none,
                       aliases_.Explain(*txn, "/nothing"));
  EXPECT_FALSE(none.matched);
}

TEST_P(AliasResolverTest, RulesAreParsedOnceAndShared) {
  auto first = aliases_.Parsed("a", "/x -> /y");
  auto second = aliases_.Parsed("a", "/x -> /y");
  EXPECT_EQ(first.get(), second.get());
}

TEST_P(AliasResolverTest, EnabledVariablesFillBraces) {
  Variable("status-page", "servers/status");
  Variable("off", "nowhere", /*enabled=*/false);
  Alias("a", "/status -> /{status-page}\n/o -> /{off}");
  EXPECT_EQ(Resolve("/status"), "/servers/status");
  EXPECT_EQ(Resolve("/o"), "/{off}");
}

TEST_P(AliasResolverTest, ExplainNamesTheAliasAndRule) {
  Alias("a", "# first\n/x -> /y\n/p/* -> /q/* [glob]");
  std::unique_ptr<Transaction> txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(AliasResolution r, aliases_.Explain(*txn, "/p/1"));
  EXPECT_TRUE(r.matched);
  EXPECT_EQ(r.alias, "a");
  EXPECT_EQ(r.line.line, 3);
  EXPECT_EQ(r.target, "/q/1");
  EXPECT_EQ(r.rules_tried, 2);
  ASSERT_OK_AND_ASSIGN(AliasResolution none, aliases_.Explain(*txn, "/n"));
  EXPECT_FALSE(none.matched);
  EXPECT_EQ(none.over_budget, 0);
}

// Rules that are each allowed but together cost more than one request's
// budget: those past it do not match, and a literal rule after them still
// does.
TEST_P(AliasResolverTest, ARequestSpendsOneBudget) {
  const std::string costly = "[regex] /(a|b|c|d|e|f|g|h){1,60}z -> /costly";
  ASSERT_OK_AND_ASSIGN(auto rules, ParseAliasDefinition(costly));
  const std::string path = "/" + std::string(kMaxAliasRegexInput - 1, 'a');
  const int64_t per_rule =
      rules[0].cost * static_cast<int64_t>(path.size() + 1);
  const int64_t fit = kAliasMatchBudget / per_rule;
  ASSERT_LT(fit, 60);
  const int aliases = static_cast<int>(fit) + 3;
  for (int i = 0; i < aliases; ++i) Alias(absl::StrCat("c", 10 + i), costly);
  Alias("z", path + " -> /literal");
  std::unique_ptr<Transaction> txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(AliasResolution r, aliases_.Explain(*txn, path));
  EXPECT_TRUE(r.matched);
  EXPECT_EQ(r.target, "/literal");
  EXPECT_EQ(r.over_budget, 3);
}
INSTANTIATE_TEST_SUITE_P(Backends, AliasResolverTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer
