#include "http/internal/formats.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

struct AcceptName {
  absl::string_view media_type;
  Format format;
};

constexpr AcceptName kAcceptNames[] = {
    {"text/html", Format::kHtml},
    {"application/xhtml+xml", Format::kHtml},
    {"application/json", Format::kJson},
    {"text/json", Format::kJson},
    {"text/plain", Format::kText},
    {"text/markdown", Format::kMarkdown},
    {"text/x-markdown", Format::kMarkdown},
    {"application/xml", Format::kXml},
    {"text/xml", Format::kXml},
    {"text/csv", Format::kCsv},
};

// Lower is preferred when two media types have the same quality.
int Preference(Format f) {
  switch (f) {
    case Format::kJson:
      return 0;
    case Format::kCsv:
      return 1;
    case Format::kHtml:
      return 2;
    case Format::kText:
      return 3;
    case Format::kMarkdown:
      return 4;
    case Format::kXml:
      return 5;
  }
  return 6;
}

// The q parameter of one Accept element ("text/csv;q=0.5"); 1 when absent,
// 0 when unreadable.
double Quality(const std::vector<absl::string_view>& params) {
  for (size_t i = 1; i < params.size(); ++i) {
    absl::string_view p = absl::StripAsciiWhitespace(params[i]);
    if (!absl::ConsumePrefix(&p, "q=") && !absl::ConsumePrefix(&p, "Q=")) {
      continue;
    }
    double q = 0;
    if (!absl::SimpleAtod(p, &q) || q < 0 || q > 1) return 0;
    return q;
  }
  return 1;
}

// One cell or line: strings as they are, null empty, anything else JSON.
std::string Scalar(const nlohmann::json& v) {
  if (v.is_string()) return ToValidUtf8(v.get<std::string>());
  if (v.is_null()) return "";
  return DumpJson(v);
}

// The rows of a list answer: the member of an object that has only one
// member, an array of objects, or such an array itself.
const nlohmann::json* Rows(const nlohmann::json& value) {
  const nlohmann::json* rows = value.is_array() ? &value : nullptr;
  if (value.is_object() && value.size() == 1 && value.begin()->is_array()) {
    rows = &*value.begin();
  }
  if (rows == nullptr) return nullptr;
  for (const nlohmann::json& row : *rows) {
    if (!row.is_object()) return nullptr;
  }
  return rows;
}

// The column names of rows of objects, in first-seen order.
std::vector<std::string> Columns(const nlohmann::json& rows) {
  std::vector<std::string> columns;
  for (const nlohmann::json& row : rows) {
    if (!row.is_object()) continue;
    for (const auto& [key, unused] : row.items()) {
      if (std::find(columns.begin(), columns.end(), key) == columns.end()) {
        columns.push_back(key);
      }
    }
  }
  return columns;
}

// "name" of every row, or nothing when a row has none.
std::optional<std::vector<std::string>> Names(const nlohmann::json& rows) {
  std::vector<std::string> names;
  for (const nlohmann::json& row : rows) {
    if (!row.is_object() || !row.contains("name") || row["name"].is_null()) {
      return std::nullopt;
    }
    names.push_back(Scalar(row["name"]));
  }
  return names;
}

std::string CsvField(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(text);
  }
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

void AppendCsvRow(const std::vector<std::string>& cells, std::string* out) {
  std::vector<std::string> quoted;
  for (const std::string& c : cells) quoted.push_back(CsvField(c));
  absl::StrAppend(out, absl::StrJoin(quoted, ","), "\r\n");
}

std::string ToCsv(const nlohmann::json& value) {
  std::string out;
  if (const nlohmann::json* rows = Rows(value); rows != nullptr) {
    const std::vector<std::string> columns = Columns(*rows);
    if (columns.empty()) return "";
    AppendCsvRow(columns, &out);
    for (const nlohmann::json& row : *rows) {
      std::vector<std::string> cells;
      for (const std::string& c : columns) {
        cells.push_back(row.contains(c) ? Scalar(row[c]) : "");
      }
      AppendCsvRow(cells, &out);
    }
    return out;
  }
  if (value.is_object()) {
    std::vector<std::string> keys, cells;
    for (const auto& [key, member] : value.items()) {
      keys.push_back(key);
      cells.push_back(Scalar(member));
    }
    AppendCsvRow(keys, &out);
    AppendCsvRow(cells, &out);
    return out;
  }
  AppendCsvRow({"value"}, &out);
  if (value.is_array()) {
    for (const nlohmann::json& item : value) AppendCsvRow({Scalar(item)}, &out);
  } else {
    AppendCsvRow({Scalar(value)}, &out);
  }
  return out;
}

std::string KeyValueLines(const nlohmann::json& object) {
  std::vector<std::string> lines;
  for (const auto& [key, member] : object.items()) {
    lines.push_back(absl::StrCat(key, ": ", Scalar(member)));
  }
  return absl::StrJoin(lines, "\n");
}

std::string ToText(const nlohmann::json& value) {
  if (const nlohmann::json* rows = Rows(value); rows != nullptr) {
    if (auto names = Names(*rows)) return absl::StrJoin(*names, "\n");
    std::vector<std::string> blocks;
    for (const nlohmann::json& row : *rows)
      blocks.push_back(KeyValueLines(row));
    return absl::StrJoin(blocks, "\n\n");
  }
  if (value.is_object()) return KeyValueLines(value);
  if (value.is_array()) {
    std::vector<std::string> lines;
    for (const nlohmann::json& item : value) lines.push_back(Scalar(item));
    return absl::StrJoin(lines, "\n");
  }
  return DumpJson(value, 2);
}

std::string MarkdownCell(const std::string& text) {
  return absl::StrReplaceAll(text, {{"|", "\\|"}, {"\r", " "}, {"\n", " "}});
}

std::string ToMarkdown(const nlohmann::json& value) {
  if (const nlohmann::json* rows = Rows(value); rows != nullptr) {
    const std::vector<std::string> columns = Columns(*rows);
    if (columns.empty()) return "";
    std::vector<std::string> rule(columns.size(), "---");
    std::vector<std::string> escaped;
    for (const std::string& c : columns) escaped.push_back(MarkdownCell(c));
    std::string out =
        absl::StrCat("| ", absl::StrJoin(escaped, " | "), " |\n| ",
                     absl::StrJoin(rule, " | "), " |\n");
    for (const nlohmann::json& row : *rows) {
      std::vector<std::string> cells;
      for (const std::string& c : columns) {
        cells.push_back(MarkdownCell(row.contains(c) ? Scalar(row[c]) : ""));
      }
      absl::StrAppend(&out, "| ", absl::StrJoin(cells, " | "), " |\n");
    }
    return out;
  }
  if (value.is_object()) {
    std::vector<std::string> lines;
    for (const auto& [key, member] : value.items()) {
      lines.push_back(absl::StrCat("- **", key, "**: ", Scalar(member)));
    }
    return absl::StrJoin(lines, "\n");
  }
  if (value.is_array()) {
    std::vector<std::string> lines;
    for (const nlohmann::json& item : value) {
      lines.push_back(absl::StrCat("- ", Scalar(item)));
    }
    return absl::StrJoin(lines, "\n");
  }
  return absl::StrCat("```json\n", DumpJson(value, 2), "\n```");
}

// A name usable as an XML element: anything but A-Z a-z 0-9 _ becomes _,
// and a leading digit gets a _ before it.
std::string XmlTag(absl::string_view key) {
  std::string tag(absl::StripAsciiWhitespace(key));
  for (char& c : tag) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_')
      c = '_';
  }
  if (tag.empty()) return "item";
  if (absl::ascii_isdigit(static_cast<unsigned char>(tag[0]))) {
    tag.insert(0, "_");
  }
  return tag;
}

// XML text: markup escaped, and control characters XML 1.0 forbids
// written as \xNN.
std::string XmlText(absl::string_view text) {
  std::string clean;
  for (char c : ToValidUtf8(text)) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      absl::StrAppend(&clean, absl::StrFormat("\\x%02x", u));
    } else {
      clean.push_back(c);
    }
  }
  return HtmlEscape(clean);
}

void AppendXml(const nlohmann::json& value, const std::string& tag,
               std::string* out) {
  if (value.is_null()) {
    absl::StrAppend(out, "<", tag, "/>");
    return;
  }
  absl::StrAppend(out, "<", tag, ">");
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      AppendXml(member, XmlTag(key), out);
    }
  } else if (value.is_array()) {
    for (const nlohmann::json& item : value) AppendXml(item, "item", out);
  } else {
    absl::StrAppend(out, XmlText(Scalar(value)));
  }
  absl::StrAppend(out, "</", tag, ">");
}

}  // namespace

absl::string_view FormatSuffix(Format format) {
  switch (format) {
    case Format::kHtml:
      return "html";
    case Format::kJson:
      return "json";
    case Format::kText:
      return "txt";
    case Format::kMarkdown:
      return "md";
    case Format::kCsv:
      return "csv";
    case Format::kXml:
      return "xml";
  }
  return "html";
}

std::string FormatMimeType(Format format) {
  switch (format) {
    case Format::kHtml:
      return "text/html; charset=utf-8";
    case Format::kJson:
      return "application/json";
    case Format::kText:
      return "text/plain; charset=utf-8";
    case Format::kMarkdown:
      return "text/markdown; charset=utf-8";
    case Format::kCsv:
      return "text/csv; charset=utf-8";
    case Format::kXml:
      return "application/xml; charset=utf-8";
  }
  return "text/html; charset=utf-8";
}

std::optional<Format> FormatFromSuffix(absl::string_view suffix) {
  for (Format f : kAllFormats) {
    if (FormatSuffix(f) == suffix) return f;
  }
  return std::nullopt;
}

Format FormatFromAccept(absl::string_view accept, Format fallback) {
  double best_q = 0;
  std::optional<Format> best;
  for (absl::string_view element : absl::StrSplit(accept, ',')) {
    const std::vector<absl::string_view> params = absl::StrSplit(element, ';');
    const std::string type =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(params[0]));
    const double q = Quality(params);
    if (q <= 0) continue;
    for (const AcceptName& name : kAcceptNames) {
      if (name.media_type != type) continue;
      if (!best || q > best_q ||
          (q == best_q && Preference(name.format) < Preference(*best))) {
        best = name.format;
        best_q = q;
      }
    }
  }
  return best.value_or(fallback);
}

std::string RenderData(const nlohmann::json& value, Format format) {
  switch (format) {
    case Format::kHtml:
      return absl::StrCat("<pre>", HtmlEscape(DumpJson(value, 2)), "</pre>");
    case Format::kJson:
      return DumpJson(value);
    case Format::kText:
      return ToText(value);
    case Format::kMarkdown:
      return ToMarkdown(value);
    case Format::kCsv:
      return ToCsv(value);
    case Format::kXml: {
      std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
      AppendXml(value, "response", &out);
      return out;
    }
  }
  return DumpJson(value);
}

}  // namespace viewer::http_internal
