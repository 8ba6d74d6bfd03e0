// The alias language (app/alias_rules.h, docs/aliases.md) as one table:
// a definition, the saved variables it may name, a request path, and where
// the path is sent (or nullptr: no rule matches). Every rule kind, option,
// nesting and variables.
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "app/alias_rules.h"
#include "gtest/gtest.h"

namespace viewer {
namespace {

struct Case {
  const char* definition;
  const char* path;
  const char* expected;  // nullptr: no match
  std::vector<std::pair<std::string, std::string>> variables = {};
};

// The original application's boot alias for the local jsonplaceholder
// gateway, as it ships it (literal), and the same with [glob].
constexpr char kJsonPlaceholder[] =
    "/gateway/jsonplaceholder/** -> /gateway/test/hrx/"
    "AAAAAAZCSIClksiwHZUoWgcSYgxDmR2pj2mgV1rz-oCey_hAB0soDmvPZ3ymH6P6NhOTDvgdbP"
    "TQHj8dqABcQw42a6wx5A/as/jsonplaceholder/**";
constexpr char kJsonPlaceholderGlob[] =
    "/gateway/jsonplaceholder/** -> /gateway/test/hrx/"
    "AAAAAAZCSIClksiwHZUoWgcSYgxDmR2pj2mgV1rz-oCey_hAB0soDmvPZ3ymH6P6NhOTDvgdbP"
    "TQHj8dqABcQw42a6wx5A/as/jsonplaceholder/** [glob]";

constexpr char kNested[] =
    "api -> /servers/api\n"
    "  v1 -> /servers/api_v1\n"
    "    users -> /servers/users\n"
    "  <int:id> -> /servers/item/<id> [flask]\n"
    "  *.txt -> /text/* [glob]\n"
    "  ^raw/(\\w+)$ -> /raw/$1 [regex]\n"
    "docs -> /d\n"
    "\tguide -> /g\n";

const Case kCases[] = {
    // Literal: with or without the leading '/', trailing '/' ignored.
    {"ai -> /ai_assist", "/ai", "/ai_assist"},
    {"/ai -> /ai_assist", "/ai", "/ai_assist"},
    {"ai/ -> /t", "/ai", "/t"},
    {"ai -> /t", "/ai/", "/t"},
    {"ai -> /t", "/ai/x", nullptr},
    {"ai -> /t", "/AI", nullptr},
    {"ai -> /t [ignore-case]", "/AI", "/t"},
    {"ai -> /t [IgnoreCase]", "/aI", "/t"},
    {"[ignore-case] ai -> /t", "/Ai", "/t"},
    {"/ -> /home", "/", "/home"},
    // Comments, blank lines and declaration order.
    {"# moved\n\n docs -> /new # where\n", "/docs", "/new"},
    {"a#b -> /hash", "/a#b", "/hash"},
    {"/a* -> /first [glob]\n/ab -> /second", "/ab", "/first"},
    {"/ab -> /second\n/a* -> /first [glob]", "/ab", "/second"},
    // Glob: wildcards carried into the target in order.
    {"/old/* -> /new [glob]", "/old/x/y", "/new"},
    {"/old/* -> /new/* [glob]", "/old/x/y", "/new/x/y"},
    {"/a/*/b/* -> /x/*/y/* [glob]", "/a/1/b/2", "/x/1/y/2"},
    {"/a/*/b/* -> /x/*/* [glob]", "/a/1/b/2", "/x/1/2"},
    {"/a/* -> /x/*/* [glob]", "/a/1", "/x/1/*"},
    {"/a/**/b -> /x/** [glob]", "/a/1/2/b", "/x/1/2"},
    {"/f?le -> /t [glob]", "/file", "/t"},
    {"/f?le -> /t [glob]", "/fle", nullptr},
    {"/v[0-9] -> /t [glob]", "/v7", "/t"},
    {"/v[!0-9] -> /t [glob]", "/v7", nullptr},
    {"/a\\*b -> /t [glob]", "/a*b", "/t"},
    {"/F* -> /t/* [glob, ignore-case]", "/foo", "/t/oo"},
    {"/F* -> /t [Glob,IGNORE-CASE]", "/fOO", "/t"},
    {"docs/** -> /d/** [glob]", "/docs/a/b.txt", "/d/a/b.txt"},
    {"/g/* -> /x/* [glob]", "/g/a b?", "/x/a%20b%3F"},
    {kJsonPlaceholder, "/gateway/jsonplaceholder/**",
     "/gateway/test/hrx/AAAAAAZCSIClksiwHZUoWgcSYgxDmR2pj2mgV1rz-oCey_hAB0soD"
     "mvPZ3ymH6P6NhOTDvgdbPTQHj8dqABcQw42a6wx5A/as/jsonplaceholder/**"},
    {kJsonPlaceholder, "/gateway/jsonplaceholder/posts/1", nullptr},
    {kJsonPlaceholderGlob, "/gateway/jsonplaceholder/posts/1",
     "/gateway/test/hrx/AAAAAAZCSIClksiwHZUoWgcSYgxDmR2pj2mgV1rz-oCey_hAB0soD"
     "mvPZ3ymH6P6NhOTDvgdbPTQHj8dqABcQw42a6wx5A/as/jsonplaceholder/posts/1"},
    // Regex: whole-path match, groups into $1..$9, '/' optional.
    {"^/u/([a-z]+)/(\\d+)$ -> /users/$1?id=$2&c=$$5 [regex]", "/u/ada/42",
     "/users/ada?id=42&c=$5"},
    {"[regex] /u/[a-z]+ -> /t", "/u/ada/more", nullptr},
    {"u/(\\d+) -> /user/$1 [regex]", "/u/7", "/user/7"},
    {"[regex] (?P<name>[a-z]+)\\.md -> /md/$1", "/read.md", "/md/read"},
    {"/U/[a-z]+ -> /t [regex, ignore-case]", "/u/ADA", "/t"},
    {"[regex] ^/go/(.*)$ -> /$1", "/go//evil.example", "/evil.example"},
    {"[regex] [/]x -> /t", "/x", "/t"},
    // Flask: placeholders carried by name.
    {"/user/<name> -> /users/<name> [flask]", "/user/ada", "/users/ada"},
    {"/user/<name> -> /users/<name> [flask]", "/user/ada/x", nullptr},
    {"/post/<int:id> -> /p?id=<id> [flask]", "/post/42", "/p?id=42"},
    {"/post/<int:id> -> /p/<int:id> [flask]", "/post/x", nullptr},
    {"files/<path:rest> -> /f/<rest> [flask]", "/files/a/b", "/f/a/b"},
    {"/v/<float:x> -> /v?x=<x> [flask]", "/v/1.5", "/v?x=1.5"},
    {"/a/<x>/b/<y> -> /<y>/<x> [flask, ignore-case]", "/A/1/B/2", "/2/1"},
    {"/o/<uuid:u> -> /u/<u> [flask]",
     "/o/123e4567-e89b-12d3-a456-426614174000",
     "/u/123e4567-e89b-12d3-a456-426614174000"},
    // Nesting by indentation.
    {kNested, "/api", "/servers/api"},
    {kNested, "/api/v1", "/servers/api_v1"},
    {kNested, "/api/v1/users", "/servers/users"},
    {kNested, "/v1", nullptr},
    {kNested, "/api/17", "/servers/item/17"},
    {kNested, "/api/notes.txt", "/text/notes"},
    {kNested, "/api/raw/abc", "/raw/abc"},
    {kNested, "/raw/abc", nullptr},
    {kNested, "/docs/guide", "/g"},
    // Saved variables in braces, in targets and patterns.
    {"/status -> /{status-page}", "/status", "/servers/status",
     {{"status-page", "servers/status"}}},
    {"/{section}/* -> /s/* [glob]", "/news/today", "/s/today",
     {{"section", "news"}}},
    {"/x -> /{unknown}", "/x", "/{unknown}"},
    {"[regex] /a{2} -> /two", "/aa", "/two", {{"other", "1"}}},
};

TEST(AliasLanguageTest, Table) {
  ASSERT_GE(std::size(kCases), 40u);
  for (const Case& c : kCases) {
    absl::flat_hash_map<std::string, std::string> variables(
        c.variables.begin(), c.variables.end());
    const std::string definition =
        SubstituteAliasVariables(c.definition, variables);
    absl::StatusOr<std::vector<AliasRule>> rules =
        ParseAliasDefinition(definition);
    ASSERT_TRUE(rules.ok()) << c.definition << ": " << rules.status();
    const std::optional<std::string> got = MatchAliasRules(*rules, c.path);
    const std::optional<std::string> want =
        c.expected ? std::optional<std::string>(c.expected) : std::nullopt;
    EXPECT_EQ(got, want) << "definition:\n"
                         << c.definition << "\npath: " << c.path;
  }
}

TEST(AliasLanguageTest, NestedPatternsAreShownResolved) {
  absl::StatusOr<std::vector<AliasRule>> rules = ParseAliasDefinition(kNested);
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->size(), 8u);
  EXPECT_EQ((*rules)[2].pattern, "/api/v1/users");
  EXPECT_EQ((*rules)[2].depth, 2);
  EXPECT_EQ((*rules)[3].pattern, "/api/<int:id>");
  EXPECT_EQ((*rules)[4].pattern, "/api/*.txt");
  EXPECT_EQ((*rules)[7].pattern, "/docs/guide");
}

TEST(AliasLanguageTest, AnEmptyPatternIsTheAliasName) {
  absl::StatusOr<std::vector<AliasRule>> rules =
      ParseAliasDefinition(" -> /t\n  sub -> /s", "help");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(MatchAliasRules(*rules, "/help"), "/t");
  EXPECT_EQ(MatchAliasRules(*rules, "/help/sub"), "/s");
}

}  // namespace
}  // namespace viewer
