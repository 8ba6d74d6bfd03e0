// Renderings of a CID (fallback step, after TryCid found the content):
//
//   GET|HEAD /<CID>.md.html   the content as CommonMark, rendered to HTML in
//                             a page (raw HTML left out)
//   GET|HEAD /<CID>.qr        a QR code of the CID's address, PNG
//   GET|HEAD /<CID>.qr.png    the same
//   GET|HEAD /<CID>.qr.svg    the same as SVG
//
// The QR code's address is http://<Host header>/<CID>.
#include <string>

#include "absl/strings/str_cat.h"
#include "http/internal/cid_renderings.h"
#include "http/internal/site.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

constexpr int kQrScale = 4;

void ServeMarkdown(const std::string& cid, const std::string& bytes, Ctx& ctx) {
  const std::string body = absl::StrCat(
      "<p class=\"muted\">Markdown of <a class=\"cid\" href=\"/", cid, "\">",
      cid, "</a> · <a href=\"/", cid, ".qr.svg\">QR code</a></p>\n",
      "<article class=\"markdown\">\n", MarkdownToSafeHtml(bytes),
      "</article>\n");
  ctx.Page(cid, body, "");
  ctx.res.set_header("X-Content-Type-Options", "nosniff");
  ctx.page_view = true;
}

void ServeQr(const std::string& cid, bool svg, Ctx& ctx) {
  std::string host = ctx.req.get_header_value("Host");
  if (host.empty()) host = "localhost";
  HTTP_ASSIGN_OR_FAIL(ctx, QrCode code,
                      EncodeQr(absl::StrCat("http://", host, "/", cid)));
  ctx.res.status = 200;
  ctx.res.set_header("X-Content-Type-Options", "nosniff");
  ctx.res.set_header("Cache-Control", "no-cache");
  if (svg) {
    ctx.res.set_content(QrSvg(code), "image/svg+xml");
  } else {
    ctx.res.set_content(QrPng(code, kQrScale), "image/png");
  }
}

}  // namespace

bool ServeCidRendering(const std::string& cid, absl::string_view extension,
                       const std::string& bytes, Ctx& ctx) {
  if (extension == "md.html") {
    ServeMarkdown(cid, bytes, ctx);
    return true;
  }
  if (extension == "qr" || extension == "qr.png" || extension == "qr.svg") {
    ServeQr(cid, extension == "qr.svg", ctx);
    return true;
  }
  return false;
}

}  // namespace viewer::http_internal
