// UTF-8 as every layer reads it: well-formed sequences only, so no overlong
// forms, no surrogates (U+D800-U+DFFF) and nothing past U+10FFFF. The one
// copy of this rule: the HTML and JSON writers (http/render.h), the export
// reader and writer (app/export_import.h) and the entity checks
// (app/entities.h) all use it.
//
//   if (!IsValidUtf8(definition)) return absl::InvalidArgumentError(...);
//   for (size_t i = 0; i < s.size();) {
//     size_t n = Utf8SequenceLength(s, i);  // 0: not UTF-8 at i
//     ...
//   }
//
// Thread safety: pure functions.
#ifndef VIEWER_ENGINE_UTF8_H_
#define VIEWER_ENGINE_UTF8_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace viewer {

// The length (1 to 4 bytes) of the well-formed UTF-8 sequence that starts
// at text[i], or 0 when the bytes there are none. Requires i < text.size().
size_t Utf8SequenceLength(absl::string_view text, size_t i);

// True when all of `text` is well-formed UTF-8 (the empty text is).
bool IsValidUtf8(absl::string_view text);

}  // namespace viewer

#endif  // VIEWER_ENGINE_UTF8_H_
