// The pieces of app/alias_rules.h that turn one pattern into an RE2
// program and fill a target in from a match. Private to app/.
//
// Thread safety: pure functions.
#ifndef VIEWER_APP_INTERNAL_ALIAS_PATTERNS_H_
#define VIEWER_APP_INTERNAL_ALIAS_PATTERNS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/alias_rules.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace viewer::alias_internal {

struct CompiledPattern {
  std::shared_ptr<const re2::RE2> regex;
  // Flask: placeholder names, in group order.
  std::vector<std::string> names;
  // The program's size (steps per path character).
  int64_t cost = 0;
};

// Errors about cost (a pattern too long, nested too deep, a program too
// large, a repetition too large) start with this.
inline constexpr absl::string_view kTooCostly = "too costly: ";

// Compiles `pattern` (already resolved: glob and flask start with '/', a
// regex is the text to match the whole path with) of `kind` (not
// kLiteral). kInvalidArgument without a "line N: " prefix.
absl::StatusOr<CompiledPattern> CompilePattern(AliasPatternKind kind,
                                               absl::string_view pattern,
                                               bool ignore_case);

// The deepest nesting of groups in a regular expression (escapes and
// classes skipped).
int RegexNesting(absl::string_view regex);

// The regex text that makes `regex` (as a user wrote it, leading '^' and
// '/' optional) match the whole of `parent` + "/" + what it matches, or,
// with an empty `parent`, the path with or without its leading '/'.
std::string AnchorRegex(absl::string_view regex, absl::string_view parent);

// For flask: an error naming a `<name>` of the target the pattern does not
// capture; OK otherwise.
absl::Status CheckFlaskTarget(absl::string_view target,
                              const std::vector<std::string>& names);

// `rule.target` with the match's groups (groups[0] the whole match) filled
// in as the rule's kind says, values percent-encoded, leading slashes
// collapsed into one.
std::string ExpandTarget(const AliasRule& rule,
                         const std::vector<absl::string_view>& groups);

}  // namespace viewer::alias_internal

#endif  // VIEWER_APP_INTERNAL_ALIAS_PATTERNS_H_
