#include "app/alias_rules.h"

#include <exception>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace viewer {
namespace {

struct GlobToken {
  enum Kind { kChar, kAnyOne, kStar } kind;
  char c = 0;
};

std::vector<GlobToken> TokenizeGlob(absl::string_view pattern) {
  std::vector<GlobToken> tokens;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      tokens.push_back({GlobToken::kChar, pattern[++i]});
    } else if (c == '*') {
      // Runs of stars match what one star matches.
      if (tokens.empty() || tokens.back().kind != GlobToken::kStar) {
        tokens.push_back({GlobToken::kStar});
      }
    } else if (c == '?') {
      tokens.push_back({GlobToken::kAnyOne});
    } else {
      tokens.push_back({GlobToken::kChar, c});
    }
  }
  return tokens;
}

bool SameChar(char a, char b, bool ignore_case) {
  return ignore_case ? absl::ascii_tolower(static_cast<unsigned char>(a)) ==
                           absl::ascii_tolower(static_cast<unsigned char>(b))
                     : a == b;
}

bool IsFlag(absl::string_view token) {
  return token.size() >= 2 && token.front() == '[' && token.back() == ']';
}

// Strips a comment: '#' at the start or after whitespace.
absl::string_view StripComment(absl::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || absl::ascii_isspace(
                                         static_cast<unsigned char>(line[i - 1])))) {
      return line.substr(0, i);
    }
  }
  return line;
}

absl::Status LineError(int line, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", message));
}

absl::Status ApplyFlag(absl::string_view flag, int line, AliasRule& rule,
                       bool& kind_set) {
  if (flag == "[ignore-case]") {
    rule.ignore_case = true;
    return absl::OkStatus();
  }
  AliasPatternKind kind;
  if (flag == "[glob]") {
    kind = AliasPatternKind::kGlob;
  } else if (flag == "[regex]") {
    kind = AliasPatternKind::kRegex;
  } else if (flag == "[literal]") {
    kind = AliasPatternKind::kLiteral;
  } else {
    return LineError(line, absl::StrCat("unknown flag ", flag,
                                        " (flags: [glob] [regex] "
                                        "[ignore-case])"));
  }
  if (kind_set && rule.kind != kind) {
    return LineError(line, "choose one of [glob], [regex] and [literal]");
  }
  kind_set = true;
  rule.kind = kind;
  return absl::OkStatus();
}

absl::Status CheckTarget(absl::string_view target, int line) {
  if (target.empty() || target[0] != '/' || absl::StartsWith(target, "//") ||
      target.find('\\') != absl::string_view::npos) {
    return LineError(line, absl::StrCat("the target must be a path starting "
                                        "with '/', got '",
                                        target, "'"));
  }
  for (char c : target) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return LineError(line, "the target holds a control character");
    }
  }
  return absl::OkStatus();
}

// libstdc++ reads a back-reference number or a {n,m} count into a long
// without checking for overflow (undefined behaviour), so long numbers
// there are refused before std::regex sees them.
absl::Status CheckRegexNumbers(absl::string_view pattern, int line) {
  constexpr size_t kMaxDigits = 4;
  const auto digits_from = [&](size_t i) {
    size_t end = i;
    while (end < pattern.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(pattern[end]))) {
      ++end;
    }
    return end;
  };
  const absl::Status too_large = LineError(
      line, "a repetition count or back-reference number in the regular "
            "expression is too large");
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '\\') {
      const size_t end = digits_from(i + 1);
      if (end - (i + 1) > kMaxDigits) return too_large;
      i = end > i + 1 ? end : i + 2;  // the number, or the escaped character
    } else if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      if (close == absl::string_view::npos) close = pattern.size();
      for (size_t j = i + 1; j < close;) {
        const size_t end = digits_from(j);
        if (end - j > kMaxDigits) return too_large;
        j = end > j ? end : j + 1;
      }
      i = close;
    } else {
      ++i;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<AliasRule> ParseLine(absl::string_view text, int line) {
  size_t arrow = text.find("->");
  if (arrow == absl::string_view::npos) {
    return LineError(line, "expected 'pattern -> /target'");
  }
  AliasRule rule;
  rule.line = line;
  bool kind_set = false;
  absl::string_view left = absl::StripAsciiWhitespace(text.substr(0, arrow));
  // Leading flags, then the pattern (which may hold spaces).
  while (!left.empty() && left.front() == '[') {
    size_t end = left.find(']');
    if (end == absl::string_view::npos) break;
    absl::string_view flag = left.substr(0, end + 1);
    absl::Status s = ApplyFlag(flag, line, rule, kind_set);
    if (!s.ok()) {
      // A pattern may itself start with '[' (a regex class): only known
      // flags are flags here.
      if (rule.kind == AliasPatternKind::kRegex || !kind_set) break;
      return s;
    }
    left = absl::StripLeadingAsciiWhitespace(left.substr(end + 1));
  }
  std::vector<absl::string_view> right =
      absl::StrSplit(text.substr(arrow + 2), absl::ByAnyChar(" \t\r\v\f"),
                     absl::SkipEmpty());
  if (left.empty() || right.empty()) {
    return LineError(line, "expected 'pattern -> /target'");
  }
  rule.target = std::string(right[0]);
  for (size_t i = 1; i < right.size(); ++i) {
    if (!IsFlag(right[i])) {
      return LineError(line, absl::StrCat("unexpected '", right[i],
                                          "' after the target (targets hold "
                                          "no spaces)"));
    }
    if (absl::Status s = ApplyFlag(right[i], line, rule, kind_set); !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = CheckTarget(rule.target, line); !s.ok()) return s;
  rule.pattern = std::string(left);
  if (rule.kind == AliasPatternKind::kRegex) {
    if (rule.pattern.size() > kMaxAliasRegexChars) {
      return LineError(line, absl::StrCat("the regular expression is over ",
                                          kMaxAliasRegexChars, " characters"));
    }
    if (absl::Status s = CheckRegexNumbers(rule.pattern, line); !s.ok()) {
      return s;
    }
    try {
      // __polynomial (libstdc++) matches with the breadth-first executor:
      // time linear in the path times the pattern's states, never the
      // exponential backtracking of the default one (and no back-references,
      // which it refuses with error_complexity).
      auto flags = std::regex::ECMAScript | std::regex_constants::__polynomial;
      if (rule.ignore_case) flags |= std::regex::icase;
      rule.regex = std::make_shared<const std::regex>(rule.pattern, flags);
    } catch (const std::exception& e) {
      return LineError(line, absl::StrCat("bad regular expression: ", e.what()));
    }
  } else if (rule.pattern[0] != '/') {
    rule.pattern = absl::StrCat("/", rule.pattern);
  }
  return rule;
}

// Group text as it may appear in a path: everything but unreserved
// characters, '/' and sub-delimiters is percent-encoded, so that a request
// path cannot put a space, '\\', '?', '#' or a line break into the
// Location header.
void AppendEncoded(absl::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) ||
        absl::string_view("-._~/!$&'()*+,;=:@").find(static_cast<char>(c)) !=
            absl::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
}

// Replaces $1..$9 with the (encoded) groups of `m` and $$ with '$'. The
// result stays a path on this site: leading slashes are collapsed into one,
// so "/$1" with "/evil.example" in the group is not "//evil.example".
std::string ExpandGroups(absl::string_view target, const std::cmatch& m) {
  std::string out;
  for (size_t i = 0; i < target.size(); ++i) {
    char c = target[i];
    if (c == '$' && i + 1 < target.size()) {
      char n = target[i + 1];
      if (n == '$') {
        out.push_back('$');
        ++i;
        continue;
      }
      if (n >= '1' && n <= '9') {
        size_t group = static_cast<size_t>(n - '0');
        if (group < m.size() && m[group].matched) {
          AppendEncoded(absl::string_view(m[group].first,
                                          static_cast<size_t>(m[group].length())),
                        out);
        }
        ++i;
        continue;
      }
    }
    out.push_back(c);
  }
  size_t slashes = 0;
  while (slashes < out.size() && out[slashes] == '/') ++slashes;
  if (slashes > 1) out.erase(0, slashes - 1);
  return out;
}

}  // namespace

bool GlobMatch(absl::string_view pattern, absl::string_view text,
               bool ignore_case) {
  std::vector<GlobToken> p = TokenizeGlob(pattern);
  size_t pi = 0, ti = 0;
  // Where to resume after the most recent star: its token, and the text
  // position it is now taken to end at.
  size_t star = SIZE_MAX, star_text = 0;
  while (ti < text.size()) {
    if (pi < p.size() && p[pi].kind == GlobToken::kStar) {
      star = pi++;
      star_text = ti;
    } else if (pi < p.size() &&
               (p[pi].kind == GlobToken::kAnyOne ||
                SameChar(p[pi].c, text[ti], ignore_case))) {
      ++pi;
      ++ti;
    } else if (star != SIZE_MAX) {
      pi = star + 1;
      ti = ++star_text;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi].kind == GlobToken::kStar) ++pi;
  return pi == p.size();
}

absl::StatusOr<std::vector<AliasRule>> ParseAliasDefinition(
    absl::string_view definition) {
  std::vector<AliasRule> rules;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(definition, '\n')) {
    ++line_number;
    absl::string_view text = absl::StripAsciiWhitespace(StripComment(line));
    if (text.empty()) continue;
    absl::StatusOr<AliasRule> rule = ParseLine(text, line_number);
    if (!rule.ok()) return rule.status();
    rules.push_back(*std::move(rule));
  }
  return rules;
}

std::optional<std::string> MatchAliasRule(const AliasRule& rule,
                                          absl::string_view path) {
  switch (rule.kind) {
    case AliasPatternKind::kLiteral:
      if (rule.ignore_case ? absl::EqualsIgnoreCase(rule.pattern, path)
                           : rule.pattern == path) {
        return rule.target;
      }
      break;
    case AliasPatternKind::kGlob:
      if (GlobMatch(rule.pattern, path, rule.ignore_case)) return rule.target;
      break;
    case AliasPatternKind::kRegex: {
      if (path.size() > kMaxAliasRegexInput || rule.regex == nullptr) break;
      try {
        std::cmatch m;
        if (std::regex_match(path.data(), path.data() + path.size(), m,
                             *rule.regex)) {
          return ExpandGroups(rule.target, m);
        }
      } catch (const std::exception&) {
        // Too complex to match (std::regex_error): treat as no match.
      }
      break;
    }
  }
  return std::nullopt;
}

std::optional<std::string> MatchAliasRules(const std::vector<AliasRule>& rules,
                                           absl::string_view path) {
  for (const AliasRule& rule : rules) {
    if (std::optional<std::string> target = MatchAliasRule(rule, path)) {
      return target;
    }
  }
  return std::nullopt;
}

std::string WithQuery(absl::string_view target, absl::string_view query) {
  if (query.empty()) return std::string(target);
  return absl::StrCat(target,
                      target.find('?') == absl::string_view::npos ? "?" : "&",
                      query);
}

}  // namespace viewer
