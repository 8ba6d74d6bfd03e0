// MIME types for CIDs served as /<CID>.<ext>.
//
//   MimeTypeFor("txt", bytes)   // "text/plain; charset=utf-8", always
//   MimeTypeFor("png", bytes)   // "image/png"
//   MimeTypeFor("", "hello")    // "text/plain; charset=utf-8" (UTF-8 text)
//   MimeTypeFor("", "\xff")     // "application/octet-stream"
//
// The extension is matched case-insensitively, first whole ("tar.gz"),
// then by its last part ("gz"). Unknown extensions are
// application/octet-stream.
//
// Thread safety: pure function.
#ifndef VIEWER_HTTP_MIME_H_
#define VIEWER_HTTP_MIME_H_

#include <string>

#include "absl/strings/string_view.h"

namespace viewer {

std::string MimeTypeFor(absl::string_view extension, absl::string_view bytes);

}  // namespace viewer

#endif  // VIEWER_HTTP_MIME_H_
