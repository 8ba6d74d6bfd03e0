// Alias definitions: the text of an alias says which request paths it
// redirects, and where (docs/design.md, "Servers and aliases"). Every
// writer of an alias checks its definition with ParseAliasDefinition
// (through ValidateEntityDefinition, app/entities.h).
//
//   absl::StatusOr<std::vector<AliasRule>> rules = ParseAliasDefinition(
//       "# docs moved\n"
//       "docs -> /AAAAAAAFaGVsbG8.txt\n"
//       "/old/* -> /new [glob]\n"
//       "[regex] [ignore-case] ^/u/([a-z]+)$ -> /users/$1\n");
//   std::optional<std::string> target = MatchAliasRules(*rules, "/U/ada");
//   // "/users/ada"
//
// One rule per line: `pattern -> target`, with optional flags, each in
// brackets, before the pattern or after the target:
//   [glob]         `*` matches any run of characters (slashes included),
//                  `?` any one character, `\` makes the next one literal
//   [regex]        an ECMAScript regular expression that must match the
//                  whole path; `$1`..`$9` in the target insert its groups
//                  (percent-encoded: only A-Z a-z 0-9 - . _ ~ / and
//                  ! $ & ' ( ) * + , ; = : @ stay as they are) and `$$` a
//                  dollar sign. Leading slashes of the result collapse into
//                  one, so a group can never make "//other.host". Matching
//                  runs in time linear in the path (libstdc++'s
//                  breadth-first matcher), so back-references are refused.
//   [ignore-case]  ASCII letters match either case
// Without [glob] or [regex] the pattern is literal and matches exactly.
// Literal and glob patterns not starting with '/' get one ("docs" is
// "/docs"). A `#` at the start of a line or after a space starts a comment;
// blank lines are skipped. The target is a path on this site: it starts
// with '/', not "//", and holds no spaces or backslashes.
//
// Errors: kInvalidArgument naming the line, e.g.
//   "line 2: expected 'pattern -> /target'"
//   "line 2: unknown flag [globb] (flags: [glob] [regex] [ignore-case])"
//   "line 2: the target must be a path starting with '/', got 'x'"
//   "line 2: bad regular expression: ..."
//   "line 2: a repetition count or back-reference number in the regular
//    expression is too large" (more than 4 digits)
//
// Thread safety: pure functions; rules are immutable once parsed and may be
// shared between threads. Meant to be fuzzed: nothing here throws (regex
// errors are caught), glob matching does not recurse, and regular
// expressions are limited to kMaxAliasRegexChars characters and paths of
// at most kMaxAliasRegexInput characters (longer paths never match a regex).
#ifndef VIEWER_APP_ALIAS_RULES_H_
#define VIEWER_APP_ALIAS_RULES_H_

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace viewer {

inline constexpr size_t kMaxAliasRegexChars = 500;
inline constexpr size_t kMaxAliasRegexInput = 2048;

enum class AliasPatternKind { kLiteral, kGlob, kRegex };

struct AliasRule {
  AliasPatternKind kind = AliasPatternKind::kLiteral;
  bool ignore_case = false;
  // Literal and glob: with the leading '/'. Regex: as written.
  std::string pattern;
  std::string target;
  // 1-based line of the definition.
  int line = 0;
  // Set for kRegex.
  std::shared_ptr<const std::regex> regex;
};

absl::StatusOr<std::vector<AliasRule>> ParseAliasDefinition(
    absl::string_view definition);

// The target `rule` gives `path`, with regex groups filled in; nullopt
// when it does not match.
std::optional<std::string> MatchAliasRule(const AliasRule& rule,
                                          absl::string_view path);

// The target of the first rule matching `path`, with regex groups filled
// in; nullopt when none matches.
std::optional<std::string> MatchAliasRules(const std::vector<AliasRule>& rules,
                                           absl::string_view path);

// True when `text` matches the glob `pattern` as described above.
bool GlobMatch(absl::string_view pattern, absl::string_view text,
               bool ignore_case);

// `target` with the query string `query` (without '?') appended, joined
// with '&' when the target has one already. Unchanged when `query` is empty.
std::string WithQuery(absl::string_view target, absl::string_view query);

}  // namespace viewer

#endif  // VIEWER_APP_ALIAS_RULES_H_
