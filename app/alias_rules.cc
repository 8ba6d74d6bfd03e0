#include "app/alias_rules.h"

#include <re2/re2.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "app/internal/alias_patterns.h"

namespace viewer {
namespace {

using alias_internal::AnchorRegex;
using alias_internal::CheckFlaskTarget;
using alias_internal::CompiledPattern;
using alias_internal::CompilePattern;
using alias_internal::ExpandTarget;
using alias_internal::kTooCostly;

constexpr int kSpacesPerLevel = 2;

// What the options of one line set so far.
struct Options {
  std::optional<AliasPatternKind> kind;
  bool ignore_case = false;
};

// Strips a comment: '#' at the start or after whitespace.
absl::string_view StripComment(absl::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' &&
        (i == 0 ||
         absl::ascii_isspace(static_cast<unsigned char>(line[i - 1])))) {
      return line.substr(0, i);
    }
  }
  return line;
}

// The indentation level of `line`: leading spaces, a tab counting two.
int DepthOf(absl::string_view line) {
  int spaces = 0;
  for (char c : line) {
    if (c == ' ') {
      ++spaces;
    } else if (c == '\t') {
      spaces += kSpacesPerLevel;
    } else {
      break;
    }
  }
  return spaces / kSpacesPerLevel;
}

// Applies the comma-separated options inside one pair of brackets.
absl::Status ApplyOptions(absl::string_view inside, Options& options) {
  for (absl::string_view raw : absl::StrSplit(inside, ',')) {
    const std::string option =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(raw));
    if (option.empty()) continue;
    if (option == "ignore-case" || option == "ignorecase") {
      options.ignore_case = true;
      continue;
    }
    AliasPatternKind kind;
    if (option == "literal") {
      kind = AliasPatternKind::kLiteral;
    } else if (option == "glob") {
      kind = AliasPatternKind::kGlob;
    } else if (option == "regex") {
      kind = AliasPatternKind::kRegex;
    } else if (option == "flask") {
      kind = AliasPatternKind::kFlask;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option [", option,
                       "] (options: literal, glob, regex, flask, "
                       "ignore-case)"));
    }
    if (options.kind && *options.kind != kind) {
      return absl::InvalidArgumentError(
          "choose one of literal, glob, regex and flask");
    }
    options.kind = kind;
  }
  return absl::OkStatus();
}

// Leading option brackets of the pattern side. A bracket that holds no
// known option is the start of the pattern (a regex class, a glob class).
absl::Status TakeLeadingOptions(absl::string_view& left, Options& options) {
  while (absl::StartsWith(left, "[")) {
    const size_t end = left.find(']');
    if (end == absl::string_view::npos) break;
    Options tried = options;
    if (!ApplyOptions(left.substr(1, end - 1), tried).ok()) break;
    options = tried;
    left = absl::StripLeadingAsciiWhitespace(left.substr(end + 1));
  }
  return absl::OkStatus();
}

// The target, then option brackets only.
absl::StatusOr<std::string> TakeTarget(absl::string_view right,
                                       Options& options) {
  right = absl::StripAsciiWhitespace(right);
  size_t end = 0;
  while (end < right.size() &&
         !absl::ascii_isspace(static_cast<unsigned char>(right[end]))) {
    ++end;
  }
  std::string target(right.substr(0, end));
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(right.substr(end));
  while (!rest.empty()) {
    const size_t close = rest.find(']');
    if (rest[0] != '[' || close == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unexpected '", rest,
          "' after the target (targets hold no spaces; options are in "
          "brackets)"));
    }
    if (absl::Status s = ApplyOptions(rest.substr(1, close - 1), options);
        !s.ok()) {
      return s;
    }
    rest = absl::StripLeadingAsciiWhitespace(rest.substr(close + 1));
  }
  return target;
}

absl::Status CheckTarget(absl::string_view target) {
  if (target.empty() || target[0] != '/' || absl::StartsWith(target, "//") ||
      target.find('\\') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("the target must be a path starting with '/', got '",
                     target, "'"));
  }
  for (char c : target) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("the target holds a control character");
    }
  }
  return absl::OkStatus();
}

// "/a/b/" -> "/a/b"; "" and "/" -> "/".
std::string NormalizeLiteral(absl::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return "/";
  return path[0] == '/' ? std::string(path) : absl::StrCat("/", path);
}

// Tracks the paths nested rules continue: entry d is what a rule at depth
// d + 1 continues.
class Nesting {
 public:
  explicit Nesting(absl::string_view alias_name)
      : base_(alias_name.empty() ? "" : NormalizeLiteral(alias_name)) {}

  // The path a rule at `depth` continues ("" at depth 0).
  std::string ParentOf(int depth) const {
    if (depth == 0) return "";
    const int index =
        std::min(depth - 1, static_cast<int>(stack_.size()) - 1);
    std::string parent = index >= 0 ? stack_[static_cast<size_t>(index)] : "";
    return parent.empty() ? base_ : parent;
  }
  // A rule at `depth` gives its children `path`.
  void Set(int depth, std::string path) {
    stack_.resize(static_cast<size_t>(depth) + 1);
    stack_.back() = std::move(path);
  }

 private:
  std::string base_;
  std::vector<std::string> stack_;
};

std::string Join(absl::string_view parent, absl::string_view pattern) {
  absl::ConsumePrefix(&pattern, "/");
  if (parent.empty() || parent == "/") return absl::StrCat("/", pattern);
  return absl::StrCat(parent, "/", pattern);
}

// Parses one rule line (comment stripped, not blank) at `depth`.
absl::StatusOr<AliasRule> ParseRule(absl::string_view text, int depth,
                                    absl::string_view alias_name,
                                    Nesting& nesting) {
  const size_t arrow = text.find("->");
  if (arrow == absl::string_view::npos) {
    return absl::InvalidArgumentError("expected 'pattern -> /target'");
  }
  Options options;
  absl::string_view left = absl::StripAsciiWhitespace(text.substr(0, arrow));
  if (absl::Status s = TakeLeadingOptions(left, options); !s.ok()) return s;
  absl::StatusOr<std::string> target =
      TakeTarget(text.substr(arrow + 2), options);
  if (!target.ok()) return target.status();
  if (target->empty() || (left.empty() && alias_name.empty())) {
    return absl::InvalidArgumentError("expected 'pattern -> /target'");
  }
  if (absl::Status s = CheckTarget(*target); !s.ok()) return s;
  AliasRule rule;
  rule.kind = options.kind.value_or(AliasPatternKind::kLiteral);
  rule.ignore_case = options.ignore_case;
  rule.target = *std::move(target);
  rule.depth = depth;
  const std::string parent = nesting.ParentOf(depth);
  if (rule.kind == AliasPatternKind::kLiteral) {
    rule.pattern = NormalizeLiteral(Join(parent, left.empty() ? alias_name
                                                              : left));
    nesting.Set(depth, rule.pattern);
    return rule;
  }
  nesting.Set(depth, parent);
  if (left.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a ", AliasKindName(rule.kind), " rule needs a pattern"));
  }
  if (left.size() > kMaxAliasRegexChars) {
    return absl::InvalidArgumentError(
        absl::StrCat(kTooCostly, "the pattern is over ", kMaxAliasRegexChars,
                     " characters"));
  }
  if (rule.kind == AliasPatternKind::kRegex) {
    if (const int depth = alias_internal::RegexNesting(left);
        depth > kMaxAliasNesting) {
      return absl::InvalidArgumentError(absl::StrCat(
          kTooCostly, "groups nest ", depth,
          " deep in the regular expression (at most ", kMaxAliasNesting, ")"));
    }
  }
  rule.pattern = rule.kind == AliasPatternKind::kRegex
                     ? AnchorRegex(left, parent)
                     : Join(parent, left);
  absl::StatusOr<CompiledPattern> compiled =
      CompilePattern(rule.kind, rule.pattern, rule.ignore_case);
  if (!compiled.ok()) return compiled.status();
  rule.regex = std::move(compiled->regex);
  rule.names = std::move(compiled->names);
  rule.cost = compiled->cost;
  if (rule.kind == AliasPatternKind::kFlask) {
    if (absl::Status s = CheckFlaskTarget(rule.target, rule.names); !s.ok()) {
      return s;
    }
  }
  return rule;
}

}  // namespace

absl::string_view AliasKindName(AliasPatternKind kind) {
  switch (kind) {
    case AliasPatternKind::kLiteral:
      return "literal";
    case AliasPatternKind::kGlob:
      return "glob";
    case AliasPatternKind::kRegex:
      return "regex";
    case AliasPatternKind::kFlask:
      return "flask";
  }
  return "literal";
}

std::vector<AliasLine> SummarizeAliasDefinition(absl::string_view definition,
                                                absl::string_view alias_name) {
  std::vector<AliasLine> lines;
  Nesting nesting(alias_name);
  int number = 0;
  for (absl::string_view raw : absl::StrSplit(definition, '\n')) {
    ++number;
    absl::ConsumeSuffix(&raw, "\r");
    const absl::string_view text = absl::StripAsciiWhitespace(StripComment(raw));
    if (text.empty()) continue;
    AliasLine line;
    line.line = number;
    line.depth = DepthOf(raw);
    line.text = std::string(raw);
    absl::StatusOr<AliasRule> rule =
        ParseRule(text, line.depth, alias_name, nesting);
    if (rule.ok()) {
      rule->line = number;
      line.too_costly =
          rule->cost * static_cast<int64_t>(kMaxAliasRegexInput + 1) >
          kAliasMatchBudget;
      line.rule = *std::move(rule);
    } else {
      line.error = std::string(rule.status().message());
      line.too_costly = absl::StartsWith(line.error, kTooCostly);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

absl::StatusOr<std::vector<AliasRule>> ParseAliasDefinition(
    absl::string_view definition, absl::string_view alias_name) {
  std::vector<AliasRule> rules;
  for (AliasLine& line : SummarizeAliasDefinition(definition, alias_name)) {
    if (!line.rule) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line.line, ": ", line.error));
    }
    rules.push_back(*std::move(line.rule));
  }
  return rules;
}

std::optional<std::string> MatchAliasRule(const AliasRule& rule,
                                          absl::string_view path,
                                          AliasMatchBudget& budget) {
  if (rule.kind == AliasPatternKind::kLiteral) {
    const std::string normalized = NormalizeLiteral(path);
    const bool same = rule.ignore_case
                          ? absl::EqualsIgnoreCase(rule.pattern, normalized)
                          : rule.pattern == normalized;
    if (!same) return std::nullopt;
    return rule.target;
  }
  if (rule.regex == nullptr || path.size() > kMaxAliasRegexInput) {
    return std::nullopt;
  }
  const int64_t steps = rule.cost * static_cast<int64_t>(path.size() + 1);
  if (!budget.Spend(steps)) return std::nullopt;
  const int groups = rule.regex->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> pieces(static_cast<size_t>(groups));
  if (!rule.regex->Match(re2::StringPiece(path.data(), path.size()), 0,
                         path.size(), RE2::ANCHOR_BOTH, pieces.data(),
                         groups)) {
    return std::nullopt;
  }
  std::vector<absl::string_view> values;
  values.reserve(pieces.size());
  for (const re2::StringPiece& p : pieces) {
    values.emplace_back(p.data(), p.size());
  }
  return ExpandTarget(rule, values);
}

bool AliasMatchBudget::Spend(int64_t steps) {
  if (steps > left_) {
    ++skipped_;
    return false;
  }
  left_ -= steps;
  return true;
}

std::optional<AliasMatch> MatchAliasRules(const std::vector<AliasRule>& rules,
                                          absl::string_view path,
                                          AliasMatchBudget& budget) {
  for (const AliasRule& rule : rules) {
    if (std::optional<std::string> target = MatchAliasRule(rule, path, budget)) {
      return AliasMatch{*std::move(target), &rule};
    }
  }
  return std::nullopt;
}

std::optional<std::string> MatchAliasRules(const std::vector<AliasRule>& rules,
                                           absl::string_view path) {
  AliasMatchBudget budget;
  std::optional<AliasMatch> match = MatchAliasRules(rules, path, budget);
  if (!match) return std::nullopt;
  return std::move(match->target);
}

std::string SubstituteAliasVariables(
    absl::string_view definition,
    const absl::flat_hash_map<std::string, std::string>& variables) {
  if (variables.empty()) return std::string(definition);
  std::string out;
  size_t i = 0;
  while (i < definition.size()) {
    const size_t open = definition.find('{', i);
    if (open == absl::string_view::npos) break;
    size_t end = open + 1;
    while (end < definition.size() &&
           (absl::ascii_isalnum(static_cast<unsigned char>(definition[end])) ||
            definition[end] == '.' || definition[end] == '_' ||
            definition[end] == '-')) {
      ++end;
    }
    absl::StrAppend(&out, definition.substr(i, open - i));
    auto it = end > open + 1 && end < definition.size() && definition[end] == '}'
                  ? variables.find(definition.substr(open + 1, end - open - 1))
                  : variables.end();
    if (it != variables.end()) {
      absl::StrAppend(&out, it->second);
      i = end + 1;
    } else {
      out.push_back('{');
      i = open + 1;
    }
  }
  absl::StrAppend(&out, definition.substr(i));
  return out;
}

std::string WithQuery(absl::string_view target, absl::string_view query) {
  if (query.empty()) return std::string(target);
  return absl::StrCat(target,
                      target.find('?') == absl::string_view::npos ? "?" : "&",
                      query);
}

}  // namespace viewer
