// HTML and JSON for keeping work: the export page (choices, the download
// link of the export just made, past exports) and the import page (the
// form, the counts of a success, the problems of a failure).
//
//   ctx.Page("Export", ExportPageHtml({.exports = list, .made = cid}),
//            "export");
//   ctx.Json(200, ImportResultJson(result));
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_INTERNAL_EXPORT_PAGES_H_
#define VIEWER_HTTP_INTERNAL_EXPORT_PAGES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "app/export_import.h"
#include "app/exports.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

struct ExportPage {
  // Past exports, newest first.
  std::vector<ExportRecord> exports;
  // The CID of the export just made (a valid CID), or empty.
  std::string made;
  // A read-only demo: the form is shown disabled.
  bool read_only = false;
};
std::string ExportPageHtml(const ExportPage& page);

// "/<CID>.json": where an export document is downloaded.
std::string ExportDownloadPath(absl::string_view cid);

nlohmann::json ImportResultJson(const ImportResult& result);

// The import form; `message` and `problems` (one line each) describe the
// last attempt's failure, `result` its success (null: none).
std::string ImportPageHtml(absl::string_view message,
                           const std::vector<std::string>& problems,
                           const ImportResult* result, bool read_only);

// ApplyImport's message split into its first line (the count) and one
// problem per further line.
struct ImportProblems {
  std::string summary;
  std::vector<std::string> problems;
};
ImportProblems SplitImportProblems(absl::string_view message);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_EXPORT_PAGES_H_
