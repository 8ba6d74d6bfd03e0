// Ctx: one request as handlers see it, and the ways to answer it.
//
//   void ShowThing(Ctx& ctx) {
//     HTTP_ASSIGN_OR_FAIL(ctx, Thing t, LoadThing(ctx.args[0]));
//     if (ctx.json) return ctx.Json(200, ThingJson(t));
//     ctx.Page("Thing", ThingHtml(t), "things");
//   }
//
// `json` says the client wants JSON (a ".json" suffix, an Accept or
// Content-Type of application/json, or a JSON-only route); errors then go
// out as {"error": message}, else as an HTML page.
//
// Thread safety: a Ctx belongs to the thread serving its request.
#ifndef VIEWER_HTTP_INTERNAL_CONTEXT_H_
#define VIEWER_HTTP_INTERNAL_CONTEXT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "http/internal/formats.h"
#include "http/render.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

// What a request carried besides its headers.
struct RequestBody {
  // The raw body (for multipart: empty; see files and form).
  std::string bytes;
  // Fields of an application/x-www-form-urlencoded body, or the parts of
  // a multipart body that have no file name.
  httplib::Params form;
  // Parts of a multipart body that have a file name.
  httplib::MultipartFormDataMap files;
};

// True when the client asked for JSON: the path ends in ".json" or starts
// with "/api/", or the Accept or Content-Type header names
// application/json.
bool WantsJson(const httplib::Request& req);

// Marks `res` as content a user supplied (a CID, a server's output): it is
// sandboxed (no scripts, an opaque origin, so it cannot read the
// application's pages) and its type is never sniffed.
void SandboxUserContent(httplib::Response& res);

// The headers of every answer (docs/security.md): no sniffing, no framing,
// no referrer to other sites, and, unless SandboxUserContent set a
// stricter one, a Content-Security-Policy that allows only this viewer's
// own files (no inline script or style).
void AddSecurityHeaders(httplib::Response& res);

struct Ctx {
  // `page_chrome`: the banner every page of this viewer shows (its
  // `active` is set per page).
  Ctx(const httplib::Request& request, httplib::Response& response,
      const PageChrome& page_chrome)
      : req(request), res(response), chrome(page_chrome) {}
  Ctx(const Ctx&) = delete;
  Ctx& operator=(const Ctx&) = delete;

  const httplib::Request& req;
  httplib::Response& res;
  RequestBody body;
  // Path captures, in pattern order.
  std::vector<std::string> args;
  // Answer data rather than a page: JSON, or the data format in `format`.
  bool json = false;
  // The format asked for (a route's suffix or the Accept header; see
  // http/internal/formats.h). With `json`, Json() answers in it when it is
  // text, Markdown, CSV or XML.
  Format format = Format::kHtml;
  // Record a page view when the answer is a 200 to a GET.
  bool page_view = false;
  // The memory-mode banner of pages.
  const PageChrome chrome;

  bool is_head() const { return req.method == "HEAD"; }
  // The first form field (or query parameter, for Query) called `key`;
  // for Form, a multipart file part of that name when no plain field has
  // it.
  std::optional<std::string> Form(const std::string& key) const;
  std::optional<std::string> Query(const std::string& key) const;

  // Answers. Each sets status, headers and body; the last call wins.
  // Json renders `value` in `format` when that is a data format other
  // than JSON, else as JSON.
  void Json(int status, const nlohmann::json& value);
  void Page(absl::string_view title, absl::string_view body_html,
            absl::string_view active, int status = 200);
  // An error in the client's format: {"error": message} or an HTML page.
  void Error(int status, absl::string_view message);
  // Error(HttpStatusFor(status), status.message()).
  void Fail(const absl::Status& status);
  void Redirect(int status, const std::string& location);
  void NoContent();
};

}  // namespace viewer::http_internal

#define HTTP_CONCAT_INNER_(a, b) a##b
#define HTTP_CONCAT_(a, b) HTTP_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::StatusOr); on error answers with ctx.Fail and
// returns from the (void) handler, else assigns the value to `lhs`.
#define HTTP_ASSIGN_OR_FAIL(ctx, lhs, expr) \
  HTTP_ASSIGN_OR_FAIL_IMPL_(HTTP_CONCAT_(http_statusor_, __LINE__), ctx, lhs, expr)
#define HTTP_ASSIGN_OR_FAIL_IMPL_(so, ctx, lhs, expr) \
  auto so = (expr);                                   \
  if (!so.ok()) {                                     \
    (ctx).Fail(so.status());                          \
    return;                                           \
  }                                                   \
  lhs = std::move(so).value()

// Evaluates `expr` (an absl::Status); on error answers with ctx.Fail and
// returns from the (void) handler.
#define HTTP_RETURN_IF_ERROR(ctx, expr)     \
  do {                                      \
    ::absl::Status http_status_ = (expr);   \
    if (!http_status_.ok()) {               \
      (ctx).Fail(http_status_);             \
      return;                               \
    }                                       \
  } while (0)

#endif  // VIEWER_HTTP_INTERNAL_CONTEXT_H_
