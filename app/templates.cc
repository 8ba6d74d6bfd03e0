#include "app/templates.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace viewer {
namespace {

constexpr absl::string_view kOpen = "{{";
constexpr absl::string_view kClose = "}}";
constexpr absl::string_view kSecretPrefix = "secret:";
constexpr absl::string_view kRequestPrefix = "request.";
constexpr absl::string_view kQueryPrefix = "request.query.";
constexpr absl::string_view kRestPrefix = "request.rest.";

// Segment `n` (from 1) of `rest`, or "" when there is none.
absl::string_view RestSegment(absl::string_view rest, size_t n) {
  if (rest.empty()) return "";
  for (absl::string_view segment : absl::StrSplit(rest, '/')) {
    if (--n == 0) return segment;
  }
  return "";
}

// Calls `on_text(literal)` and `on_key(key)` for the parts of `text`, in
// order. Stops early when a callback returns a non-OK status.
template <typename OnText, typename OnKey>
absl::Status Scan(absl::string_view text, OnText on_text, OnKey on_key) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find(kOpen, pos);
    if (open == absl::string_view::npos) break;
    size_t close = text.find(kClose, open + kOpen.size());
    if (close == absl::string_view::npos) break;
    if (absl::Status s = on_text(text.substr(pos, open - pos)); !s.ok()) {
      return s;
    }
    absl::string_view key = absl::StripAsciiWhitespace(
        text.substr(open + kOpen.size(), close - open - kOpen.size()));
    if (absl::Status s = on_key(key); !s.ok()) return s;
    pos = close + kClose.size();
  }
  return on_text(text.substr(pos));
}

absl::Status Unknown(absl::string_view key, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("unknown placeholder {{", key, "}}: ", why));
}

}  // namespace

absl::StatusOr<std::string> RenderTemplate(absl::string_view text,
                                           const TemplateInputs& inputs) {
  std::string out;
  auto append = [&](absl::string_view piece) -> absl::Status {
    if (piece.size() > inputs.max_output_bytes - out.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "template output is over ", inputs.max_output_bytes, " bytes"));
    }
    out.append(piece.data(), piece.size());
    return absl::OkStatus();
  };
  auto on_key = [&](absl::string_view key) -> absl::Status {
    if (absl::StartsWith(key, kSecretPrefix)) {
      absl::string_view name = key.substr(kSecretPrefix.size());
      auto it = inputs.secrets.find(name);
      if (it == inputs.secrets.end()) {
        return Unknown(key,
                       absl::StrCat("no enabled secret named '", name, "'"));
      }
      return append(it->second);
    }
    if (key == "request.path") return append(inputs.request_path);
    if (key == "input") return append(inputs.input);
    if (key == "request.rest") return append(inputs.rest);
    if (absl::StartsWith(key, kRestPrefix)) {
      size_t n = 0;
      if (!absl::SimpleAtoi(key.substr(kRestPrefix.size()), &n) || n == 0) {
        return Unknown(key, "request.rest.N takes a segment number from 1");
      }
      return append(RestSegment(inputs.rest, n));
    }
    if (absl::StartsWith(key, kQueryPrefix) && key.size() > kQueryPrefix.size()) {
      auto it = inputs.query.find(key.substr(kQueryPrefix.size()));
      return it == inputs.query.end() ? absl::OkStatus() : append(it->second);
    }
    if (absl::StartsWith(key, kRequestPrefix)) {
      return Unknown(key,
                     "use request.path, request.rest, request.rest.N or "
                     "request.query.KEY");
    }
    auto it = inputs.variables.find(key);
    if (it == inputs.variables.end()) {
      return Unknown(key, absl::StrCat("no enabled variable named '", key, "'"));
    }
    return append(it->second);
  };
  absl::Status status = Scan(text, append, on_key);
  if (!status.ok()) return status;
  return out;
}

std::vector<std::string> TemplatePlaceholders(absl::string_view text) {
  std::vector<std::string> keys;
  Scan(
      text, [](absl::string_view) { return absl::OkStatus(); },
      [&](absl::string_view key) {
        keys.emplace_back(key);
        return absl::OkStatus();
      })
      .IgnoreError();
  return keys;
}

}  // namespace viewer
