// The headers that keep content a user stored from acting as the
// application (docs/security.md): CIDs and server outputs are sandboxed;
// every application page allows only the viewer's own files and cannot be
// framed.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

void ExpectAppHeaders(const httplib::Result& r, const std::string& what) {
  ASSERT_TRUE(r) << what;
  const std::string csp = r->get_header_value("Content-Security-Policy");
  EXPECT_THAT(csp, HasSubstr("default-src 'self'")) << what;
  EXPECT_THAT(csp, Not(HasSubstr("unsafe-inline"))) << what;
  EXPECT_THAT(csp, HasSubstr("frame-ancestors 'none'")) << what;
  EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY") << what;
  EXPECT_EQ(r->get_header_value("Referrer-Policy"), "same-origin") << what;
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << what;
}

void ExpectSandboxed(const httplib::Result& r, const std::string& what) {
  ASSERT_TRUE(r) << what;
  EXPECT_EQ(r->get_header_value("Content-Security-Policy"), "sandbox") << what;
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << what;
  EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY") << what;
}

class SecurityHeadersTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(SecurityHeadersTest, AppPagesErrorsAndJsonAreStrict) {
  ViewerFixture v(GetParam(), {.max_body_bytes = 100});
  ExpectAppHeaders(v.Get("/"), "home");
  ExpectAppHeaders(v.Get("/servers/new"), "form");
  ExpectAppHeaders(v.Get("/status.json"), "JSON");
  ExpectAppHeaders(v.Get("/static/style.css"), "stylesheet");
  ExpectAppHeaders(v.Get("/no/such/page"), "404");
  ExpectAppHeaders(v.PostRaw("/api/cids", std::string(200, 'x'), "text/plain"),
                   "413");
  ExpectAppHeaders(v.PostJson("/servers", {{"name", ""}}), "400");
  httplib::Result r = v.client().Post("/servers", {{"Origin", "http://e.x"}},
                                      "{}", "application/json");
  EXPECT_EQ(Status(r), 403);
  ExpectAppHeaders(r, "403");
}

TEST_P(SecurityHeadersTest, UserContentIsSandboxed) {
  ViewerFixture v(GetParam());
  const std::string page =
      "<html><head><title>before</title></head><body><script>"
      "document.title = 'ran';</script></body></html>";
  httplib::Result up = v.PostRaw("/api/cids", page, "text/html");
  ASSERT_EQ(Status(up), 201);
  const std::string path = ViewerFixture::Json(up)["path"];
  ExpectSandboxed(v.Get(path), "CID");
  httplib::Result r = v.Get(path + ".html");
  ASSERT_EQ(Status(r), 200);
  EXPECT_THAT(r->get_header_value("Content-Type"), HasSubstr("text/html"));
  ExpectSandboxed(r, "HTML CID");
  ExpectSandboxed(v.Get(path + ".svg"), "CID as SVG");
  // A server's output is user content too.
  ASSERT_EQ(Status(v.PostJson(
                "/servers", {{"name", "page"},
                             {"definition", page}})),
            201);
  httplib::Result out = v.Get("/page");
  ASSERT_TRUE(out);
  if (out->status == 302 || out->status == 303) {
    out = v.Get(out->get_header_value("Location"));
  }
  ASSERT_EQ(Status(out), 200) << Body(out);
  ExpectSandboxed(out, "server output");
}

INSTANTIATE_TEST_SUITE_P(Backends, SecurityHeadersTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
