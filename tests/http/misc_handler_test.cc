// Home, stylesheet, history, interactions, search, status and methods.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

class MiscTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(MiscTest, HomeHasNavCountsAndBannerInMemoryModeOnly) {
  ViewerFixture v(GetParam());
  ASSERT_EQ(Status(v.PostJson("/servers", {{"name", "s"}, {"definition", "d"}})), 201);
  httplib::Result home = v.Get("/");
  ASSERT_EQ(Status(home), 200);
  for (const char* link : {"/servers", "/aliases", "/variables", "/secrets",
                           "/uploads", "/upload", "/history", "/search"}) {
    EXPECT_THAT(Body(home), HasSubstr(absl::StrCat("href=\"", link, "\"")));
  }
  const bool memory = GetParam() == BackendKind::kMemory;
  EXPECT_EQ(Body(home).find("class=\"banner\"") != std::string::npos, memory);
  // The banner is on every page, not just the home page.
  EXPECT_EQ(Body(v.Get("/servers/s")).find("lost when viewer stops") !=
                std::string::npos,
            memory);
  json j = ViewerFixture::Json(v.GetJson("/"));
  EXPECT_EQ(j["mode"], std::string(StoreModeName(ModeOf(GetParam()))));
  EXPECT_EQ(j["counts"]["servers"], 1);
}

TEST_P(MiscTest, Stylesheet) {
  ViewerFixture v(GetParam());
  httplib::Result css = v.Get("/static/style.css");
  ASSERT_EQ(Status(css), 200);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_THAT(Body(css), HasSubstr("nav.top"));
}

TEST_P(MiscTest, HistoryRecordsPagesAndCidsOnly) {
  ViewerFixture v(GetParam());
  ASSERT_EQ(Status(v.PostRaw("/api/cids", "hello", "text/plain")), 201);  // no
  ASSERT_EQ(Status(v.Get("/")), 200);                                    // yes
  v.clock().Advance(absl::Seconds(1));
  ASSERT_EQ(Status(v.Get("/servers", {{"User-Agent", "probe/1"}})), 200);  // yes
  ASSERT_EQ(Status(v.Get("/servers.json")), 200);      // JSON: no
  ASSERT_EQ(Status(v.GetJson("/servers")), 200);       // JSON: no
  ASSERT_EQ(Status(v.Head("/servers")), 200);          // HEAD: no
  ASSERT_EQ(Status(v.Get("/static/style.css")), 200);  // stylesheet: no
  ASSERT_EQ(Status(v.Get("/nope")), 404);              // failure: no
  v.clock().Advance(absl::Seconds(1));
  ASSERT_EQ(Status(v.Get("/AAAAAAAFaGVsbG8")), 200);   // CID: yes
  json h = ViewerFixture::Json(v.Get("/history.json"));
  EXPECT_EQ(h["total"], 3);
  ASSERT_EQ(h["views"].size(), 3u);
  EXPECT_EQ(h["views"][0]["path"], "/AAAAAAAFaGVsbG8");
  EXPECT_EQ(h["views"][1]["path"], "/servers");
  EXPECT_EQ(h["views"][1]["user_agent"], "probe/1");
  EXPECT_EQ(h["views"][1]["viewed_at"], "2023-11-14T22:13:21.000000Z");
  EXPECT_EQ(h["views"][2]["path"], "/");
  EXPECT_EQ(h["views"][2]["ip_address"], "127.0.0.1");

  // Bounds are inclusive; a bare date covers the whole day.
  json window = ViewerFixture::Json(
      v.Get("/history.json?start=2023-11-14T22:13:21&end=2023-11-14T22:13:21"));
  EXPECT_EQ(window["total"], 1);
  EXPECT_EQ(ViewerFixture::Json(v.Get("/history.json?end=2023-11-14"))["total"], 3);
  EXPECT_EQ(ViewerFixture::Json(v.Get("/history.json?start=2023-11-15"))["total"],
            0);
  httplib::Result page = v.Get("/history");
  EXPECT_THAT(Body(page), HasSubstr("<code>/servers</code>"));
}

TEST_P(MiscTest, HistoryPages) {
  ViewerFixture v(GetParam());
  for (int i = 0; i < 60; ++i) ASSERT_EQ(Status(v.Get("/search")), 200);
  json p1 = ViewerFixture::Json(v.Get("/history.json"));
  EXPECT_EQ(p1["total"], 60);
  EXPECT_EQ(p1["pages"], 2);
  EXPECT_EQ(p1["views"].size(), 50u);
  json p2 = ViewerFixture::Json(v.Get("/history.json?page=2"));
  EXPECT_EQ(p2["views"].size(), 10u);
  EXPECT_EQ(ViewerFixture::Json(v.Get("/history.json?page=3"))["views"].size(), 0u);
  EXPECT_THAT(Body(v.Get("/history?page=2")), HasSubstr("Newer</a>"));
}

TEST_P(MiscTest, Interactions) {
  ViewerFixture v(GetParam());
  ASSERT_EQ(Status(v.PostJson("/servers", {{"name", "s"}, {"definition", "1"}})), 201);
  ASSERT_EQ(Status(v.PutJson("/servers/s", {{"definition", "2"}})), 200);
  json j = ViewerFixture::Json(
      v.Get("/interactions.json?entity_type=server&entity_name=s"));
  ASSERT_EQ(j["interactions"].size(), 2u);
  EXPECT_EQ(j["interactions"][0]["action"], "update");
  EXPECT_EQ(j["interactions"][1]["action"], "create");
  EXPECT_EQ(ViewerFixture::Json(
                v.Get("/interactions.json?entity_type=servers&entity_name=s"))
                ["interactions"].size(),
            2u);
  EXPECT_EQ(Status(v.Get("/interactions.json?entity_type=server")), 400);
  EXPECT_EQ(Status(v.Get("/interactions.json?entity_type=x&entity_name=s")), 400);
}

TEST_P(MiscTest, SearchIsCaseInsensitiveOverNamesDefinitionsAndCids) {
  ViewerFixture v(GetParam());
  ASSERT_EQ(Status(v.PostJson("/servers", {{"name", "Alpha"}, {"definition", "x"}})), 201);
  ASSERT_EQ(Status(v.PostJson("/variables", {{"name", "v"}, {"definition", "has ALPHA in it"}})), 201);
  ASSERT_EQ(Status(v.PostJson("/aliases", {{"name", "beta"}, {"definition", "alpha -> /x"}})), 201);
  ASSERT_EQ(Status(v.PostJson("/secrets", {{"name", "s"}, {"definition", "alpha"}})), 201);
  json j = ViewerFixture::Json(v.Get("/search.json?q=alpha"));
  ASSERT_EQ(j["servers"].size(), 1u);
  EXPECT_EQ(j["servers"][0]["matched"], json::array({"name"}));
  ASSERT_EQ(j["variables"].size(), 1u);
  EXPECT_EQ(j["variables"][0]["matched"], json::array({"definition"}));
  EXPECT_EQ(j["aliases"].size(), 1u);
  EXPECT_EQ(j["secrets"].size(), 0u);  // values are never searched

  // CID paths, case-insensitively: the CID of "searchable" is
  // AAAAAAAKc2VhcmNoYWJsZQ.
  const std::string query = "/aaaaaaakc2vhcmnoywjszq";
  json c = ViewerFixture::Json(v.Get("/search.json?q=" + query));
  EXPECT_EQ(c["cids"].size(), 0u);
  ASSERT_EQ(Status(v.PostRaw("/api/cids", "searchable", "text/plain")), 201);
  c = ViewerFixture::Json(v.Get("/search.json?q=" + query));
  EXPECT_EQ(c["cids"], json::array({"/AAAAAAAKc2VhcmNoYWJsZQ"}));
  // The cids folder is searched too.
  const std::string folder_cid = v.cids()->Names().front();
  c = ViewerFixture::Json(v.Get("/search.json?q=" + folder_cid));
  EXPECT_EQ(c["cids"], json::array({"/" + folder_cid}));

  httplib::Result html = v.Get("/search?q=%3Cscript%3E");
  EXPECT_THAT(Body(html), HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(Body(html), Not(HasSubstr("<script>")));
}

TEST_P(MiscTest, StatusJson) {
  ViewerFixture v(GetParam());
  ASSERT_EQ(Status(v.PostJson("/servers", {{"name", "s"}, {"definition", "d"}})), 201);
  v.clock().Advance(absl::Seconds(90));
  json s = ViewerFixture::Json(v.Get("/status.json"));
  EXPECT_EQ(s["mode"], std::string(StoreModeName(ModeOf(GetParam()))));
  // The database line names the backend; PostgreSQL's names its version.
  if (GetParam() == BackendKind::kPostgres) {
    EXPECT_THAT(s["database"].get<std::string>(), HasSubstr("(PostgreSQL "));
  }
  EXPECT_FALSE(s["version"].get<std::string>().empty());
  EXPECT_DOUBLE_EQ(s["uptime_seconds"].get<double>(), 90.0);
  EXPECT_EQ(s["cids_folder"]["files"], v.cids()->file_count());
  EXPECT_EQ(s["cids_folder"]["exists"], true);
  ASSERT_EQ(s["tables"].size(), 9u);
  for (const auto& t : s["tables"]) {
    if (t["name"] == "server") {
      EXPECT_EQ(t["rows"], 1);
    }
    if (t["name"] == "entity_interactions") {
      EXPECT_EQ(t["rows"], 1);
    }
    EXPECT_TRUE(t["bytes"].is_number());
  }
  EXPECT_THAT(Body(v.Get("/status")), HasSubstr("<td>server</td><td>1</td>"));
}

TEST_P(MiscTest, WrongMethodsAre405WithAllow) {
  ViewerFixture v(GetParam());
  httplib::Result r = v.client().Delete("/upload");
  ASSERT_EQ(Status(r), 405);
  EXPECT_EQ(r->get_header_value("Allow"), "GET, HEAD, POST");
  httplib::Result put = v.client().Put("/servers", "{}", "application/json");
  ASSERT_EQ(Status(put), 405);
  EXPECT_THAT(ViewerFixture::Json(put)["error"].get<std::string>(),
              HasSubstr("PUT is not allowed"));
  httplib::Result options = v.client().Options("/servers");
  EXPECT_EQ(Status(options), 204);
  EXPECT_EQ(options->get_header_value("Allow"), "GET, HEAD, POST");
  std::string raw = RawExchange(
      v.port(), "TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(RawStatus(raw), 405);
}

INSTANTIATE_TEST_SUITE_P(Backends, MiscTest, AllBackends(), BackendParamName);

}  // namespace
}  // namespace viewer::testing
