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

TEST(AliasRulesTest, GlobMatchingIsLinear) {
  const char* def = "/*a*a*a*a*a*b -> /t [glob]";
  EXPECT_EQ(Route(def, "/" + std::string(2000, 'a') + "b"), "/t");
  EXPECT_EQ(Route(def, "/" + std::string(2000, 'a')), std::nullopt);
  EXPECT_EQ(Route("/*** -> /t [glob]", "/"), "/t");
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

TEST(AliasRulesTest, LongPathsOnlyMatchLiterals) {
  std::string path = "/" + std::string(kMaxAliasRegexInput + 1, 'a');
  EXPECT_EQ(Route("/a+ -> /t [regex]", path), std::nullopt);
  EXPECT_EQ(Route("/a* -> /t [glob]", path), std::nullopt);
  EXPECT_EQ(Route(path + " -> /t", path), "/t");
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
      {"a -> /x [globb]", "unknown option [globb]"},
      {"a -> /x [glob, regex]", "choose one of"},
      {"/<x -> /t [flask]", "not closed"},
      {"/<a:x> -> /t [flask]", "unknown flask converter 'a'"},
      {"/<x>/<x> -> /t [flask]", "appears twice"},
      {"/<x> -> /<y> [flask]", "does not capture"},
      {" -> /x [glob]", "expected"},
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
       {Case{"[regex] /a{1,99999} -> /x", "too costly"},
        Case{"[regex] /a************x -> /x", "bad regular expression"},
        Case{"[regex] /(a)\\1 -> /x", "bad regular expression"}}) {
    auto rules = ParseAliasDefinition(c.definition);
    EXPECT_THAT(rules, StatusIs(absl::StatusCode::kInvalidArgument))
        << c.definition;
    EXPECT_THAT(std::string(rules.status().message()), HasSubstr(c.message_part))
        << c.definition;
  }
  // RE2 reads these as an octal escape and as literal text: harmless.
  EXPECT_EQ(Route("[regex] /\\11111111111111111111 -> /x",
                  "/I" + std::string(17, '1')),
            "/x");
  EXPECT_EQ(Route("[regex] /a{99999999999999999999} -> /x",
                  "/a{99999999999999999999}"),
            "/x");
  EXPECT_EQ(Route("[regex] /a{2,3} -> /x", "/aaa"), "/x");
  EXPECT_EQ(Route("[regex] /\\d{4}x -> /y", "/2024x"), "/y");
}

// A pattern whose matching could take long is refused when saved, with a
// message that says so.
TEST(AliasRulesTest, CostlyPatternsAreRefused) {
  for (const std::string& pattern :
       {std::string("/(.*.*.*.*.*.*.*.*.*.*){3000}x"),
        std::string("/(.*.*.*.*.*.*.*.*.*.*){100}x"),
        std::string("/((((((((((a))))))))))"),
        "/" + std::string(kMaxAliasRegexChars, 'a')}) {
    auto rules = ParseAliasDefinition("[regex] " + pattern + " -> /ok");
    EXPECT_THAT(rules, StatusIs(absl::StatusCode::kInvalidArgument))
        << pattern;
    EXPECT_THAT(std::string(rules.status().message()),
                HasSubstr("line 1: too costly: "))
        << pattern;
  }
  EXPECT_EQ(Route("[regex] /((((((((a)))))))) -> /ok", "/a"), "/ok");
}

// Each rule spends program size x (path length + 1) steps; a rule the
// budget cannot pay for does not match, and cheaper rules after it still
// may.
TEST(AliasRulesTest, MatchingSpendsABudget) {
  ASSERT_OK_AND_ASSIGN(auto rules,
                       ParseAliasDefinition("[regex] /(a|b)*c -> /regex\n"
                                            "/abc -> /literal"));
  ASSERT_GT(rules[0].cost, 0);
  const std::string path = "/abc";
  const int64_t one_match = rules[0].cost * 5;
  AliasMatchBudget enough(one_match);
  std::optional<AliasMatch> got = MatchAliasRules(rules, path, enough);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->target, "/regex");
  EXPECT_EQ(got->rule, &rules[0]);
  EXPECT_EQ(enough.left(), 0);
  EXPECT_EQ(enough.skipped(), 0);
  AliasMatchBudget short_by_one(one_match - 1);
  got = MatchAliasRules(rules, path, short_by_one);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->target, "/literal");
  EXPECT_EQ(short_by_one.skipped(), 1);
  EXPECT_EQ(short_by_one.left(), one_match - 1);
}

TEST(AliasRulesTest, SummaryReportsEachLine) {
  const std::vector<AliasLine> lines = SummarizeAliasDefinition(
      "# comment\n"
      "a -> /b\n"
      "[regex] /(.*.*.*.*.*.*.*.*.*.*){3000}x -> /ok\n"
      "no arrow\n");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].line, 2);
  ASSERT_TRUE(lines[0].rule.has_value());
  EXPECT_FALSE(lines[0].too_costly);
  EXPECT_EQ(lines[1].line, 3);
  EXPECT_FALSE(lines[1].rule.has_value());
  EXPECT_TRUE(lines[1].too_costly);
  EXPECT_THAT(lines[1].error, HasSubstr("too costly"));
  EXPECT_FALSE(lines[2].too_costly);
  EXPECT_EQ(lines[2].error, "expected 'pattern -> /target'");
}

TEST(AliasRulesTest, Variables) {
  absl::flat_hash_map<std::string, std::string> vars = {{"a", "x"},
                                                        {"b.c-d_", "y"}};
  EXPECT_EQ(SubstituteAliasVariables("{a}/{b.c-d_}/{z}/{a b}/{}/{a", vars),
            "x/y/{z}/{a b}/{}/{a");
  EXPECT_EQ(SubstituteAliasVariables("{a}", {}), "{a}");
}

TEST(AliasRulesTest, WithQuery) {
  EXPECT_EQ(WithQuery("/t", ""), "/t");
  EXPECT_EQ(WithQuery("/t", "a=1&b=2"), "/t?a=1&b=2");
  EXPECT_EQ(WithQuery("/t?x=0", "a=1"), "/t?x=0&a=1");
}

}  // namespace
}  // namespace viewer
