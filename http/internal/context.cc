#include "http/internal/context.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "http/render.h"
#include "http/status_map.h"

namespace viewer::http_internal {
namespace {

std::optional<std::string> First(const httplib::Params& params,
                                 const std::string& key) {
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return it->second;
}

bool NamesJson(const std::string& header) {
  return absl::StrContains(absl::AsciiStrToLower(header), "application/json");
}

}  // namespace

bool WantsJson(const httplib::Request& req) {
  return absl::EndsWith(req.path, ".json") ||
         absl::StartsWith(req.path, "/api/") ||
         NamesJson(req.get_header_value("Accept")) ||
         NamesJson(req.get_header_value("Content-Type"));
}

void SandboxUserContent(httplib::Response& res) {
  res.set_header("Content-Security-Policy", "sandbox");
  res.set_header("X-Content-Type-Options", "nosniff");
}

void AddSecurityHeaders(httplib::Response& res) {
  if (!res.has_header("Content-Security-Policy")) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; frame-ancestors 'none'; "
                   "base-uri 'none'; form-action 'self'");
  }
  if (!res.has_header("X-Content-Type-Options")) {
    res.set_header("X-Content-Type-Options", "nosniff");
  }
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "same-origin");
}

std::optional<std::string> Ctx::Form(const std::string& key) const {
  if (std::optional<std::string> value = First(body.form, key)) return value;
  // A browser sends a field as a file part when the form says so; its
  // content is the field's value.
  auto file = body.files.find(key);
  if (file != body.files.end()) return file->second.content;
  return std::nullopt;
}

std::optional<std::string> Ctx::Query(const std::string& key) const {
  return First(req.params, key);
}

void Ctx::Json(int status, const nlohmann::json& value) {
  res.status = status;
  if (format == Format::kHtml || format == Format::kJson) {
    res.set_content(DumpJson(value), "application/json");
    return;
  }
  res.set_content(RenderData(value, format), FormatMimeType(format).c_str());
}

void Ctx::Page(absl::string_view title, absl::string_view body_html,
               absl::string_view active, int status) {
  res.status = status;
  res.set_content(RenderPage(PageChrome{.memory_mode = chrome.memory_mode,
                                        .read_only = chrome.read_only,
                                        .dumped = chrome.dumped,
                                        .active = active},
                             title, body_html),
                  "text/html; charset=utf-8");
}

void Ctx::Error(int status, absl::string_view message) {
  if (json) {
    Json(status, {{"error", std::string(message)}});
    return;
  }
  res.status = status;
  res.set_content(RenderErrorPage(chrome, status, message),
                  "text/html; charset=utf-8");
}

void Ctx::Fail(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kUnavailable) {
    res.set_header("Retry-After", "1");
  }
  Error(HttpStatusFor(status), status.message());
}

void Ctx::Redirect(int status, const std::string& location) {
  res.status = status;
  res.set_header("Location", location);
  res.body.clear();
}

void Ctx::NoContent() {
  res.status = 204;
  res.body.clear();
}

}  // namespace viewer::http_internal
