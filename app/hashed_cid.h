// The hashed form of a short content's CID (docs/pipelines.md, "Outputs
// that hold a secret").
//
// A CID of at most 64 bytes' content is literal: its name spells the
// content out (app/cid.h). Content that must not show in links, history or
// logs (a server output holding a secret) is named instead by the same
// 8-character length prefix followed by the 86-character SHA-512 digest.
// ParseCid reads a prefix under 64 bytes followed by 86 characters as this
// hashed form (a literal that short is at most 84 characters). For exactly
// 64 bytes both forms are 86 characters: the name reads as a literal, only
// a store holding the bytes under it serves them, and CheckCidBytes accepts
// either reading.
//
//   std::string name = viewer::ComputeHashedCid("pw=hunter2");
//   // "AAAAAAAK" + 86 characters of digest; ParseCid(name)->is_literal is
//   // false
//
// Pure function; any thread.
#ifndef VIEWER_APP_HASHED_CID_H_
#define VIEWER_APP_HASHED_CID_H_

#include <string>

#include "absl/strings/string_view.h"

namespace viewer {

// The length prefix of ComputeCid(bytes) and the SHA-512 digest of
// `bytes`, whatever their length (equal to ComputeCid over 64 bytes).
std::string ComputeHashedCid(absl::string_view bytes);

}  // namespace viewer

#endif  // VIEWER_APP_HASHED_CID_H_
