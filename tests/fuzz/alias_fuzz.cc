// Fuzz target for alias definitions (app/alias_rules.h). The input is a
// definition, optionally followed by a line "%%" and request paths, one per
// line; without paths, a fixed set plus each rule's own pattern and target
// are tried. Properties:
//   - parsing is deterministic (the same error, or the same rules: kind,
//     case flag, pattern, target, line, depth and placeholder names, and a
//     compiled pattern where and only where the kind is not literal,
//     matching the same paths); an error is
//     kInvalidArgument "line N: ..." with N a line of the input, never an
//     exception or a crash;
//   - a parsed rule has a target that is a path on this site, a pattern of
//     its kind (literal, glob and flask start with '/'; all but literal are
//     compiled, within kMaxAliasProgramSize), and rules come in line order;
//   - a literal rule matches its own pattern, a glob without '\', '[' or
//     '?' matches itself;
//   - matching a path terminates (libFuzzer's -timeout), the first matching
//     rule wins, and what it returns is again a path on this site (a regex
//     target filled in from the request must not become "//host" or hold a
//     '\' or a control character: the app sends it as a Location header).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "app/alias_rules.h"
#include "tests/fuzz/fuzz_check.h"

namespace viewer {
namespace {

std::string Show(absl::string_view s) { return absl::CHexEscape(s); }

// The promise of alias_router.h for a target: starts with '/', not "//",
// no spaces (targets), no backslash, no control character.
bool IsSitePath(absl::string_view target) {
  if (target.empty() || target[0] != '/' || absl::StartsWith(target, "//")) {
    return false;
  }
  for (char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\' || u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

void CheckError(const absl::Status& status, absl::string_view definition) {
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument, status);
  absl::string_view message = status.message();
  const size_t colon = message.find(": ");
  int line = 0;
  const bool numbered = absl::ConsumePrefix(&message, "line ") &&
                        colon != absl::string_view::npos &&
                        absl::SimpleAtoi(message.substr(0, colon - 5), &line);
  const int lines = static_cast<int>(
      std::vector<absl::string_view>(absl::StrSplit(definition, '\n')).size());
  FUZZ_CHECK(numbered && line >= 1 && line <= lines, Show(definition)
                                                         << " -> " << status);
}

// Two parses of one definition give the same rules.
bool SameRules(const std::vector<AliasRule>& a,
               const std::vector<AliasRule>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].kind != b[i].kind || a[i].ignore_case != b[i].ignore_case ||
        a[i].pattern != b[i].pattern || a[i].target != b[i].target ||
        a[i].line != b[i].line || a[i].depth != b[i].depth ||
        a[i].names != b[i].names || a[i].cost != b[i].cost ||
        (a[i].regex == nullptr) != (b[i].regex == nullptr)) {
      return false;
    }
  }
  return true;
}

void CheckRules(const std::vector<AliasRule>& rules,
                absl::string_view definition) {
  const std::vector<absl::string_view> lines = absl::StrSplit(definition, '\n');
  int previous_line = 0;
  for (const AliasRule& rule : rules) {
    FUZZ_CHECK(rule.line > previous_line &&
                   rule.line <= static_cast<int>(lines.size()),
               "line " << rule.line << " in " << Show(definition));
    previous_line = rule.line;
    FUZZ_CHECK(
        IsSitePath(rule.target) && rule.target.find(' ') == std::string::npos,
        "target " << Show(rule.target));
    FUZZ_CHECK(
        (rule.kind == AliasPatternKind::kLiteral) == (rule.regex == nullptr),
        Show(rule.pattern));
    FUZZ_CHECK(rule.cost <= kMaxAliasProgramSize, Show(rule.pattern));
    if (rule.kind == AliasPatternKind::kRegex) continue;
    FUZZ_CHECK(absl::StartsWith(rule.pattern, "/"), Show(rule.pattern));
    if (rule.kind == AliasPatternKind::kFlask) continue;
    std::optional<std::string> self = MatchAliasRules({rule}, rule.pattern);
    if (rule.kind == AliasPatternKind::kLiteral ||
        rule.pattern.find_first_of("\\[?") == std::string::npos) {
      FUZZ_CHECK(self.has_value(),
                 "rule does not match its own pattern " << Show(rule.pattern));
    }
  }
}

void CheckMatch(const std::vector<AliasRule>& rules, absl::string_view path,
                absl::string_view definition) {
  std::optional<std::string> target = MatchAliasRules(rules, path);
  // The first rule that matches on its own decides.
  std::optional<std::string> first;
  for (const AliasRule& rule : rules) {
    first = MatchAliasRules({rule}, path);
    if (first) break;
  }
  FUZZ_CHECK(target == first, Show(path));
  if (target) {
    FUZZ_CHECK(IsSitePath(*target), "path " << Show(path) << " is sent to "
                                            << Show(*target) << " by "
                                            << Show(definition));
  }
}

}  // namespace
}  // namespace viewer

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace viewer;
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::string_view definition = input;
  std::vector<std::string> paths;
  bool given_paths = false;
  if (size_t sep = input.find("\n%%\n"); sep != absl::string_view::npos) {
    definition = input.substr(0, sep + 1);
    for (absl::string_view p : absl::StrSplit(input.substr(sep + 4), '\n')) {
      paths.emplace_back(p);
    }
    given_paths = true;
  }
  absl::StatusOr<std::vector<AliasRule>> rules =
      ParseAliasDefinition(definition);
  absl::StatusOr<std::vector<AliasRule>> again =
      ParseAliasDefinition(definition);
  FUZZ_CHECK(rules.status() == again.status() &&
                 (!rules.ok() || SameRules(*rules, *again)),
             "not deterministic: " << Show(definition));
  if (!rules.ok()) {
    CheckError(rules.status(), definition);
    return 0;
  }
  CheckRules(*rules, definition);
  if (!given_paths) {
    paths = {"/",      "/docs",    "/old/x/y", "/u/ada",
             "/U/ADA", "/x//evil", "/api/v1",  "/post/42"};
    for (const AliasRule& rule : *rules) {
      paths.push_back(rule.target);
      if (rule.kind != AliasPatternKind::kRegex) paths.push_back(rule.pattern);
    }
  }
  for (const std::string& path : paths) {
    CheckMatch(*rules, path, definition);
    FUZZ_CHECK(MatchAliasRules(*rules, path) == MatchAliasRules(*again, path),
               "two parses route " << Show(path) << " differently");
  }
  return 0;
}
