// Alias definitions: the text of an alias says which request paths it
// redirects, and where. The language is described with examples in
// docs/aliases.md; every writer of an alias checks its definition with
// ParseAliasDefinition (through ValidateEntityDefinition, app/entities.h).
//
//   absl::StatusOr<std::vector<AliasRule>> rules = ParseAliasDefinition(
//       "# docs moved\n"
//       "docs -> /AAAAAAAFaGVsbG8.txt\n"
//       "/old/** -> /new/** [glob]\n"
//       "/u/<int:id> -> /users/<id> [flask]\n"
//       "^/v/([a-z]+)$ -> /view/$1 [regex, ignore-case]\n"
//       "api -> /servers/api\n"
//       "  v1 -> /servers/api_v1\n");   // nested: the pattern is /api/v1
//   std::optional<std::string> target = MatchAliasRules(*rules, "/V/ada");
//   // "/view/ada"
//
// One rule per line, `pattern -> target [options]`. Options are words in
// brackets, separated by commas, after the target or before the pattern
// (`[glob, ignore-case]`, `[regex] [ignore-case]`), in any case:
//   literal (the default)  the path equals the pattern; a trailing '/' on
//                  either side is ignored
//   glob           `*` (or `**`, the same) matches any run of characters,
//                  slashes included; `?` one character; `[abc]`, `[!abc]`
//                  a class; `\` makes the next character literal. Each
//                  wildcard's text fills the target's next `*` / `**`
//   regex          an RE2 regular expression (Python's syntax, named groups
//                  included) that must match the whole path; `$1`..`$9` in
//                  the target insert its groups and `$$` a dollar sign
//   flask          `<name>` (one segment), `<int:name>`, `<float:name>`,
//                  `<path:name>` (the rest, slashes included),
//                  `<uuid:name>`, `<string:name>`; `<name>` in the target
//                  inserts the value
//   ignore-case    (or ignorecase) ASCII letters match either case
// Patterns are relative to the site root, with or without their leading
// '/'. A line indented deeper than a literal rule continues that rule's
// path (two spaces a level, a tab is two spaces): its pattern is the
// parent's path, '/', and its own pattern. `#` at the start of a line or
// after a space starts a comment; blank lines are skipped. Targets are
// paths on this site: they start with '/', not "//", and hold no spaces or
// backslashes. Values carried into a target are percent-encoded (only
// A-Z a-z 0-9 - . _ ~ / ! $ & ' ( ) * + , ; = : @ stay as they are) and
// leading slashes of the result collapse into one, so a request can never
// make "//other.host". Saved variables (`{name}`) are replaced before the
// definition is parsed, by the caller (SubstituteAliasVariables).
//
// Cost: every pattern but a literal one is compiled to an RE2 program,
// whose matching time is linear in the path times the program's size. A
// pattern whose program is over kMaxAliasProgramSize instructions, whose
// groups nest deeper than kMaxAliasNesting, or whose text is over
// kMaxAliasRegexChars characters is refused as too costly, and matching
// spends an AliasMatchBudget: a rule whose match would cost more than what
// is left of the budget does not match.
//
// Errors: kInvalidArgument naming the line, e.g.
//   "line 2: expected 'pattern -> /target'"
//   "line 2: unknown option [globb] (options: literal, glob, regex, flask,
//    ignore-case)"
//   "line 2: the target must be a path starting with '/', got 'x'"
//   "line 2: bad regular expression: missing ): (a"
//   "line 2: too costly: the regular expression compiles to 20013
//    instructions (at most 1000)"
//
// Thread safety: pure functions; rules are immutable once parsed and may be
// shared between threads (an AliasMatchBudget is per request, one thread).
// Meant to be fuzzed: nothing here throws, recurses on input or runs in
// more than linear time.
#ifndef VIEWER_APP_ALIAS_RULES_H_
#define VIEWER_APP_ALIAS_RULES_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace viewer {

inline constexpr size_t kMaxAliasRegexChars = 500;
// Longer paths never match a compiled pattern.
inline constexpr size_t kMaxAliasRegexInput = 2048;
inline constexpr int kMaxAliasProgramSize = 1000;
inline constexpr int kMaxAliasNesting = 8;
// Matching steps one request may spend: a compiled rule costs its program
// size times (path length + 1).
inline constexpr int64_t kAliasMatchBudget = 4'000'000;

enum class AliasPatternKind { kLiteral, kGlob, kRegex, kFlask };

// "literal", "glob", "regex" or "flask".
absl::string_view AliasKindName(AliasPatternKind kind);

struct AliasRule {
  AliasPatternKind kind = AliasPatternKind::kLiteral;
  bool ignore_case = false;
  // As matched: literal, glob and flask with the leading '/' and any
  // parent's path; a regex as written (with the parent's path quoted in
  // front when nested).
  std::string pattern;
  std::string target;
  // 1-based line of the definition, and its indentation level.
  int line = 0;
  int depth = 0;
  // Every kind but kLiteral: the compiled pattern.
  std::shared_ptr<const re2::RE2> regex;
  // Flask: the placeholder names, in the order of regex's groups.
  std::vector<std::string> names;
  // Steps per path character one match costs (the program's size); 0 for
  // a literal.
  int64_t cost = 0;
};

// One line of a definition as the alias page shows it.
struct AliasLine {
  int line = 0;
  int depth = 0;
  std::string text;              // the line as written
  std::optional<AliasRule> rule;  // set when the line is a valid rule
  std::string error;             // set when the line is a rule that is not
  bool too_costly = false;       // the error (or the rule) is about cost
};

// Every rule of `definition`, or the first line's error. `alias_name` is
// the pattern of a rule that gives none (" -> /x") and the path nested
// rules continue when no literal parent gives one.
absl::StatusOr<std::vector<AliasRule>> ParseAliasDefinition(
    absl::string_view definition, absl::string_view alias_name = "");

// Every non-blank, non-comment line of `definition`, each a rule or an
// error: routing uses the rules and passes over the lines in error.
std::vector<AliasLine> SummarizeAliasDefinition(
    absl::string_view definition, absl::string_view alias_name = "");

// The steps one request may still spend on matching, and how many rules it
// passed over for want of them.
class AliasMatchBudget {
 public:
  explicit AliasMatchBudget(int64_t steps = kAliasMatchBudget)
      : left_(steps) {}
  // Takes `steps` and returns true, or returns false (and counts a skipped
  // rule) when fewer are left.
  bool Spend(int64_t steps);
  int64_t left() const { return left_; }
  int skipped() const { return skipped_; }

 private:
  int64_t left_;
  int skipped_ = 0;
};

// Where `rule` sends `path`, or nullopt when it does not match it (or the
// match would cost more than `budget` has left).
std::optional<std::string> MatchAliasRule(const AliasRule& rule,
                                          absl::string_view path,
                                          AliasMatchBudget& budget);

// What the first matching rule gives a path; `rule` points into the vector
// matched against.
struct AliasMatch {
  std::string target;
  const AliasRule* rule = nullptr;
};

std::optional<AliasMatch> MatchAliasRules(const std::vector<AliasRule>& rules,
                                          absl::string_view path,
                                          AliasMatchBudget& budget);

// The same with a fresh budget of kAliasMatchBudget steps: the target of
// the first rule matching `path`, or nullopt when none matches.
std::optional<std::string> MatchAliasRules(const std::vector<AliasRule>& rules,
                                           absl::string_view path);

// `definition` with each `{name}` (name: A-Z a-z 0-9 . _ -) that names a
// key of `variables` replaced by its value; other braces stay.
std::string SubstituteAliasVariables(
    absl::string_view definition,
    const absl::flat_hash_map<std::string, std::string>& variables);

// `target` with the query string `query` (without '?') appended, joined
// with '&' when the target has one already. Unchanged when `query` is empty.
std::string WithQuery(absl::string_view target, absl::string_view query);

}  // namespace viewer

#endif  // VIEWER_APP_ALIAS_RULES_H_
