#include "app/cid.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "app/hashed_cid.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

// The 6-bit value of a base64url character, or -1 for any other byte.
int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// How a byte is shown in an error message: itself when printable ASCII,
// else a C escape ("\n", "\xff").
std::string ShowByte(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string(1, c);
  return absl::CHexEscape(absl::string_view(&c, 1));
}

// Checks that `payload` (valid characters only) is base64url that some byte
// string encodes to, with no bits set beyond the last whole byte, then
// decodes it. `what` names the payload in messages ("literal", "digest").
absl::StatusOr<std::string> DecodeCanonical(absl::string_view payload,
                                            absl::string_view what) {
  const size_t rest = payload.size() % 4;
  if (rest == 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "CID ", what, " has an impossible base64url length: ", payload.size(),
        " characters"));
  }
  if (rest != 0) {
    // 2 characters carry 12 bits for 1 byte, 3 carry 18 bits for 2 bytes:
    // the low 4 or 2 bits of the last character are unused and must be 0.
    const int unused_mask = rest == 2 ? 0x0f : 0x03;
    if ((Base64UrlValue(payload.back()) & unused_mask) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("CID ", what,
                       " is not canonical base64url: unused trailing bits "
                       "are set"));
    }
  }
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(payload, &decoded)) {
    return absl::InvalidArgumentError(
        absl::StrCat("CID ", what, " is not valid base64url"));
  }
  return decoded;
}

}  // namespace

bool IsBase64UrlChar(char c) { return Base64UrlValue(c) >= 0; }

std::string Sha512Base64Url(absl::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  // EVP_Digest fails only when the library cannot allocate or fetch SHA-512,
  // which leaves no sensible way to go on.
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &digest_size, EVP_sha512(),
                 nullptr) != 1 ||
      digest_size != 64) {
    std::abort();
  }
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(digest), digest_size));
}

std::string ComputeHashedCid(absl::string_view bytes) {
  return absl::StrCat(ComputeCid(bytes).substr(0, kCidPrefixChars),
                      Sha512Base64Url(bytes));
}

std::string ComputeCid(absl::string_view bytes) {
  const uint64_t length = bytes.size();
  char prefix[6];
  for (int i = 0; i < 6; ++i) {
    prefix[i] = static_cast<char>((length >> (8 * (5 - i))) & 0xff);
  }
  std::string cid = absl::WebSafeBase64Escape(absl::string_view(prefix, 6));
  if (bytes.size() <= kCidMaxLiteralBytes) {
    absl::StrAppend(&cid, absl::WebSafeBase64Escape(bytes));
  } else {
    absl::StrAppend(&cid, Sha512Base64Url(bytes));
  }
  return cid;
}

absl::StatusOr<ParsedCid> ParseCid(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("CID is empty");
  for (size_t i = 0; i < text.size(); ++i) {
    if (Base64UrlValue(text[i]) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("CID has a character outside A-Za-z0-9-_: '",
                       ShowByte(text[i]), "' at position ", i));
    }
  }
  if (text.size() < kCidPrefixChars) {
    return absl::InvalidArgumentError(
        absl::StrCat("CID too short: ", text.size(),
                     " characters, the length prefix needs ", kCidPrefixChars));
  }
  ParsedCid parsed;
  // 8 characters carry exactly 48 bits: the 6-byte big-endian length.
  for (size_t i = 0; i < kCidPrefixChars; ++i) {
    parsed.length = (parsed.length << 6) | Base64UrlValue(text[i]);
  }
  const absl::string_view payload = text.substr(kCidPrefixChars);
  // Content of up to 63 bytes followed by an 86-character digest is the
  // hashed form of a short content's name (ComputeHashedCid): a literal
  // that short is at most 84 characters, so the two cannot be confused.
  parsed.is_literal = parsed.length <= kCidMaxLiteralBytes &&
                      !(parsed.length < kCidMaxLiteralBytes &&
                        payload.size() == kCidDigestChars);
  if (parsed.is_literal) {
    VIEWER_ASSIGN_OR_RETURN(parsed.literal_bytes,
                            DecodeCanonical(payload, "literal"));
    if (parsed.literal_bytes.size() != parsed.length) {
      return absl::InvalidArgumentError(absl::StrCat(
          "CID length prefix says ", parsed.length,
          " bytes but the literal holds ", parsed.literal_bytes.size()));
    }
  } else {
    if (payload.size() != kCidDigestChars) {
      return absl::InvalidArgumentError(
          absl::StrCat("hashed CID needs an ", kCidDigestChars,
                       "-character SHA-512 digest, got ", payload.size()));
    }
    VIEWER_RETURN_IF_ERROR(DecodeCanonical(payload, "digest").status());
  }
  parsed.cid = std::string(text);
  return parsed;
}

absl::Status CheckCidBytes(const ParsedCid& cid, absl::string_view bytes) {
  if (bytes.size() != cid.length) {
    return absl::DataLossError(absl::StrCat(
        "the name says ", cid.length, " bytes but there are ", bytes.size()));
  }
  const absl::string_view payload = absl::string_view(cid.cid).substr(
      std::min(cid.cid.size(), kCidPrefixChars));
  if (cid.is_literal) {
    // 64 bytes: the literal and the hashed form are both 86 characters;
    // the name holds either the bytes or their digest.
    const bool hashed_64 = bytes.size() == kCidMaxLiteralBytes &&
                           Sha512Base64Url(bytes) == payload;
    if (bytes != cid.literal_bytes && !hashed_64) {
      return absl::DataLossError("bytes do not match the literal name");
    }
    return absl::OkStatus();
  }
  if (Sha512Base64Url(bytes) != payload) {
    return absl::DataLossError("bytes do not match the name (SHA-512 differs)");
  }
  return absl::OkStatus();
}

bool VerifyCid(const ParsedCid& cid, absl::string_view bytes) {
  return CheckCidBytes(cid, bytes).ok();
}

absl::StatusOr<CidReference> ParseCidReference(absl::string_view text) {
  if (!text.empty() && text.front() == '/') text.remove_prefix(1);
  CidReference ref;
  const size_t dot = text.find('.');
  if (dot != absl::string_view::npos) {
    const absl::string_view extension = text.substr(dot + 1);
    if (extension.empty()) {
      return absl::InvalidArgumentError(
          "CID reference ends with '.' but has no extension");
    }
    for (char c : extension) {
      if (c != '.' && Base64UrlValue(c) < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("CID reference extension has a character outside "
                         "A-Za-z0-9.-_: '",
                         ShowByte(c), "'"));
      }
    }
    ref.extension = std::string(extension);
    text = text.substr(0, dot);
  }
  VIEWER_ASSIGN_OR_RETURN(ref.cid, ParseCid(text));
  return ref;
}

}  // namespace viewer
