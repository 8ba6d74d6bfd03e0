// What the fuzz targets (tests/fuzz/*_fuzz.cc) found, replayed as plain
// tests in the normal build. Each test names the target and the input,
// which is also kept in tests/fuzz/corpus/<target>/crash_* so the fuzzer
// starts from it.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/alias_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::viewer::testing::StatusIs;

std::vector<AliasRule> Rules(absl::string_view definition) {
  absl::StatusOr<std::vector<AliasRule>> rules =
      ParseAliasDefinition(definition);
  EXPECT_TRUE(rules.ok()) << rules.status();
  return rules.ok() ? *std::move(rules) : std::vector<AliasRule>{};
}

// alias_fuzz, corpus/alias/crash_open_redirect: a regex group copied from
// the request path made the target "//evil.example", which the app sent as
// "Location: //evil.example", a redirect to another host (and a group could
// carry '\' or a line break). A filled-in target must be a path on this
// site like any written target. Fixed in aa0ac14.
TEST(AliasFuzzRegression, RegexGroupNeverMakesAnotherHost) {
  const std::vector<AliasRule> rules = Rules("[regex] ^/go/(.*)$ -> /$1");
  EXPECT_EQ(MatchAliasRules(rules, "/go/docs"), "/docs");
  for (const char* path :
       {"/go//evil.example", "/go/\\evil.example", "/go//", "/go/\\/x"}) {
    std::optional<std::string> target = MatchAliasRules(rules, path);
    if (!target) continue;
    EXPECT_FALSE(target->size() >= 2 && (*target)[0] == '/' &&
                 ((*target)[1] == '/' || (*target)[1] == '\\'))
        << path << " -> " << *target;
    EXPECT_EQ(target->find('\\'), std::string::npos) << path;
  }
}

// alias_fuzz, corpus/alias/crash_regex_redos: std::regex backtracked
// exponentially, so one alias held a server thread for minutes on a short
// path (28 s for 18 characters in the release build; ~3x per character).
// Matching must stay fast for any accepted pattern. Fixed in aa0ac14.
TEST(AliasFuzzRegression, RegexMatchingIsNotExponential) {
  for (const char* definition :
       {"[regex] /(.*)*x -> /t", "[regex] /a*************x -> /t",
        "[regex] ^/go/(.**)$~ -> /t"}) {
    absl::StatusOr<std::vector<AliasRule>> rules =
        ParseAliasDefinition(definition);
    if (!rules.ok()) continue;  // refusing the pattern is a fix too
    const auto start = std::chrono::steady_clock::now();
    MatchAliasRules(*rules, "/" + std::string(40, 'a'));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1))
        << definition;
  }
}

// alias_fuzz, corpus/alias/crash_regex_int_overflow: libstdc++ reads the
// number of a back-reference or a {n,m} count into a long without an
// overflow check (regex_compiler.tcc, _M_cur_int_value), so this definition
// was signed-integer-overflow UB inside ParseAliasDefinition. Only a UBSan
// build shows it (the address+undefined build aborts; elsewhere the wrapped
// number happened to be refused). Such numbers must be refused before
// std::regex reads them. Fixed in aa0ac14. Patterns are now compiled by
// RE2, which reads such numbers safely (an octal escape and literal text);
// a count it cannot take is refused as too costly.
TEST(AliasFuzzRegression, HugeRegexNumbersAreReadSafely) {
  EXPECT_EQ(MatchAliasRules(Rules("[regex] /a{99999999999999999999} -> /x"),
                            "/a{99999999999999999999}"),
            "/x");
  absl::StatusOr<std::vector<AliasRule>> refused =
      ParseAliasDefinition("[regex] /a{1,99999999} -> /x");
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(refused.status().message()),
              ::testing::HasSubstr("too costly"));
}

}  // namespace
}  // namespace viewer
