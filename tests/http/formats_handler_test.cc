// Every format over HTTP (suffixes and Accept), the CID renderings
// (/<CID>.md.html, /<CID>.qr), /routes, /api/routes, /openapi.json and
// /meta/<path>, on both backends.
#include <string>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/openapi_validator.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;
using json = nlohmann::json;

class FormatsTest : public ::testing::TestWithParam<BackendKind> {};

void AddServers(ViewerFixture& v) {
  ASSERT_EQ(Status(v.PostJson(
                "/servers", {{"name", "echo"}, {"definition", "say, \"hi\""}})),
            201);
  ASSERT_EQ(
      Status(v.PostJson("/servers", {{"name", "two"}, {"definition", "b"}})),
      201);
}

std::string ContentType(const httplib::Result& r) {
  return r ? r->get_header_value("Content-Type") : "";
}

TEST_P(FormatsTest, ListsAnswerInEveryFormatBySuffix) {
  ViewerFixture v(GetParam());
  AddServers(v);
  httplib::Result csv = v.Get("/servers.csv");
  ASSERT_EQ(Status(csv), 200);
  EXPECT_EQ(ContentType(csv), "text/csv; charset=utf-8");
  EXPECT_THAT(Body(csv),
              StartsWith("created_at,definition,definition_cid,enabled,kind,"
                         "name,updated_at\r\n"));
  EXPECT_THAT(Body(csv), HasSubstr(",\"say, \"\"hi\"\"\","));
  EXPECT_THAT(Body(csv), HasSubstr(",true,server,echo,"));

  httplib::Result txt = v.Get("/servers.txt");
  EXPECT_EQ(ContentType(txt), "text/plain; charset=utf-8");
  EXPECT_EQ(Body(txt), "echo\ntwo");

  httplib::Result md = v.Get("/servers.md");
  EXPECT_EQ(ContentType(md), "text/markdown; charset=utf-8");
  EXPECT_THAT(Body(md), StartsWith("| created_at | definition |"));
  EXPECT_THAT(Body(md), HasSubstr("| true | server | echo |"));

  httplib::Result xml = v.Get("/servers.xml");
  EXPECT_EQ(ContentType(xml), "application/xml; charset=utf-8");
  EXPECT_THAT(Body(xml), HasSubstr("<response><servers><item><created_at>"));
  EXPECT_THAT(Body(xml),
              HasSubstr("<definition>say, &quot;hi&quot;</definition>"));

  EXPECT_EQ(ViewerFixture::Json(v.Get("/servers.json"))["servers"].size(), 2u);
  httplib::Result html = v.Get("/servers.html");
  EXPECT_EQ(ContentType(html), "text/html; charset=utf-8");
  EXPECT_THAT(Body(html), HasSubstr("<html"));
  EXPECT_THAT(Body(html), HasSubstr("echo"));
}

TEST_P(FormatsTest, EntityPagesAnswerInEveryFormat) {
  ViewerFixture v(GetParam());
  AddServers(v);
  ASSERT_EQ(Status(v.PostJson("/variables",
                              {{"name", "city"}, {"definition", "Paris"}})),
            201);
  httplib::Result txt = v.Get("/variables/city.txt");
  ASSERT_EQ(Status(txt), 200);
  EXPECT_THAT(Body(txt), HasSubstr("\ndefinition: Paris\n"));
  EXPECT_THAT(Body(txt), HasSubstr("\nname: city\n"));
  httplib::Result csv = v.Get("/servers/echo.csv");
  EXPECT_EQ(ContentType(csv), "text/csv; charset=utf-8");
  EXPECT_THAT(Body(csv), HasSubstr(",interactions,kind,name,"));
  EXPECT_THAT(Body(v.Get("/servers/echo.md")), HasSubstr("- **name**: echo"));
  EXPECT_THAT(Body(v.Get("/aliases.xml")),
              HasSubstr("<response><aliases></aliases></response>"));
  // A missing entity is a 404 in the format asked for.
  httplib::Result missing = v.Get("/servers/nope.txt");
  EXPECT_EQ(Status(missing), 404);
  EXPECT_EQ(ContentType(missing), "text/plain; charset=utf-8");
  EXPECT_THAT(Body(missing), StartsWith("error: "));
}

TEST_P(FormatsTest, AcceptChoosesTheFormat) {
  ViewerFixture v(GetParam());
  AddServers(v);
  EXPECT_EQ(Body(v.Get("/servers", {{"Accept", "text/plain"}})), "echo\ntwo");
  EXPECT_EQ(ContentType(v.Get("/servers", {{"Accept", "text/csv"}})),
            "text/csv; charset=utf-8");
  EXPECT_EQ(
      ContentType(v.Get("/servers/echo", {{"Accept", "application/xml"}})),
      "application/xml; charset=utf-8");
  EXPECT_EQ(
      ContentType(v.Get("/servers",
                        {{"Accept", "text/markdown;q=0.5, text/csv;q=0.4"}})),
      "text/markdown; charset=utf-8");
  // A browser's Accept still gets the page; a suffix beats the header.
  EXPECT_EQ(ContentType(v.Get(
                "/servers",
                {{"Accept", "text/html,application/xml;q=0.9,*/*;q=0.8"}})),
            "text/html; charset=utf-8");
  EXPECT_EQ(
      ContentType(v.Get("/servers.csv", {{"Accept", "application/json"}})),
      "text/csv; charset=utf-8");
  EXPECT_EQ(ContentType(v.GetJson("/servers")), "application/json");
}

TEST_P(FormatsTest, DataFormatsAreNotPageViews) {
  ViewerFixture v(GetParam());
  ASSERT_EQ(Status(v.Get("/servers.csv")), 200);
  ASSERT_EQ(Status(v.Get("/servers", {{"Accept", "text/plain"}})), 200);
  ASSERT_EQ(Status(v.Get("/servers.html")), 200);
  json h = ViewerFixture::Json(v.Get("/history.json"));
  ASSERT_EQ(h["views"].size(), 1u) << h.dump();
  EXPECT_EQ(h["views"][0]["path"], "/servers.html");
}

TEST_P(FormatsTest, MarkdownCidRendersWithoutRawHtml) {
  ViewerFixture v(GetParam());
  const std::string text =
      "# Notes\n\n*one* <script>alert(1)</script>\n\n[bad](javascript:x)\n";
  const std::string cid = ComputeCid(text);
  ASSERT_EQ(Status(v.PostRaw("/api/cids", text, "text/markdown")), 201);
  httplib::Result r = v.Get("/" + cid + ".md.html");
  ASSERT_EQ(Status(r), 200);
  EXPECT_EQ(ContentType(r), "text/html; charset=utf-8");
  EXPECT_THAT(Body(r), HasSubstr("<h1>Notes</h1>"));
  EXPECT_THAT(Body(r), HasSubstr("<em>one</em>"));
  EXPECT_THAT(Body(r), Not(HasSubstr("<script>")));
  EXPECT_THAT(Body(r), Not(HasSubstr("javascript:")));
  EXPECT_THAT(Body(r), HasSubstr("href=\"/static/style.css\""));
  // The raw bytes are still there, and an unknown CID is still a 404.
  EXPECT_EQ(Body(v.Get("/" + cid + ".md")), text);
  EXPECT_EQ(Status(v.Get("/" + ComputeCid(std::string(100, 'q')) + ".md.html")),
            404);
}

TEST_P(FormatsTest, QrCodesOfACid) {
  // The code holds the address the request names: names other than
  // 127.0.0.1 must be allowed (--allowed-host).
  ViewerFixture v(GetParam(), {.allowed_hosts = {"viewer.test", "other.test"}});
  const std::string cid = "AAAAAAAFaGVsbG8";  // literal: no upload needed
  httplib::Result png = v.Get("/" + cid + ".qr", {{"Host", "viewer.test"}});
  ASSERT_EQ(Status(png), 200);
  EXPECT_EQ(ContentType(png), "image/png");
  EXPECT_THAT(Body(png), StartsWith("\x89PNG\r\n\x1a\n"));
  EXPECT_EQ(Body(v.Get("/" + cid + ".qr.png", {{"Host", "viewer.test"}})),
            Body(png));
  // The code depends on the address it holds.
  EXPECT_NE(Body(v.Get("/" + cid + ".qr", {{"Host", "other.test"}})),
            Body(png));
  httplib::Result svg = v.Get("/" + cid + ".qr.svg");
  EXPECT_EQ(ContentType(svg), "image/svg+xml");
  EXPECT_THAT(Body(svg),
              HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_EQ(Status(v.Head("/" + cid + ".qr")), 200);
}

TEST_P(FormatsTest, RoutesListEveryRoute) {
  ViewerFixture v(GetParam());
  json j = ViewerFixture::Json(v.Get("/api/routes"));
  ASSERT_TRUE(j["routes"].is_array());
  bool servers = false, meta = false, fallback = false;
  for (const json& r : j["routes"]) {
    EXPECT_FALSE(r["summary"].get<std::string>().empty());
    if (r["method"] == "GET" && r["pattern"] == "/servers/{name}") {
      servers = true;
      EXPECT_EQ(r["summary"], "view one of the servers, with its history");
      EXPECT_EQ(r["formats"], "html json txt md csv xml");
    }
    if (r["pattern"] == "/meta/{path}") meta = true;
    if (r["pattern"] == "/{cid}.md.html") fallback = r["source"] == "fallback";
  }
  EXPECT_TRUE(servers);
  EXPECT_TRUE(meta);
  EXPECT_TRUE(fallback);
  EXPECT_EQ(ViewerFixture::Json(v.Get("/routes.json")), j);
  httplib::Result page = v.Get("/routes");
  EXPECT_THAT(Body(page), HasSubstr("<code>/servers/{name}/edit</code>"));
  EXPECT_THAT(Body(v.Get("/routes.csv")),
              StartsWith("formats,method,pattern,source,summary\r\n"));
}

TEST_P(FormatsTest, OpenApiDocumentValidates) {
  ViewerFixture v(GetParam());
  httplib::Result r = v.Get("/openapi.json");
  ASSERT_EQ(Status(r), 200);
  EXPECT_EQ(ContentType(r), "application/json");
  json doc = ViewerFixture::Json(r);
  EXPECT_THAT(ValidateOpenApi30(doc), IsEmpty());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  const json& view = doc["paths"]["/servers/{name}"]["get"];
  EXPECT_EQ(view["parameters"][0]["name"], "name");
  EXPECT_TRUE(view["responses"]["200"]["content"].contains("text/csv"));
  EXPECT_TRUE(doc["paths"]["/aliases/{name}"].contains("put"));
  EXPECT_TRUE(doc["paths"].contains("/openapi.json"));
  EXPECT_TRUE(doc["paths"].contains("/{cid}.qr"));
  // Every route of /api/routes is in the document.
  const json routes = ViewerFixture::Json(v.Get("/api/routes"));
  ASSERT_FALSE(routes["routes"].empty());
  for (const json& route : routes["routes"]) {
    const std::string method = route["method"];
    std::string lower;
    for (char c : method) lower.push_back(static_cast<char>(std::tolower(c)));
    EXPECT_TRUE(
        doc["paths"][route["pattern"].get<std::string>()].contains(lower))
        << route.dump();
  }
}

TEST_P(FormatsTest, MetaSaysWhatAPathMeets) {
  ViewerFixture v(GetParam());
  AddServers(v);
  ASSERT_EQ(Status(v.PostJson("/aliases", {{"name", "docs"},
                                           {"definition",
                                            "# first\n/old -> /new\n"
                                            "/echo -> /servers/echo\n"}})),
            201);
  json route = ViewerFixture::Json(v.Get("/api/meta/servers/echo.csv"));
  EXPECT_EQ(route["meets"], "route");
  EXPECT_EQ(route["route"]["pattern"], "/servers/{name}");
  EXPECT_EQ(route["route"]["format"], "csv");
  EXPECT_EQ(route["route"]["args"], json::array({"echo"}));

  json alias = ViewerFixture::Json(v.Get("/api/meta/old"));
  EXPECT_EQ(alias["meets"], "alias");
  EXPECT_EQ(alias["alias"], json({{"name", "docs"},
                                  {"line", 2},
                                  {"pattern", "/old"},
                                  {"target", "/new"}}));
  // The alias comes before the server of the same name, as in a request.
  json both = ViewerFixture::Json(v.Get("/api/meta/echo"));
  EXPECT_EQ(both["meets"], "alias");
  EXPECT_EQ(both["alias"]["line"], 3);
  EXPECT_EQ(both["server"]["name"], "echo");
  EXPECT_EQ(Status(v.Get("/echo")), 302);

  json server = ViewerFixture::Json(v.Get("/api/meta/two"));
  EXPECT_EQ(server["meets"], "server");
  EXPECT_TRUE(server["alias"].is_null());
  // A path below a server runs it too (its rest is the pipeline's).
  json below = ViewerFixture::Json(v.Get("/api/meta/two/more"));
  EXPECT_EQ(below["meets"], "server");
  EXPECT_EQ(below["server"]["name"], "two");
  EXPECT_EQ(Status(v.Get("/two/more")), 302);

  json cid = ViewerFixture::Json(v.Get("/api/meta/AAAAAAAFaGVsbG8.md.html"));
  EXPECT_EQ(cid["meets"], "cid");
  EXPECT_EQ(cid["cid"], json({{"cid", "AAAAAAAFaGVsbG8"},
                              {"extension", "md.html"},
                              {"found", true},
                              {"size", 5}}));
  json nothing = ViewerFixture::Json(v.Get("/api/meta/no/such/thing"));
  EXPECT_EQ(nothing["meets"], "nothing");
  EXPECT_EQ(Status(v.Get("/no/such/thing")), 404);
  json post_only = ViewerFixture::Json(v.Get("/api/meta/api/cids"));
  EXPECT_EQ(post_only["meets"], "route");
  EXPECT_EQ(post_only["route"]["allow"], "POST");
  EXPECT_EQ(ViewerFixture::Json(v.Get("/api/meta/"))["route"]["pattern"], "/");

  httplib::Result page = v.Get("/meta/old");
  ASSERT_EQ(Status(page), 200);
  EXPECT_THAT(Body(page), HasSubstr("meets: <strong>alias</strong>"));
  EXPECT_EQ(ViewerFixture::Json(v.GetJson("/meta/old")), alias);
  EXPECT_EQ(Body(v.Get("/meta/old", {{"Accept", "text/plain"}})).substr(0, 6),
            "alias:");
}

INSTANTIATE_TEST_SUITE_P(Backends, FormatsTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
