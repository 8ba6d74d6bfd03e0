// CIDs: names for bytes (docs/design.md, "CIDs").
//
// A CID is 8 characters of base64url (no padding) of the content length as
// 6 bytes big-endian, followed by either the content itself in base64url
// (content of at most 64 bytes: a "literal" CID) or the base64url SHA-512
// digest of the content (86 characters: a "hashed" CID). Whether a CID is
// literal is decided by its length prefix, never by its string length: a
// 64-byte literal is 94 characters, exactly as long as a hashed CID.
//
//   std::string cid = viewer::ComputeCid("hello");  // "AAAAAAAFaGVsbG8"
//
//   VIEWER_ASSIGN_OR_RETURN(viewer::ParsedCid parsed, viewer::ParseCid(text));
//   if (parsed.is_literal) return parsed.literal_bytes;  // no lookup needed
//   if (!viewer::VerifyCid(parsed, bytes_from_disk)) { ... }
//
//   // A reference as it appears in a URL path: "/CID.txt".
//   VIEWER_ASSIGN_OR_RETURN(viewer::CidReference ref,
//                           viewer::ParseCidReference("/AAAAAAAFaGVsbG8.txt"));
//   // ref.cid.cid == "AAAAAAAFaGVsbG8", ref.extension == "txt"
//
// Every function here is pure and may be called from any thread.
#ifndef VIEWER_APP_CID_H_
#define VIEWER_APP_CID_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace viewer {

// Characters in the length prefix (6 bytes of base64url).
inline constexpr size_t kCidPrefixChars = 8;
// Content of at most this many bytes is spelled out in the CID itself.
inline constexpr size_t kCidMaxLiteralBytes = 64;
// Characters in a base64url SHA-512 digest without padding.
inline constexpr size_t kCidDigestChars = 86;
// The longest possible CID (a hashed one, or a 64-byte literal).
inline constexpr size_t kCidMaxChars = kCidPrefixChars + kCidDigestChars;
// The length prefix is 6 bytes, so content is at most 2^48 - 1 bytes.
inline constexpr uint64_t kCidMaxContentBytes = (uint64_t{1} << 48) - 1;

// A CID that passed ParseCid: syntactically valid and canonical.
struct ParsedCid {
  // The CID text, exactly as parsed (no slash, no extension).
  std::string cid;
  // The content length the prefix declares.
  uint64_t length = 0;
  // True when the content is spelled out in the CID (length <= 64).
  bool is_literal = false;
  // The content, decoded from the CID; empty unless is_literal.
  std::string literal_bytes;
};

// A CID as it appears in a path: optional leading '/', the CID, then an
// optional '.' and extension ("/CID.txt", "CID.tar.gz", "CID").
struct CidReference {
  ParsedCid cid;
  // Everything after the first '.', without the dot; empty when none.
  std::string extension;
};

// The CID of `bytes`. Never fails: content longer than kCidMaxContentBytes
// cannot be held in memory on any machine this runs on.
std::string ComputeCid(absl::string_view bytes);

// The base64url (no padding) SHA-512 digest of `bytes`: 86 characters.
std::string Sha512Base64Url(absl::string_view bytes);

// True for the 64 characters of base64url (A-Z a-z 0-9 - _), the only
// characters of a CID.
bool IsBase64UrlChar(char c);

// Parses and validates `text` as a CID. Fails with kInvalidArgument and a
// message naming the first problem found, in this order:
//   "CID is empty"
//   "CID has a character outside A-Za-z0-9-_: '%' at position 3"
//   "CID too short: 5 characters, the length prefix needs 8"
//   "CID literal has an impossible base64url length: 5 characters"
//   "CID literal is not canonical base64url: unused trailing bits are set"
//   "CID length prefix says 5 bytes but the literal holds 4"
//   "hashed CID needs an 86-character SHA-512 digest, got 12"
//   "CID digest is not canonical base64url: unused trailing bits are set"
absl::StatusOr<ParsedCid> ParseCid(absl::string_view text);

// OK when `bytes` is the content `cid` names. Otherwise kDataLoss with the
// reason, e.g. "the name says 5 bytes but there are 4", "bytes do not match
// the name (SHA-512 differs)", "bytes do not match the literal name".
absl::Status CheckCidBytes(const ParsedCid& cid, absl::string_view bytes);

// True when `bytes` is the content `cid` names (CheckCidBytes(...).ok()).
bool VerifyCid(const ParsedCid& cid, absl::string_view bytes);

// Parses "/CID.ext", "CID.ext", "/CID" or "CID". Fails with kInvalidArgument
// for an invalid CID (ParseCid's message), an empty extension ("CID reference
// ends with '.' but has no extension"), or an extension holding '/' or a
// character outside A-Za-z0-9.-_ ("CID reference extension has a character
// outside A-Za-z0-9.-_: '/'").
absl::StatusOr<CidReference> ParseCidReference(absl::string_view text);

}  // namespace viewer

#endif  // VIEWER_APP_CID_H_
