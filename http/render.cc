#include "http/render.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/utf8.h"
#include "http/status_map.h"

namespace viewer {
namespace {

constexpr absl::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

struct NavItem {
  absl::string_view key;
  absl::string_view href;
  absl::string_view label;
};

constexpr NavItem kNav[] = {
    {"home", "/", "Home"},
    {"servers", "/servers", "Servers"},
    {"aliases", "/aliases", "Aliases"},
    {"variables", "/variables", "Variables"},
    {"secrets", "/secrets", "Secrets"},
    {"uploads", "/uploads", "CIDs"},
    {"upload", "/upload", "Upload"},
    {"history", "/history", "History"},
    {"search", "/search", "Search"},
    {"export", "/export", "Export"},
    {"status", "/status", "Status"},
};

}  // namespace

std::string ToValidUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      out.append(kReplacement.data(), kReplacement.size());
      ++i;
    } else {
      out.append(text.data() + i, n);
      i += n;
    }
  }
  return out;
}

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      out.append(kReplacement.data(), kReplacement.size());
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(text.data() + i, n);
      i += n;
      continue;
    }
    char c = text[i++];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\t': case '\n': case '\r': out.push_back(c); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          out.append(kReplacement.data(), kReplacement.size());
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

std::string UrlEncode(absl::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string DumpJson(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string HumanBytes(int64_t bytes) {
  if (bytes < 1024) return absl::StrCat(bytes, bytes == 1 ? " byte" : " bytes");
  static constexpr absl::string_view kUnits[] = {"KiB", "MiB", "GiB", "TiB",
                                                 "PiB"};
  int unit = 0;
  int64_t scale = 1024;
  while (unit + 1 < 5 && bytes / scale >= 1024) {
    scale *= 1024;
    ++unit;
  }
  const int64_t tenths =
      bytes < INT64_MAX / 10 ? bytes * 10 / scale : bytes / (scale / 10);
  return absl::StrCat(tenths / 10, ".", tenths % 10, " ", kUnits[unit]);
}

std::string ErrorBox(absl::string_view message) {
  if (message.empty()) return "";
  return absl::StrCat("<p class=\"message error\" role=\"alert\">",
                      HtmlEscape(message), "</p>\n");
}

std::string RenderPage(const PageChrome& chrome, absl::string_view title,
                       absl::string_view body_html) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>",
      HtmlEscape(title), " - viewer</title>\n<link rel=\"stylesheet\" href=\"",
      kStylesheetPath, "\">\n</head>\n<body>\n<nav class=\"top\">\n");
  for (const NavItem& item : kNav) {
    absl::StrAppend(&out, "<a href=\"", item.href, "\"",
                    item.key == chrome.active ? " class=\"current\"" : "", ">",
                    item.label, "</a>\n");
  }
  absl::StrAppend(&out, "</nav>\n");
  if (chrome.memory_mode) {
    absl::StrAppend(
        &out, "<div class=\"banner\" role=\"note\"><strong>In-memory database",
        chrome.read_only
            ? ", read-only demo.</strong> Look around: nothing here can be "
              "changed, and nothing is written to disk."
        : chrome.dumped
            ? ".</strong> Only the dump file (--dump-db-on-exit, written at "
              "exit and on POST /api/dump) goes to disk: anything created "
              "here after the last dump is lost if viewer does not stop "
              "cleanly."
            : ".</strong> Nothing is written to disk: everything created "
              "here is lost when viewer stops.",
        "</div>\n");
  }
  absl::StrAppend(&out, "<main>\n", body_html, "</main>\n</body>\n</html>\n");
  return out;
}

std::string RenderErrorPage(const PageChrome& chrome, int http_status,
                            absl::string_view message) {
  std::string title = absl::StrCat(http_status, " ", HttpReason(http_status));
  return RenderPage(chrome, title,
                    absl::StrCat("<h1>", HtmlEscape(title), "</h1>\n",
                                 ErrorBox(message),
                                 "<p><a href=\"/\">Home</a></p>\n"));
}

}  // namespace viewer
