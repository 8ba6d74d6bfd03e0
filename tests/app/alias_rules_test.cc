#include "app/alias_rules.h"

#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::testing::HasSubstr;
using ::viewer::testing::StatusIs;

std::optional<std::string> Route(absl::string_view definition,
                                 absl::string_view path) {
  absl::StatusOr<std::vector<AliasRule>> rules =
      ParseAliasDefinition(definition);
  EXPECT_TRUE(rules.ok()) << rules.status();
  if (!rules.ok()) return std::nullopt;
  return MatchAliasRules(*rules, path);
}

TEST(AliasRulesTest, LiteralRules) {
  EXPECT_EQ(Route("ai -> /ai_assist", "/ai"), "/ai_assist");
  EXPECT_EQ(Route("/ai -> /ai_assist", "/ai"), "/ai_assist");
  EXPECT_EQ(Route("ai -> /ai_assist", "/AI"), std::nullopt);
  EXPECT_EQ(Route("ai -> /ai_assist", "/ai/x"), std::nullopt);
  EXPECT_EQ(Route("ai -> /x [ignore-case]", "/AI"), "/x");
  EXPECT_EQ(Route("[ignore-case] ai -> /x", "/Ai"), "/x");
}

TEST(AliasRulesTest, CommentsAndBlankLines) {
  const char* def =
      "# docs moved\n"
      "\n"
      "   docs -> /new-docs   # the new place\n"
      "a#b -> /hash\n";
  EXPECT_EQ(Route(def, "/docs"), "/new-docs");
  EXPECT_EQ(Route(def, "/a#b"), "/hash");
  ASSERT_OK_AND_ASSIGN(auto rules, ParseAliasDefinition(def));
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].line, 3);
  EXPECT_EQ(rules[1].line, 4);
  ASSERT_OK_AND_ASSIGN(auto none, ParseAliasDefinition("# only\n\n"));
  EXPECT_TRUE(none.empty());
}

TEST(AliasRulesTest, FirstMatchWins) {
  EXPECT_EQ(Route("/a* -> /first [glob]\n/ab -> /second", "/ab"), "/first");
}

TEST(AliasRulesTest, GlobRules) {
  const char* def = "/old/* -> /new [glob]";
  EXPECT_EQ(Route(def, "/old/x"), "/new");
  EXPECT_EQ(Route(def, "/old/x/y"), "/new");  // * crosses slashes
  EXPECT_EQ(Route(def, "/old"), std::nullopt);
  EXPECT_EQ(Route("/f?le -> /t [glob]", "/file"), "/t");
  EXPECT_EQ(Route("/f?le -> /t [glob]", "/fle"), std::nullopt);
  EXPECT_EQ(Route("/F* -> /t [glob] [ignore-case]", "/foo"), "/t");
  EXPECT_EQ(Route("/a\\*b -> /t [glob]", "/a*b"), "/t");
  EXPECT_EQ(Route("/a\\*b -> /t [glob]", "/axb"), std::nullopt);
}

TEST(AliasRulesTest, GlobMatchIsLinearEnough) {
  EXPECT_TRUE(GlobMatch("*a*a*a*a*a*b", std::string(2000, 'a') + "b", false));
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*b", std::string(2000, 'a'), false));
  EXPECT_TRUE(GlobMatch("", "", false));
  EXPECT_FALSE(GlobMatch("", "x", false));
  EXPECT_TRUE(GlobMatch("***", "", false));
}

TEST(AliasRulesTest, RegexRulesWithGroups) {
  const char* def = "[regex] ^/u/([a-z]+)/(\\d+)$ -> /users/$1?id=$2&cost=$$5";
  EXPECT_EQ(Route(def, "/u/ada/42"), "/users/ada?id=42&cost=$5");
  EXPECT_EQ(Route(def, "/u/ada/x"), std::nullopt);
  // Whole-path match only.
  EXPECT_EQ(Route("/u/[a-z]+ -> /t [regex]", "/u/ada/more"), std::nullopt);
  EXPECT_EQ(Route("/u/[a-z]+ -> /t [regex] [ignore-case]", "/U/ADA"), "/t");
  // A regex starting with a class is not taken for a flag.
  EXPECT_EQ(Route("[regex] [/]x -> /t", "/x"), "/t");
}

TEST(AliasRulesTest, LongPathsNeverMatchARegex) {
  std::string path = "/" + std::string(kMaxAliasRegexInput + 1, 'a');
  EXPECT_EQ(Route("/a+ -> /t [regex]", path), std::nullopt);
  EXPECT_EQ(Route("/a* -> /t [glob]", path), "/t");
}

TEST(AliasRulesTest, Errors) {
  struct Case {
    const char* definition;
    const char* message_part;
  };
  const Case cases[] = {
      {"no arrow here", "line 1: expected 'pattern -> /target'"},
      {"x ->", "line 1: expected"},
      {"-> /x", "line 1: expected"},
      {"\n\na -> b", "line 3: the target must be a path starting with '/'"},
      {"a -> //evil.example", "starting with '/'"},
      {"a -> http://evil.example", "starting with '/'"},
      {"a -> /x\\y", "starting with '/'"},
      {"a -> /x [globb]", "unknown flag [globb]"},
      {"a -> /x extra", "unexpected 'extra'"},
      {"a -> /x [glob] [regex]", "choose one of"},
      {"[regex] ( -> /x", "bad regular expression"},
  };
  for (const Case& c : cases) {
    auto rules = ParseAliasDefinition(c.definition);
    EXPECT_THAT(rules, StatusIs(absl::StatusCode::kInvalidArgument))
        << c.definition;
    EXPECT_THAT(std::string(rules.status().message()), HasSubstr(c.message_part))
        << c.definition;
  }
  std::string long_regex = "[regex] /" + std::string(kMaxAliasRegexChars, 'a') +
                           " -> /x";
  EXPECT_THAT(ParseAliasDefinition(long_regex),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Found by tests/fuzz/alias_fuzz: a group must not turn the target into
// another host, or put a line break or backslash into the Location header.
TEST(AliasRulesTest, RegexGroupsStayOnThisSite) {
  const char* def = "[regex] ^/go/(.*)$ -> /$1";
  EXPECT_EQ(Route(def, "/go/docs/a"), "/docs/a");
  EXPECT_EQ(Route(def, "/go//evil.example"), "/evil.example");
  EXPECT_EQ(Route(def, "/go/\\evil.example"), "/%5Cevil.example");
  EXPECT_EQ(Route("[regex] ^/go/([\\s\\S]*)$ -> /$1",
                  "/go/a b\r\nSet-Cookie: x"),
            "/a%20b%0D%0ASet-Cookie:%20x");
  EXPECT_EQ(Route(def, "/go/q?x#y%"), "/q%3Fx%23y%25");
  EXPECT_EQ(Route("[regex] /(x*) -> /a/$1", "/"), "/a/");
}

TEST(AliasRulesTest, RegexMatchingIsNotExponential) {
  for (const char* def : {"[regex] /(.*)*x -> /t", "[regex] /(a+)+b -> /t",
                          "[regex] /a*************x -> /t",
                          "[regex] /(a|aa)*c -> /t"}) {
    ASSERT_OK_AND_ASSIGN(auto rules, ParseAliasDefinition(def));
    const auto start = absl::Now();
    EXPECT_EQ(MatchAliasRules(rules, "/" + std::string(kMaxAliasRegexInput - 1, 'a')),
              std::nullopt);
    EXPECT_LT(absl::Now() - start, absl::Seconds(1)) << def;
  }
}

TEST(AliasRulesTest, HugeRegexNumbersAndBackReferencesAreRefused) {
  struct Case {
    const char* definition;
    const char* message_part;
  };
  for (const Case& c :
       {Case{"[regex] /\\11111111111111111111 -> /x", "too large"},
        Case{"[regex] /a{99999999999999999999} -> /x", "too large"},
        Case{"[regex] /a{1,99999} -> /x", "too large"},
        Case{"[regex] /(a)\\1 -> /x", "bad regular expression"}}) {
    auto rules = ParseAliasDefinition(c.definition);
    EXPECT_THAT(rules, StatusIs(absl::StatusCode::kInvalidArgument))
        << c.definition;
    EXPECT_THAT(std::string(rules.status().message()), HasSubstr(c.message_part))
        << c.definition;
  }
  EXPECT_EQ(Route("[regex] /a{2,3} -> /x", "/aaa"), "/x");
  EXPECT_EQ(Route("[regex] /\\d{4}x -> /y", "/2024x"), "/y");
}

TEST(AliasRulesTest, WithQuery) {
  EXPECT_EQ(WithQuery("/t", ""), "/t");
  EXPECT_EQ(WithQuery("/t", "a=1&b=2"), "/t?a=1&b=2");
  EXPECT_EQ(WithQuery("/t?x=0", "a=1"), "/t?x=0&a=1");
}

}  // namespace
}  // namespace viewer
