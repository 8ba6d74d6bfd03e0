// Response formats: the six ways a list or entity page can answer (HTML,
// JSON, plain text, Markdown, CSV, XML), chosen by a path suffix
// ("/servers.csv") or by the Accept header, and the renderings of a JSON
// answer in each data format. docs/formats.md describes them for users.
//
//   std::optional<Format> f = FormatFromSuffix("csv");        // kCsv
//   Format g = FormatFromAccept("text/markdown", Format::kHtml);  // kMarkdown
//   std::string body = RenderData({{"servers", list}}, Format::kCsv);
//
// A list answer is a JSON object whose one member is an array of objects
// ({"servers": [...]}): CSV, text and Markdown render that array's rows (CSV
// a header and a row each, text the names, or "key: value" blocks when the
// rows have no name, Markdown a table); anything else renders
// the object itself (text "key: value" lines, Markdown "- **key**: value",
// CSV a header row and one value row, XML nested elements under
// <response>).
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_INTERNAL_FORMATS_H_
#define VIEWER_HTTP_INTERNAL_FORMATS_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

enum class Format { kHtml, kJson, kText, kMarkdown, kCsv, kXml };

// Every format, in the order the suffixes are listed to users.
inline constexpr Format kAllFormats[] = {Format::kHtml, Format::kJson,
                                         Format::kText, Format::kMarkdown,
                                         Format::kCsv,  Format::kXml};

// "html", "json", "txt", "md", "csv", "xml".
absl::string_view FormatSuffix(Format format);
// The Content-Type of an answer in `format` (with charset=utf-8).
std::string FormatMimeType(Format format);

// The format a path suffix (without the dot) names; nullopt for any other.
std::optional<Format> FormatFromSuffix(absl::string_view suffix);

// The format an Accept header asks for: the listed media type with the
// highest quality (text/html, application/xhtml+xml, application/json,
// text/json, text/plain, text/markdown, text/x-markdown, application/xml,
// text/xml, text/csv); on equal quality JSON, CSV, HTML, text, Markdown,
// XML in that order. Wildcards (*/*, text/*) and headers naming none of
// these keep `fallback`.
Format FormatFromAccept(absl::string_view accept, Format fallback);

// `value` rendered in a data format (kJson, kText, kMarkdown, kCsv, kXml);
// kHtml gives the JSON, indented, in a <pre> block.
std::string RenderData(const nlohmann::json& value, Format format);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_FORMATS_H_
