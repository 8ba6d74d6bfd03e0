// Escaping, MIME types, the Status -> HTTP mapping and the router.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/internal/router.h"
#include "http/mime.h"
#include "http/render.h"
#include "http/status_map.h"

namespace viewer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(RenderTest, HtmlEscape) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("tab\tnl\ncr\r"), "tab\tnl\ncr\r");
  EXPECT_EQ(HtmlEscape(std::string("a\0b", 3)), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(HtmlEscape("\xff"), "\xEF\xBF\xBD");
  EXPECT_EQ(HtmlEscape("caf\xC3\xA9 \xE2\x82\xAC"), "caf\xC3\xA9 \xE2\x82\xAC");
}

TEST(RenderTest, Utf8) {
  EXPECT_EQ(ToValidUtf8("a\xff" "b"), "a\xEF\xBF\xBD" "b");
}

TEST(RenderTest, JsonNeverThrowsOnBadUtf8) {
  EXPECT_EQ(DumpJson({{"k", "a\xff"}}), "{\"k\":\"a\xEF\xBF\xBD\"}");
}

TEST(RenderTest, UrlEncode) {
  EXPECT_EQ(UrlEncode("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
  EXPECT_EQ(UrlEncode("A-z_0.9~"), "A-z_0.9~");
}

TEST(RenderTest, PageHasStylesheetNavAndBannerOnlyInMemoryMode) {
  std::string memory = RenderPage({.memory_mode = true, .active = "servers"},
                                  "T<>", "<p>body</p>");
  EXPECT_THAT(memory, HasSubstr("<title>T&lt;&gt; - viewer</title>"));
  EXPECT_THAT(memory, HasSubstr("href=\"/static/style.css\""));
  EXPECT_THAT(memory, HasSubstr("<a href=\"/servers\" class=\"current\">"));
  EXPECT_THAT(memory, HasSubstr("class=\"banner\""));
  EXPECT_THAT(memory, HasSubstr("<p>body</p>"));
  std::string disk = RenderPage({}, "T", "");
  EXPECT_THAT(disk, Not(HasSubstr("class=\"banner\"")));
  EXPECT_THAT(Stylesheet(), HasSubstr("nav.top"));
}

TEST(MimeTest, ByExtension) {
  EXPECT_EQ(MimeTypeFor("txt", "\xff\xfe"), "text/plain; charset=utf-8");
  EXPECT_EQ(MimeTypeFor("TXT", "x"), "text/plain; charset=utf-8");
  EXPECT_EQ(MimeTypeFor("png", ""), "image/png");
  EXPECT_EQ(MimeTypeFor("html", ""), "text/html; charset=utf-8");
  EXPECT_EQ(MimeTypeFor("tar.gz", ""), "application/gzip");
  EXPECT_EQ(MimeTypeFor("weird", "text"), "application/octet-stream");
  EXPECT_EQ(MimeTypeFor("", "hello"), "text/plain; charset=utf-8");
  EXPECT_EQ(MimeTypeFor("", std::string("\x89PNG\0", 5)),
            "application/octet-stream");
}

TEST(StatusMapTest, OneMapping) {
  using C = absl::StatusCode;
  EXPECT_EQ(HttpStatusFor(C::kOk), 200);
  EXPECT_EQ(HttpStatusFor(C::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(C::kOutOfRange), 400);
  EXPECT_EQ(HttpStatusFor(C::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(C::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(C::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(C::kResourceExhausted), 507);
  EXPECT_EQ(HttpStatusFor(C::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(C::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(C::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(absl::NotFoundError("x")), 404);
  EXPECT_EQ(HttpReason(404), "Not Found");
  EXPECT_EQ(HttpReason(507), "Insufficient Storage");
}

TEST(RouterTest, SegmentsCapturesAndJsonSuffix) {
  using http_internal::Router;
  Router r;
  int hit = 0;
  r.Add("GET", "/servers/new", http_internal::kNoFlags, [&](auto&) { hit = 1; });
  r.Add("GET", "/servers/{}", http_internal::kJsonSuffix,
        [&](auto&) { hit = 2; });
  r.Add("PUT", "/servers/{}", http_internal::kNoFlags, [&](auto&) { hit = 3; });
  r.Add("GET", "/", http_internal::kNoFlags, [&](auto&) { hit = 4; });

  Router::Match m = r.Find("GET", "/servers/new");
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_TRUE(m.args.empty());

  m = r.Find("GET", "/servers/a.b.json");
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_THAT(m.args, ElementsAre("a.b"));
  EXPECT_TRUE(m.json);

  m = r.Find("HEAD", "/servers/x");
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_THAT(m.args, ElementsAre("x"));
  EXPECT_FALSE(m.json);

  m = r.Find("PUT", "/servers/x.json");  // PUT has no .json reading
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_THAT(m.args, ElementsAre("x.json"));

  m = r.Find("DELETE", "/servers/x");
  ASSERT_EQ(m.kind, Router::Match::kWrongMethod);
  EXPECT_EQ(m.allow, "GET, HEAD, PUT");

  EXPECT_EQ(r.Find("GET", "/").kind, Router::Match::kFound);
  EXPECT_EQ(r.Find("GET", "/servers/").kind, Router::Match::kNone);
  EXPECT_EQ(r.Find("GET", "/servers/.json").kind, Router::Match::kFound);
  EXPECT_EQ(r.Find("GET", "/other").kind, Router::Match::kNone);
  EXPECT_EQ(r.Find("GET", "/servers/a/b").kind, Router::Match::kNone);
}

}  // namespace
}  // namespace viewer
