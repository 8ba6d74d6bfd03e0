#include "http/internal/cid_renderings.h"

#include <cmark.h>
#include <qrencode.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

void AppendBigEndian32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

// One PNG chunk: length, type, data, CRC-32 of type and data.
void AppendChunk(absl::string_view type, absl::string_view data,
                 std::string* out) {
  AppendBigEndian32(static_cast<uint32_t>(data.size()), out);
  const size_t crc_start = out->size();
  absl::StrAppend(out, type, data);
  const uLong crc =
      crc32(0L, reinterpret_cast<const Bytef*>(out->data() + crc_start),
            static_cast<uInt>(out->size() - crc_start));
  AppendBigEndian32(static_cast<uint32_t>(crc), out);
}

// The zlib stream of `raw` (PNG's IDAT holds exactly that).
std::string Deflate(const std::string& raw) {
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size,
            reinterpret_cast<const Bytef*>(raw.data()),
            static_cast<uLong>(raw.size()), Z_BEST_COMPRESSION);
  out.resize(size);
  return out;
}

struct QrDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

std::string MarkdownToSafeHtml(absl::string_view markdown) {
  const std::string text = ToValidUtf8(markdown);
  // CMARK_OPT_DEFAULT is the safe mode: CMARK_OPT_UNSAFE is never set.
  char* html =
      cmark_markdown_to_html(text.data(), text.size(), CMARK_OPT_DEFAULT);
  std::string out = html == nullptr ? "" : html;
  std::free(html);
  return out;
}

absl::StatusOr<QrCode> EncodeQr(absl::string_view text) {
  std::unique_ptr<QRcode, QrDeleter> qr(QRcode_encodeData(
      static_cast<int>(text.size()),
      reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
  if (qr == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a QR code cannot hold ", text.size(), " bytes at level M"));
  }
  QrCode code;
  code.width = qr->width;
  code.dark.resize(static_cast<size_t>(qr->width) * qr->width);
  for (size_t i = 0; i < code.dark.size(); ++i) {
    code.dark[i] = (qr->data[i] & 1) != 0;  // bit 0: dark module
  }
  return code;
}

std::string QrPng(const QrCode& code, int scale) {
  const int modules = code.width + 2 * kQrQuietZone;
  const uint32_t pixels = static_cast<uint32_t>(modules * scale);
  std::string raw;
  raw.reserve(static_cast<size_t>(pixels) * (pixels + 1));
  for (uint32_t py = 0; py < pixels; ++py) {
    raw.push_back('\0');  // filter type: none
    const int y = static_cast<int>(py) / scale - kQrQuietZone;
    for (uint32_t px = 0; px < pixels; ++px) {
      const int x = static_cast<int>(px) / scale - kQrQuietZone;
      const bool inside = x >= 0 && y >= 0 && x < code.width && y < code.width;
      raw.push_back(inside && code.At(x, y) ? '\0' : '\xff');
    }
  }
  std::string png = "\x89PNG\r\n\x1a\n";
  std::string header;
  AppendBigEndian32(pixels, &header);
  AppendBigEndian32(pixels, &header);
  // Bit depth 8, colour type 0 (grey), deflate, no filter set, no interlace.
  header.append({'\x08', '\x00', '\x00', '\x00', '\x00'});
  AppendChunk("IHDR", header, &png);
  AppendChunk("IDAT", Deflate(raw), &png);
  AppendChunk("IEND", "", &png);
  return png;
}

std::string QrSvg(const QrCode& code) {
  const int size = code.width + 2 * kQrQuietZone;
  std::string path;
  for (int y = 0; y < code.width; ++y) {
    for (int x = 0; x < code.width; ++x) {
      if (code.At(x, y)) {
        absl::StrAppend(&path, "M", x + kQrQuietZone, " ", y + kQrQuietZone,
                        "h1v1h-1z");
      }
    }
  }
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ",
      size, " ", size, "\" width=\"", size * 4, "\" height=\"", size * 4,
      "\" shape-rendering=\"crispEdges\">\n<rect width=\"", size,
      "\" height=\"", size, "\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"",
      path, "\"/>\n</svg>\n");
}

}  // namespace viewer::http_internal
