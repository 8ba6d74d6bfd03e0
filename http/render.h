// HTML and JSON rendering shared by every page: escaping, the page frame
// (stylesheet, navigation bar, the memory-mode banner), error pages, and
// JSON text that never throws.
//
//   PageChrome chrome{.memory_mode = true, .active = "servers"};
//   std::string html = RenderPage(chrome, "Servers",
//       absl::StrCat("<p>", HtmlEscape(name), "</p>"));
//   std::string body = DumpJson({{"error", message}});
//
// Every piece of text that did not come from this file goes through
// HtmlEscape (or HtmlAttr for attribute values) before it is put in HTML.
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_RENDER_H_
#define VIEWER_HTTP_RENDER_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace viewer {

// The path the stylesheet is served at.
inline constexpr char kStylesheetPath[] = "/static/style.css";
// The stylesheet itself (http/style.css, embedded at build time).
absl::string_view Stylesheet();

// Text for HTML element content and attribute values: & < > " ' become
// entities; invalid UTF-8 and control characters other than tab, newline
// and carriage return become U+FFFD.
std::string HtmlEscape(absl::string_view text);

// `text` with invalid UTF-8 replaced by U+FFFD (for JSON and logs).
std::string ToValidUtf8(absl::string_view text);

// Percent-encodes everything but A-Z a-z 0-9 - . _ ~ (for a path segment or
// a query value in a link).
std::string UrlEncode(absl::string_view text);

// JSON text; invalid UTF-8 in strings becomes U+FFFD instead of throwing.
std::string DumpJson(const nlohmann::json& value, int indent = -1);

// "512 bytes", "1.5 KiB", "100.0 MiB", "1.0 GiB" (powers of 1024, one
// decimal past bytes; rounded down, so a full store never reads as more
// than its limit).
std::string HumanBytes(int64_t bytes);

struct PageChrome {
  // Shows the "everything is lost when viewer stops" banner.
  bool memory_mode = false;
  // Memory mode only: the banner says what this session really keeps: a
  // read-only demo changes nothing; a session with --dump-db-on-exit
  // writes its dump file.
  bool read_only = false;
  bool dumped = false;
  // The navigation entry to mark current ("servers", "uploads", ...).
  absl::string_view active;
};

// A whole HTML document: head with title and stylesheet, the navigation
// bar, the banner in memory mode, then `body_html` inside <main>.
std::string RenderPage(const PageChrome& chrome, absl::string_view title,
                       absl::string_view body_html);

// A page saying what went wrong: "404 Not Found" and the message.
std::string RenderErrorPage(const PageChrome& chrome, int http_status,
                            absl::string_view message);

// <p class="message error">message</p>, or "" for an empty message.
std::string ErrorBox(absl::string_view message);

}  // namespace viewer

#endif  // VIEWER_HTTP_RENDER_H_
