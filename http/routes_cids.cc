// Routes for content by CID:
//
//   GET  /upload                 the upload form
//   POST /upload                 multipart "file", or a "text" field
//                                -> 303 to /<CID> (/<CID>.<ext> for a file
//                                with an extension)
//   POST /api/cids               the raw body -> 201 {"cid", "path", "size"}
//   GET  /uploads[.json]         CIDs stored in the database, newest first
//   GET  /cids.json?prefix=P     CIDs (database and cids folder) starting
//                                with P, at most limit= (100, up to 1000)
//   GET|HEAD /<CID>[.<ext>]      the bytes (fallback step, TryCid), or a
//                                rendering (.md.html, .qr, .qr.svg:
//                                routes_cid_renderings.cc)
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "app/cid.h"
#include "app/cid_repository.h"
#include "app/time_text.h"
#include "http/internal/site.h"
#include "http/mime.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

constexpr int64_t kRecentLimit = 100;
constexpr int64_t kPrefixDefaultLimit = 100;
constexpr int64_t kPrefixMaxLimit = 1000;

// The extension of an uploaded file's name, when it is a plain one.
std::string SafeExtension(absl::string_view filename) {
  size_t dot = filename.rfind('.');
  if (dot == absl::string_view::npos || dot == 0) return "";
  absl::string_view ext = filename.substr(dot + 1);
  if (ext.empty() || ext.size() > 10) return "";
  for (char c : ext) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return "";
  }
  return absl::AsciiStrToLower(ext);
}

std::string UploadFormHtml(absl::string_view message, absl::string_view text) {
  return absl::StrCat(
      "<h1>Upload</h1>\n", ErrorBox(message),
      "<p>Content is stored under its CID, a name computed from the bytes "
      "themselves.</p>\n<form class=\"stack\" method=\"post\" "
      "action=\"/upload\" enctype=\"multipart/form-data\">\n"
      "<label for=\"file\">A file</label>\n"
      "<input type=\"file\" id=\"file\" name=\"file\">\n"
      "<label for=\"text\">or some text</label>\n"
      "<textarea id=\"text\" name=\"text\">\n",
      HtmlEscape(text),
      "</textarea>\n<p class=\"actions\"><button type=\"submit\">Upload"
      "</button></p>\n</form>\n");
}

void UploadForm(Ctx& ctx) {
  ctx.Page("Upload", UploadFormHtml("", ""), "upload");
}

absl::StatusOr<std::string> StoreBytes(const Site& site, absl::string_view bytes) {
  std::string cid;
  absl::Status status = site.Write([&](Transaction& txn) {
    absl::StatusOr<std::string> created = site.cids().Create(txn, bytes);
    if (created.ok()) cid = *std::move(created);
    return created.status();
  });
  if (!status.ok()) return status;
  return cid;
}

void Upload(const Site& site, Ctx& ctx) {
  std::string bytes, extension;
  bool have = false;
  auto file = ctx.body.files.find("file");
  if (file != ctx.body.files.end()) {
    bytes = file->second.content;
    extension = SafeExtension(file->second.filename);
    have = true;
  } else if (std::optional<std::string> text = ctx.Form("text");
             text && !text->empty()) {
    bytes = *std::move(text);
    have = true;
  }
  if (!have) {
    if (ctx.json) return ctx.Error(400, "send a file or a text field");
    return ctx.Page("Upload",
                    UploadFormHtml("Choose a file or type some text.", ""),
                    "upload", 400);
  }
  absl::StatusOr<std::string> cid = StoreBytes(site, bytes);
  if (!cid.ok()) return ctx.Fail(cid.status());
  const std::string path =
      absl::StrCat("/", *cid, extension.empty() ? "" : ".", extension);
  if (ctx.json) {
    ctx.res.set_header("Location", path);
    return ctx.Json(201, {{"cid", *cid},
                          {"path", path},
                          {"size", bytes.size()}});
  }
  ctx.Redirect(303, path);
}

void ApiCreateCid(const Site& site, Ctx& ctx) {
  if (ctx.req.is_multipart_form_data()) {
    // The parts were taken apart; storing the (empty) raw body would lose
    // the content.
    return ctx.Error(415,
                     "POST /api/cids stores the request body as it is; send "
                     "the bytes themselves, not a multipart form (the form "
                     "at /upload takes those)");
  }
  HTTP_ASSIGN_OR_FAIL(ctx, std::string cid, StoreBytes(site, ctx.body.bytes));
  const std::string path = absl::StrCat("/", cid);
  ctx.res.set_header("Location", path);
  ctx.Json(201, {{"cid", cid}, {"path", path}, {"size", ctx.body.bytes.size()}});
}

void Uploads(const Site& site, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, std::vector<CidRecord> recent,
                      site.cids().Recent(*txn, kRecentLimit));
  HTTP_ASSIGN_OR_FAIL(ctx, int64_t total, site.cids().Count(*txn));
  if (ctx.json) {
    nlohmann::json items = nlohmann::json::array();
    for (const CidRecord& r : recent) {
      items.push_back({{"cid", r.cid},
                       {"path", absl::StrCat("/", r.cid)},
                       {"size", r.file_size},
                       {"created_at", FormatTimestamp(r.created_at)}});
    }
    return ctx.Json(200, {{"total", total}, {"cids", items}});
  }
  std::string html = absl::StrCat(
      "<h1>CIDs</h1>\n<p>", total,
      " stored in the database (the newest ", kRecentLimit,
      " below). <a href=\"/upload\">Upload</a> · "
      "<a href=\"/uploads.json\">JSON</a></p>\n");
  if (recent.empty()) {
    absl::StrAppend(&html, "<p class=\"muted\">Nothing uploaded yet.</p>\n");
  } else {
    absl::StrAppend(&html, "<table>\n<tr><th>CID</th><th>Bytes</th>"
                           "<th>Created</th></tr>\n");
    for (const CidRecord& r : recent) {
      absl::StrAppend(&html, "<tr><td><a class=\"cid\" href=\"/", r.cid, "\">",
                      r.cid, "</a></td><td>", r.file_size, "</td><td>",
                      FormatTimestamp(r.created_at), "</td></tr>\n");
    }
    absl::StrAppend(&html, "</table>\n");
  }
  ctx.Page("CIDs", html, "uploads");
}

void CidsByPrefix(const Site& site, Ctx& ctx) {
  std::string prefix = ctx.Query("prefix").value_or("");
  int64_t limit = kPrefixDefaultLimit;
  if (std::optional<std::string> text = ctx.Query("limit")) {
    if (!absl::SimpleAtoi(*text, &limit) || limit < 1 ||
        limit > kPrefixMaxLimit) {
      return ctx.Error(400, absl::StrCat("limit must be 1 to ",
                                         kPrefixMaxLimit));
    }
  }
  // A leading '/' is how CIDs appear in paths; accept it.
  prefix = std::string(absl::StripPrefix(prefix, "/"));
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, std::vector<std::string> found,
                      site.cids().FindByPrefix(*txn, prefix, limit));
  ctx.Json(200, {{"prefix", prefix}, {"cids", found}});
}

// True when If-None-Match names `etag` (or is "*").
bool EtagMatches(const std::string& header, absl::string_view etag) {
  for (absl::string_view tag : absl::StrSplit(header, ',')) {
    tag = absl::StripAsciiWhitespace(tag);
    absl::ConsumePrefix(&tag, "W/");
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

}  // namespace

bool TryCid(const Site& site, Ctx& ctx) {
  absl::StatusOr<CidReference> ref = ParseCidReference(ctx.req.path);
  if (!ref.ok()) return false;
  absl::StatusOr<std::unique_ptr<Transaction>> txn = site.Read();
  if (!txn.ok()) {
    ctx.Fail(txn.status());
    return true;
  }
  absl::StatusOr<std::shared_ptr<const std::string>> bytes =
      site.cids().Get(**txn, ref->cid.cid);
  site.LogFolderProblems();
  if (!bytes.ok()) {
    if (bytes.status().code() == absl::StatusCode::kNotFound) return false;
    if (bytes.status().code() == absl::StatusCode::kDataLoss) {
      // A bad file in the cids folder: the client asked for nothing wrong,
      // the content simply is not available here.
      ctx.Error(404, bytes.status().message());
      return true;
    }
    ctx.Fail(bytes.status());
    return true;
  }
  const std::string& method = ctx.req.method;
  if (method != "GET" && method != "HEAD") {
    ctx.res.set_header("Allow", "GET, HEAD");
    ctx.Error(405, absl::StrCat(method, " is not allowed on a CID; allowed: "
                                        "GET, HEAD"));
    return true;
  }
  if (ServeCidRendering(ref->cid.cid, ref->extension, **bytes, ctx)) {
    return true;
  }
  const std::string etag = absl::StrCat("\"", ref->cid.cid, "\"");
  ctx.res.set_header("ETag", etag);
  ctx.res.set_header("Cache-Control", "public, max-age=31536000, immutable");
  SandboxUserContent(ctx.res);
  if (EtagMatches(ctx.req.get_header_value("If-None-Match"), etag)) {
    ctx.res.status = 304;
    return true;
  }
  ctx.res.status = 200;
  ctx.res.set_content(**bytes, MimeTypeFor(ref->extension, **bytes).c_str());
  ctx.page_view = true;
  return true;
}

void AddCidRoutes(Site& site, Router& r) {
  const Site* a = &site;
  r.Add("GET", "/upload", kPageView, UploadForm);
  r.Add("POST", "/upload", kNoFlags, [a](Ctx& c) { Upload(*a, c); });
  r.Add("POST", "/api/cids", kJsonOnly, [a](Ctx& c) { ApiCreateCid(*a, c); });
  r.Add("GET", "/uploads", kJsonSuffix | kPageView,
        [a](Ctx& c) { Uploads(*a, c); });
  r.Add("GET", "/cids.json", kJsonOnly, [a](Ctx& c) { CidsByPrefix(*a, c); });
}

}  // namespace viewer::http_internal
