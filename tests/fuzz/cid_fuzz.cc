// Fuzz target for the CID codec (app/cid.h). Each input is used three ways:
// as content (ComputeCid must give a CID that parses and verifies against
// it, and against nothing else), as CID text (ParseCid accepts only
// canonical CIDs over A-Za-z0-9-_: an accepted literal re-encodes to the
// same text, an accepted hashed CID has a canonical digest) and as a path
// reference (ParseCidReference splits it back into CID and extension).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "app/cid.h"
#include "app/hashed_cid.h"
#include "tests/fuzz/fuzz_check.h"

namespace viewer {
namespace {

bool IsCidChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::string Show(absl::string_view s) { return absl::CHexEscape(s); }

void CheckComputed(absl::string_view content) {
  const std::string cid = ComputeCid(content);
  FUZZ_CHECK(cid == ComputeCid(content), "not deterministic");
  absl::StatusOr<ParsedCid> parsed = ParseCid(cid);
  FUZZ_CHECK(parsed.ok(), cid << ": " << parsed.status());
  FUZZ_CHECK(parsed->cid == cid, cid);
  FUZZ_CHECK(parsed->length == content.size(), cid);
  FUZZ_CHECK(parsed->is_literal == (content.size() <= kCidMaxLiteralBytes),
             cid);
  if (parsed->is_literal) {
    FUZZ_CHECK(parsed->literal_bytes == content, cid);
  } else {
    FUZZ_CHECK(cid.size() == kCidMaxChars, cid);
  }
  FUZZ_CHECK(VerifyCid(*parsed, content), cid);
  // The hashed name of the same content parses and verifies too.
  const std::string hashed = ComputeHashedCid(content);
  absl::StatusOr<ParsedCid> parsed_hashed = ParseCid(hashed);
  FUZZ_CHECK(parsed_hashed.ok(), hashed << ": " << parsed_hashed.status());
  FUZZ_CHECK(VerifyCid(*parsed_hashed, content), hashed);
  // Any other content fails: one byte more, and (when there is one) the
  // first byte changed.
  std::string other(content);
  other.push_back('x');
  FUZZ_CHECK(!VerifyCid(*parsed, other), cid);
  FUZZ_CHECK(
      CheckCidBytes(*parsed, other).code() == absl::StatusCode::kDataLoss, cid);
  if (!content.empty()) {
    other.pop_back();
    other[0] = static_cast<char>(other[0] ^ 1);
    FUZZ_CHECK(!VerifyCid(*parsed, other), cid);
  }
}

void CheckParsed(absl::string_view text) {
  absl::StatusOr<ParsedCid> parsed = ParseCid(text);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument,
               Show(text) << ": " << parsed.status());
    return;
  }
  for (char c : text) {
    FUZZ_CHECK(IsCidChar(c), "accepted " << Show(text));
  }
  FUZZ_CHECK(parsed->cid == text, Show(text));
  FUZZ_CHECK(text.size() >= kCidPrefixChars && text.size() <= kCidMaxChars,
             Show(text));
  // A length under 64 with an 86-character payload is a short content's
  // hashed name (ComputeHashedCid); otherwise the prefix decides.
  const bool short_hashed =
      parsed->length < kCidMaxLiteralBytes && text.size() == kCidMaxChars;
  FUZZ_CHECK(parsed->is_literal ==
                 (parsed->length <= kCidMaxLiteralBytes && !short_hashed),
             Show(text));
  if (parsed->is_literal) {
    // Canonical: the content it holds names itself with exactly this text.
    FUZZ_CHECK(parsed->literal_bytes.size() == parsed->length, Show(text));
    FUZZ_CHECK(
        ComputeCid(parsed->literal_bytes) == text,
        Show(text) << " re-encodes as " << ComputeCid(parsed->literal_bytes));
    FUZZ_CHECK(VerifyCid(*parsed, parsed->literal_bytes), Show(text));
  } else {
    FUZZ_CHECK(parsed->literal_bytes.empty(), Show(text));
    FUZZ_CHECK(text.size() == kCidMaxChars, Show(text));
    const absl::string_view digest = text.substr(kCidPrefixChars);
    std::string raw;
    FUZZ_CHECK(absl::WebSafeBase64Unescape(digest, &raw) && raw.size() == 64,
               Show(text));
    FUZZ_CHECK(absl::WebSafeBase64Escape(raw) == digest, Show(text));
  }
}

void CheckReference(absl::string_view text) {
  absl::StatusOr<CidReference> ref = ParseCidReference(text);
  if (!ref.ok()) {
    FUZZ_CHECK(ref.status().code() == absl::StatusCode::kInvalidArgument,
               Show(text) << ": " << ref.status());
    return;
  }
  absl::string_view rest = text;
  if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  std::string joined = ref->cid.cid;
  if (!ref->extension.empty()) joined += "." + ref->extension;
  FUZZ_CHECK(joined == rest, Show(text) << " splits into " << Show(joined));
  FUZZ_CHECK(ParseCid(ref->cid.cid).ok(), Show(text));
  for (char c : ref->extension) {
    FUZZ_CHECK(c == '.' || IsCidChar(c), Show(text));
  }
}

}  // namespace
}  // namespace viewer

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  viewer::CheckComputed(input);
  viewer::CheckParsed(input);
  viewer::CheckReference(input);
  return 0;
}
