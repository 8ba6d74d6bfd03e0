#include "app/internal/alias_patterns.h"

#include <re2/re2.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace viewer::alias_internal {
namespace {

// RE2's own memory limit for one program; the instruction count is checked
// against kMaxAliasProgramSize after compiling.
constexpr int64_t kMaxProgramMemory = 1 << 20;

absl::Status Error(absl::string_view message) {
  return absl::InvalidArgumentError(message);
}

absl::Status TooCostly(absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(kTooCostly, message));
}

std::string Quote(absl::string_view text) {
  return RE2::QuoteMeta(re2::StringPiece(text.data(), text.size()));
}

// A glob class "[...]" starting at pattern[i]: appends its RE2 form and
// returns the index after it, or returns i when there is no closing ']'
// (the '[' is then a literal character).
size_t AppendGlobClass(absl::string_view pattern, size_t i, std::string& out) {
  size_t j = i + 1;
  if (j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^')) ++j;
  if (j < pattern.size() && pattern[j] == ']') ++j;
  while (j < pattern.size() && pattern[j] != ']') ++j;
  if (j >= pattern.size()) return i;
  absl::string_view body = pattern.substr(i + 1, j - i - 1);
  out.push_back('[');
  if (!body.empty() && (body[0] == '!' || body[0] == '^')) {
    out.push_back('^');
    body.remove_prefix(1);
  }
  for (char c : body) {
    const auto u = static_cast<unsigned char>(c);
    if (c != '-' && u < 0x80 && !absl::ascii_isalnum(u)) out.push_back('\\');
    out.push_back(c);
  }
  out.push_back(']');
  return j + 1;
}

// `*` runs become one capturing group each; `?` and classes do not capture.
std::string GlobToRegex(absl::string_view pattern) {
  std::string out = "(?s)";
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += Quote(pattern.substr(i + 1, 1));
      i += 2;
    } else if (c == '*') {
      while (i < pattern.size() && pattern[i] == '*') ++i;
      out += "(.*)";
    } else if (c == '?') {
      out += ".";
      ++i;
    } else if (c == '[') {
      const size_t after = AppendGlobClass(pattern, i, out);
      if (after == i) out += "\\[";
      i = after == i ? i + 1 : after;
    } else {
      out += Quote(pattern.substr(i, 1));
      ++i;
    }
  }
  return out;
}

absl::StatusOr<std::string> FlaskConverter(absl::string_view converter) {
  if (converter.empty() || converter == "string" || converter == "default") {
    return std::string("([^/]+)");
  }
  if (converter == "int") return std::string("(\\d+)");
  if (converter == "float") return std::string("(\\d+\\.\\d+)");
  if (converter == "path") return std::string("([^/].*)");
  if (converter == "uuid") {
    return std::string(
        "([A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-"
        "[A-Fa-f0-9]{12})");
  }
  return Error(absl::StrCat("unknown flask converter '", converter,
                            "' (converters: string, int, float, path, uuid)"));
}

bool IsIdentifier(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(static_cast<unsigned char>(name[0])))
    return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_')
      return false;
  }
  return true;
}

absl::StatusOr<std::string> FlaskToRegex(absl::string_view pattern,
                                         std::vector<std::string>& names) {
  std::string out = "(?s)";
  size_t i = 0;
  while (i < pattern.size()) {
    const size_t open = pattern.find('<', i);
    out += Quote(pattern.substr(i, open == absl::string_view::npos
                                       ? absl::string_view::npos
                                       : open - i));
    if (open == absl::string_view::npos) break;
    const size_t close = pattern.find('>', open);
    if (close == absl::string_view::npos) {
      return Error("a '<' in the flask pattern is not closed by '>'");
    }
    absl::string_view inside = pattern.substr(open + 1, close - open - 1);
    absl::string_view converter;
    if (const size_t colon = inside.find(':');
        colon != absl::string_view::npos) {
      converter = inside.substr(0, colon);
      inside.remove_prefix(colon + 1);
    }
    if (!IsIdentifier(inside)) {
      return Error(absl::StrCat("'<", pattern.substr(open + 1, close - open - 1),
                                ">' does not name a placeholder (letters, "
                                "digits and '_')"));
    }
    for (const std::string& name : names) {
      if (name == inside) {
        return Error(absl::StrCat("the placeholder <", inside,
                                  "> appears twice"));
      }
    }
    absl::StatusOr<std::string> group = FlaskConverter(converter);
    if (!group.ok()) return group.status();
    out += *group;
    names.emplace_back(inside);
    i = close + 1;
  }
  return out;
}

}  // namespace

int RegexNesting(absl::string_view regex) {
  int depth = 0, deepest = 0;
  bool in_class = false;
  for (size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      if (c == ']') in_class = false;
    } else if (c == '[') {
      in_class = true;
      if (i + 1 < regex.size() && regex[i + 1] == '^') ++i;
      if (i + 1 < regex.size() && regex[i + 1] == ']') ++i;
    } else if (c == '(') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ')' && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

namespace {

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

void ExpandRegex(absl::string_view target,
                 const std::vector<absl::string_view>& groups,
                 std::string& out) {
  for (size_t i = 0; i < target.size(); ++i) {
    const char c = target[i];
    if (c == '$' && i + 1 < target.size()) {
      const char n = target[i + 1];
      if (n == '$' || (n >= '1' && n <= '9')) {
        ++i;
        if (n == '$') {
          out.push_back('$');
        } else if (static_cast<size_t>(n - '0') < groups.size()) {
          AppendEncoded(groups[static_cast<size_t>(n - '0')], out);
        }
        continue;
      }
    }
    out.push_back(c);
  }
}

void ExpandGlob(absl::string_view target,
                const std::vector<absl::string_view>& groups,
                std::string& out) {
  size_t next = 1;
  for (size_t i = 0; i < target.size();) {
    if (target[i] == '*') {
      while (i < target.size() && target[i] == '*') ++i;
      if (next < groups.size()) {
        AppendEncoded(groups[next++], out);
      } else {
        out.push_back('*');
      }
    } else {
      out.push_back(target[i++]);
    }
  }
}

void ExpandFlask(const AliasRule& rule, absl::string_view target,
                 const std::vector<absl::string_view>& groups,
                 std::string& out) {
  size_t i = 0;
  while (i < target.size()) {
    const size_t open = target.find('<', i);
    const size_t close = open == absl::string_view::npos
                             ? absl::string_view::npos
                             : target.find('>', open);
    if (close == absl::string_view::npos) {
      absl::StrAppend(&out, target.substr(i));
      return;
    }
    absl::StrAppend(&out, target.substr(i, open - i));
    absl::string_view name = target.substr(open + 1, close - open - 1);
    if (const size_t colon = name.find(':'); colon != absl::string_view::npos) {
      name.remove_prefix(colon + 1);
    }
    bool found = false;
    for (size_t n = 0; n < rule.names.size() && n + 1 < groups.size(); ++n) {
      if (rule.names[n] == name) {
        AppendEncoded(groups[n + 1], out);
        found = true;
        break;
      }
    }
    if (!found) absl::StrAppend(&out, target.substr(open, close - open + 1));
    i = close + 1;
  }
}

}  // namespace

absl::StatusOr<CompiledPattern> CompilePattern(AliasPatternKind kind,
                                               absl::string_view pattern,
                                               bool ignore_case) {
  CompiledPattern compiled;
  std::string regex;
  if (kind == AliasPatternKind::kGlob) {
    regex = GlobToRegex(pattern);
  } else if (kind == AliasPatternKind::kFlask) {
    absl::StatusOr<std::string> flask = FlaskToRegex(pattern, compiled.names);
    if (!flask.ok()) return flask.status();
    regex = *std::move(flask);
  } else {
    regex = std::string(pattern);
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!ignore_case);
  options.set_max_mem(kMaxProgramMemory);
  auto re = std::make_shared<const RE2>(regex, options);
  if (!re->ok()) {
    if (re->error_code() == RE2::ErrorPatternTooLarge ||
        re->error_code() == RE2::ErrorRepeatSize) {
      return TooCostly(
          absl::StrCat("the regular expression is too large: ", re->error()));
    }
    return Error(absl::StrCat("bad regular expression: ", re->error()));
  }
  if (re->ProgramSize() > kMaxAliasProgramSize) {
    return TooCostly(absl::StrCat("the pattern compiles to ",
                                  re->ProgramSize(), " instructions (at most ",
                                  kMaxAliasProgramSize, ")"));
  }
  compiled.cost = re->ProgramSize();
  compiled.regex = std::move(re);
  return compiled;
}

std::string AnchorRegex(absl::string_view regex, absl::string_view parent) {
  absl::ConsumePrefix(&regex, "^");
  if (parent.empty()) return absl::StrCat("/?(?:", regex, ")");
  absl::ConsumePrefix(&regex, "/");
  return absl::StrCat(Quote(absl::StrCat(parent, "/")), "(?:", regex, ")");
}

absl::Status CheckFlaskTarget(absl::string_view target,
                              const std::vector<std::string>& names) {
  size_t i = 0;
  while (true) {
    const size_t open = target.find('<', i);
    if (open == absl::string_view::npos) return absl::OkStatus();
    const size_t close = target.find('>', open);
    if (close == absl::string_view::npos) return absl::OkStatus();
    absl::string_view name = target.substr(open + 1, close - open - 1);
    if (const size_t colon = name.find(':'); colon != absl::string_view::npos) {
      name.remove_prefix(colon + 1);
    }
    bool known = false;
    for (const std::string& n : names) known = known || n == name;
    if (!known) {
      return Error(absl::StrCat("the target names <", name,
                                ">, which the pattern does not capture"));
    }
    i = close + 1;
  }
}

std::string ExpandTarget(const AliasRule& rule,
                         const std::vector<absl::string_view>& groups) {
  std::string out;
  switch (rule.kind) {
    case AliasPatternKind::kLiteral:
      out = rule.target;
      break;
    case AliasPatternKind::kGlob:
      ExpandGlob(rule.target, groups, out);
      break;
    case AliasPatternKind::kRegex:
      ExpandRegex(rule.target, groups, out);
      break;
    case AliasPatternKind::kFlask:
      ExpandFlask(rule, rule.target, groups, out);
      break;
  }
  size_t slashes = 0;
  while (slashes < out.size() && out[slashes] == '/') ++slashes;
  if (slashes > 1) out.erase(0, slashes - 1);
  return out;
}

}  // namespace viewer::alias_internal
