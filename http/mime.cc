#include "http/mime.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "engine/utf8.h"

namespace viewer {
namespace {

constexpr std::pair<absl::string_view, absl::string_view> kTypes[] = {
    {"txt", "text/plain; charset=utf-8"},
    {"text", "text/plain; charset=utf-8"},
    {"log", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"xml", "application/xml"},
    {"yaml", "application/yaml"},
    {"yml", "application/yaml"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/vnd.microsoft.icon"},
    {"bmp", "image/bmp"},
    {"pdf", "application/pdf"},
    {"wasm", "application/wasm"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
    {"tgz", "application/gzip"},
    {"tar", "application/x-tar"},
    {"mp3", "audio/mpeg"},
    {"wav", "audio/wav"},
    {"ogg", "audio/ogg"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"bin", "application/octet-stream"},
};

constexpr absl::string_view kOctetStream = "application/octet-stream";

absl::string_view Lookup(absl::string_view ext) {
  for (const auto& [key, type] : kTypes) {
    if (absl::EqualsIgnoreCase(key, ext)) return type;
  }
  return {};
}

}  // namespace

std::string MimeTypeFor(absl::string_view extension, absl::string_view bytes) {
  if (extension.empty()) {
    return std::string(IsValidUtf8(bytes) ? "text/plain; charset=utf-8"
                                          : kOctetStream);
  }
  absl::string_view type = Lookup(extension);
  if (type.empty()) {
    size_t dot = extension.rfind('.');
    if (dot != absl::string_view::npos) type = Lookup(extension.substr(dot + 1));
  }
  return std::string(type.empty() ? kOctetStream : type);
}

}  // namespace viewer
