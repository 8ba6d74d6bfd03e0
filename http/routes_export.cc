// Routes for keeping work as an export document:
//
//   GET  /export[.json]          the choices and past exports (?cid= shows
//                                the download link of an export just made)
//   POST /export                 a form (a checked box is present:
//                                servers, aliases, variables, secrets,
//                                history, cids, all_cids; absent is off)
//                                or a JSON object of those booleans
//                                (absent, or no body: ExportOptions'
//                                default) -> one document (BuildExport),
//                                kept by StoreExport (a CID and an `export`
//                                row); 303 to /export?cid=CID, or 201
//                                {"cid", "path": "/CID.json", "bytes"};
//                                when a full memory store cannot keep it,
//                                200 with the document itself as an
//                                attachment (X-Viewer-Export-Stored: no)
//   GET  /import                 the form
//   POST /import                 a JSON body, a multipart "file", or a
//                                "document" field, or the CID of one
//                                stored here or in the cids folder in a
//                                "cid" field; the original's encrypted
//                                secrets are read with the "key" field or
//                                the X-Viewer-Secret-Key header
//                                -> ApplyImport in one
//                                transaction: 200 with the counts, or 400
//                                {"error", "problems": [...]} and nothing
//                                changed
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/export_import.h"
#include "app/exports.h"
#include "app/time_text.h"
#include "engine/status_macros.h"
#include "http/internal/export_pages.h"
#include "http/internal/json_body.h"
#include "http/internal/site.h"
#include "http/render.h"
#include "http/status_map.h"

namespace viewer::http_internal {
namespace {

constexpr int64_t kPastExports = 20;

void ExportForm(const Site& site, Ctx& ctx) {
  ExportPage page{.read_only = site.options().read_only};
  if (std::optional<std::string> cid = ctx.Query("cid");
      cid && ParseCid(*cid).ok()) {
    page.made = *cid;
  }
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, page.exports, ListExports(*txn, kPastExports));
  if (ctx.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const ExportRecord& e : page.exports) {
      list.push_back({{"cid", e.cid},
                      {"path", ExportDownloadPath(e.cid)},
                      {"created_at", FormatTimestamp(e.created_at)}});
    }
    return ctx.Json(200, {{"exports", list}});
  }
  ctx.Page("Export", ExportPageHtml(page), "export");
}

absl::StatusOr<ExportOptions> ExportChoices(const Ctx& ctx) {
  ExportOptions options;
  const bool form = ctx.req.is_multipart_form_data() ||
                    ctx.req.get_header_value("Content-Type")
                            .rfind("application/x-www-form-urlencoded", 0) == 0;
  if (form) {
    // A browser sends only the boxes that are checked.
    auto checked = [&](const char* key) { return ctx.Form(key).has_value(); };
    options.servers = checked("servers");
    options.aliases = checked("aliases");
    options.variables = checked("variables");
    options.secrets = checked("secrets");
    options.history = checked("history");
    options.cids = checked("cids");
    options.all_cids = checked("all_cids");
    return options;
  }
  if (ctx.body.bytes.empty()) return options;
  const std::vector<std::string> keys = {"servers", "aliases", "variables",
                                         "secrets", "history", "cids",
                                         "all_cids"};
  absl::StatusOr<JsonObject> body = ParseJsonObject(ctx.body.bytes, keys);
  if (!body.ok()) return body.status();
  bool* slots[] = {&options.servers, &options.aliases, &options.variables,
                   &options.secrets, &options.history, &options.cids,
                   &options.all_cids};
  for (size_t i = 0; i < keys.size(); ++i) {
    absl::StatusOr<std::optional<bool>> value =
        body->Bool(keys[i], /*required=*/false);
    if (!value.ok()) return value.status();
    if (*value) *slots[i] = **value;
  }
  return options;
}

void MakeExport(const Site& site, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, ExportOptions options, ExportChoices(ctx));
  // Built from one snapshot, without holding the write slot; then stored.
  std::string document;
  {
    HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
    HTTP_ASSIGN_OR_FAIL(ctx, document, BuildExport(*txn, site.cids(), options));
  }
  ExportRecord record;
  absl::Status stored = site.Write([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<ExportRecord> row = StoreExport(txn, site.cids(), document);
    if (row.ok()) record = *std::move(row);
    return row.status();
  });
  if (stored.code() == absl::StatusCode::kResourceExhausted) {
    // A full memory store cannot keep the document, but exporting is the
    // way out its 507 points to: hand the document over as a download,
    // stored nowhere (no CID, no export row).
    site.Log(absl::StrCat("export not stored (", stored.message(),
                          "); sent as a download only"));
    ctx.res.status = 200;
    ctx.res.set_header("Content-Disposition",
                       "attachment; filename=\"viewer-export.json\"");
    ctx.res.set_header("X-Viewer-Export-Stored", "no: the store is full");
    ctx.res.set_header("Cache-Control", "no-store");
    ctx.res.set_content(document, "application/json");
    return;
  }
  HTTP_RETURN_IF_ERROR(ctx, stored);
  const std::string path = ExportDownloadPath(record.cid);
  if (ctx.json) {
    ctx.res.set_header("Location", path);
    return ctx.Json(201, {{"cid", record.cid},
                          {"path", path},
                          {"bytes", document.size()},
                          {"created_at", FormatTimestamp(record.created_at)}});
  }
  ctx.Redirect(303, absl::StrCat("/export?cid=", record.cid));
}

void ImportForm(const Site& site, Ctx& ctx) {
  ctx.Page("Import", ImportPageHtml("", {}, nullptr, site.options().read_only),
           "export");
}

// The key of the original's encrypted secrets: the "key" field, or, for a
// document sent as the body, the X-Viewer-Secret-Key header.
std::string SecretKey(Ctx& ctx) {
  if (std::optional<std::string> key = ctx.Form("key"); key && !key->empty()) {
    return *key;
  }
  return ctx.req.get_header_value("X-Viewer-Secret-Key");
}

// The document stored as `cid` (the store, then the cids folder).
absl::StatusOr<std::string> StoredDocument(const Site& site,
                                           absl::string_view cid) {
  VIEWER_ASSIGN_OR_RETURN(CidReference ref, ParseCidReference(cid));
  VIEWER_ASSIGN_OR_RETURN(auto txn, site.Read());
  VIEWER_ASSIGN_OR_RETURN(std::shared_ptr<const std::string> bytes,
                          site.cids().Get(*txn, ref.cid.cid));
  return *bytes;
}

void Import(const Site& site, Ctx& ctx) {
  std::string document;
  if (auto file = ctx.body.files.find("file"); file != ctx.body.files.end()) {
    document = file->second.content;
  }
  if (document.empty()) document = ctx.Form("document").value_or("");
  const bool json = ctx.json;
  if (document.empty()) {
    if (std::optional<std::string> cid = ctx.Form("cid");
        cid && !cid->empty()) {
      HTTP_ASSIGN_OR_FAIL(ctx, document, StoredDocument(site, *cid));
    }
  }
  if (document.empty() && ctx.body.form.empty()) document = ctx.body.bytes;
  if (document.empty()) {
    absl::Status missing = absl::InvalidArgumentError(
        "send an export document: a JSON body, a file in the \"file\" field, "
        "its text in the \"document\" field, or its CID in the \"cid\" "
        "field");
    if (json) return ctx.Fail(missing);
    return ctx.Page("Import",
                    ImportPageHtml(missing.message(), {}, nullptr, false),
                    "export", HttpStatusFor(missing));
  }
  ImportResult result;
  absl::Status status = site.Write([&](Transaction& txn) {
    absl::StatusOr<ImportResult> applied = ApplyImport(
        txn, document, {.secret_key = SecretKey(ctx), .cids = &site.cids()});
    if (applied.ok()) result = *applied;
    return applied.status();
  });
  if (!status.ok()) {
    const int http_status = HttpStatusFor(status);
    if (status.code() != absl::StatusCode::kInvalidArgument) {
      return ctx.Fail(status);
    }
    ImportProblems problems = SplitImportProblems(status.message());
    if (json) {
      return ctx.Json(http_status, {{"error", problems.summary},
                                    {"problems", problems.problems}});
    }
    return ctx.Page(
        "Import",
        ImportPageHtml(problems.summary, problems.problems, nullptr, false),
        "export", http_status);
  }
  if (json) {
    return ctx.Json(200, {{"imported", ImportResultJson(result)},
                          {"summary", result.Summary()}});
  }
  ctx.Page("Import", ImportPageHtml("", {}, &result, false), "export");
}

}  // namespace

void AddExportRoutes(Site& site, Router& r) {
  const Site* s = &site;
  r.Add("GET", "/export", kJsonSuffix | kPageView,
        [s](Ctx& c) { ExportForm(*s, c); });
  r.Add("POST", "/export", kNoFlags, [s](Ctx& c) { MakeExport(*s, c); });
  r.Add("GET", "/import", kPageView, [s](Ctx& c) { ImportForm(*s, c); });
  r.Add("POST", "/import", kNoFlags, [s](Ctx& c) { Import(*s, c); });
}

}  // namespace viewer::http_internal
