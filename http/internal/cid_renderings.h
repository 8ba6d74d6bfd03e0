// Renderings of a CID's content other than its bytes: Markdown as an HTML
// fragment (/<CID>.md.html) and a QR code of the CID's address
// (/<CID>.qr as PNG, /<CID>.qr.svg as SVG). docs/formats.md shows them.
//
//   std::string html = MarkdownToSafeHtml("# Title\n<script>x</script>");
//   // "<h1>Title</h1>\n<!-- raw HTML omitted -->\n"
//   VIEWER_ASSIGN_OR_RETURN(QrCode code, EncodeQr("http://host/AAAAAAAA"));
//   std::string png = QrPng(code, /*scale=*/4);
//
// Markdown is CommonMark (libcmark) in its safe mode: raw HTML is left out
// and links or images to javascript:, vbscript:, file: and data: (other
// than images) addresses lose their address, so the fragment can be put in
// a page as it is.
//
// Thread safety: pure functions (libqrencode is built thread-safe).
#ifndef VIEWER_HTTP_INTERNAL_CID_RENDERINGS_H_
#define VIEWER_HTTP_INTERNAL_CID_RENDERINGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace viewer::http_internal {

// CommonMark `markdown` as HTML, without any raw HTML it held. Invalid
// UTF-8 becomes U+FFFD.
std::string MarkdownToSafeHtml(absl::string_view markdown);

// A QR code: width x width modules, row by row, true for dark.
struct QrCode {
  int width = 0;
  std::vector<bool> dark;
  bool At(int x, int y) const {
    return dark[static_cast<size_t>(y) * width + x];
  }
};

// The QR code (error correction level M, byte mode) of `text`;
// kInvalidArgument when it is too long for the largest QR code.
absl::StatusOr<QrCode> EncodeQr(absl::string_view text);

// The code as a PNG: 8-bit grey, `scale` pixels per module and a quiet
// zone of 4 modules around it.
std::string QrPng(const QrCode& code, int scale);

// The code as an SVG document: one path of unit squares, viewBox in
// modules, a quiet zone of 4 modules.
std::string QrSvg(const QrCode& code);

// The quiet zone around a code, in modules.
inline constexpr int kQrQuietZone = 4;

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_CID_RENDERINGS_H_
