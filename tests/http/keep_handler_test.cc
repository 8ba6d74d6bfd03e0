// Export and import through HTTP, on both backends: a round trip
// into an empty store gives the same data; a bad document changes nothing
// and lists its problems; the form flow ends at a download link.
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "app/cid.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

class KeepTest : public ::testing::TestWithParam<BackendKind> {};

// A little of everything: entities of each kind (one disabled), uploads a
// server links to, page views and interactions at distinct times.
void Populate(ViewerFixture& v) {
  httplib::Result up = v.PostRaw("/api/cids", "linked bytes", "text/plain");
  ASSERT_EQ(Status(up), 201);
  const std::string cid = ViewerFixture::Json(up)["cid"];
  ASSERT_EQ(Status(v.PostRaw("/api/cids", "unlinked", "text/plain")), 201);
  v.clock().Advance(absl::Seconds(3));
  ASSERT_EQ(Status(v.PostJson("/servers", {{"name", "hello"},
                                           {"definition", "see /" + cid}})),
            201);
  ASSERT_EQ(Status(v.PostJson(
                "/servers",
                {{"name", "off"}, {"definition", "x"}, {"enabled", false}})),
            201);
  v.clock().Advance(absl::Seconds(1));
  ASSERT_EQ(Status(v.PostJson(
                "/aliases", {{"name", "hi"}, {"definition", "/hi -> /hello"}})),
            201);
  ASSERT_EQ(Status(v.PostJson("/variables",
                              {{"name", "greeting"}, {"definition", "Hello"}})),
            201);
  ASSERT_EQ(Status(v.PostJson("/secrets",
                              {{"name", "TOKEN"}, {"definition", "s3cret"}})),
            201);
  ASSERT_EQ(Status(v.PutJson("/variables/greeting", {{"definition", "Hi"}})),
            200);
  v.clock().Advance(absl::Seconds(1));
  ASSERT_EQ(Status(v.Get("/")), 200);
  ASSERT_EQ(Status(v.Get("/servers", {{"User-Agent", "probe/1"}})), 200);
}

json Export(ViewerFixture& v, const json& choices) {
  httplib::Result made = v.PostJson("/export", choices);
  EXPECT_EQ(Status(made), 201) << Body(made);
  json answer = ViewerFixture::Json(made);
  httplib::Result doc = v.Get(answer.value("path", "/"));
  EXPECT_EQ(Status(doc), 200);
  EXPECT_THAT(doc->get_header_value("Content-Type"),
              HasSubstr("application/json"));
  return ViewerFixture::Json(doc);
}

const json kEverything = {{"servers", true},   {"aliases", true},
                          {"variables", true}, {"secrets", true},
                          {"history", true},   {"cids", true}};

TEST_P(KeepTest, ExportThenImportIntoAnEmptyStoreGivesTheSameData) {
  ViewerFixture a(GetParam());
  Populate(a);
  const json doc = Export(a, kEverything);
  ASSERT_TRUE(doc.is_object());
  ASSERT_EQ(doc["secrets"].size(), 1u);
  // The linked CID and the two servers' definitions (stored as CIDs); not
  // the unlinked upload.
  ASSERT_EQ(doc["cids"].size(), 3u) << doc["cids"].dump();

  ViewerFixture b(GetParam());
  httplib::Result imported = b.PostJson("/import", doc);
  ASSERT_EQ(Status(imported), 200) << Body(imported);
  json counts = ViewerFixture::Json(imported)["imported"];
  EXPECT_EQ(counts["servers"]["created"], 2);
  EXPECT_EQ(counts["aliases"]["created"], 1);
  EXPECT_EQ(counts["secrets"]["created"], 1);
  EXPECT_EQ(counts["cids"]["added"], 3);

  // The same entities (timestamps included), CIDs and history: b's own
  // export says exactly what a's said, but for the interactions the import
  // itself recorded (one per entity created).
  const json again = Export(b, kEverything);
  for (const char* kind :
       {"servers", "aliases", "variables", "secrets", "cids"}) {
    EXPECT_EQ(again[kind], doc[kind]) << kind;
  }
  EXPECT_EQ(again["history"]["page_views"], doc["history"]["page_views"]);
  const json& before = doc["history"]["interactions"];
  const json& after = again["history"]["interactions"];
  ASSERT_EQ(after.size(), before.size() + 5);
  for (const json& i : before) {
    EXPECT_NE(std::find(after.begin(), after.end(), i), after.end()) << i;
  }
  // And through the pages: a secret's value, a linked CID's bytes.
  EXPECT_EQ(ViewerFixture::Json(b.Get("/secrets/TOKEN.json"))["definition"],
            "s3cret");
  for (const json& c : doc["cids"]) {
    EXPECT_EQ(Body(b.Get("/" + c["cid"].get<std::string>())),
              Body(a.Get("/" + c["cid"].get<std::string>())));
  }
  EXPECT_EQ(Body(b.Get("/" + ComputeCid("linked bytes"))), "linked bytes");
  EXPECT_EQ(ViewerFixture::Json(b.Get("/servers/off.json"))["enabled"], false);
}

TEST_P(KeepTest, SecretsAndHistoryOnlyWhenAsked) {
  ViewerFixture v(GetParam());
  Populate(v);
  json doc = Export(v, json::object());
  EXPECT_FALSE(doc.contains("secrets"));
  EXPECT_FALSE(doc.contains("history"));
  EXPECT_TRUE(doc.contains("servers"));
  EXPECT_THAT(doc.dump(), Not(HasSubstr("s3cret")));
  // The export page warns before secrets are ticked, and lists exports.
  httplib::Result page = v.Get("/export");
  ASSERT_EQ(Status(page), 200);
  EXPECT_THAT(Body(page), HasSubstr("name=\"secrets\" value=\"1\">"));
  EXPECT_THAT(Body(page), HasSubstr("Warning"));
  EXPECT_EQ(ViewerFixture::Json(v.Get("/export.json"))["exports"].size(), 1u);
}

TEST_P(KeepTest, FormExportRedirectsToTheDownloadLink) {
  ViewerFixture v(GetParam());
  Populate(v);
  httplib::Result made =
      v.PostForm("/export", {{"servers", "1"}, {"variables", "1"}});
  ASSERT_EQ(Status(made), 303);
  const std::string location = made->get_header_value("Location");
  ASSERT_THAT(location, HasSubstr("/export?cid="));
  const std::string cid = location.substr(location.find('=') + 1);
  httplib::Result page = v.Get(location);
  ASSERT_EQ(Status(page), 200);
  EXPECT_THAT(Body(page), HasSubstr("href=\"/" + cid + ".json\" download="));
  json doc = ViewerFixture::Json(v.Get("/" + cid + ".json"));
  EXPECT_TRUE(doc.contains("servers"));
  EXPECT_TRUE(doc.contains("variables"));
  EXPECT_FALSE(doc.contains("aliases"));  // not ticked
  EXPECT_EQ(v.RowsPerTable().value("export", -1), 1);
}

TEST_P(KeepTest, BadDocumentChangesNothingAndListsEveryProblem) {
  ViewerFixture v(GetParam());
  Populate(v);
  const json rows = v.RowsPerTable();
  json doc = {{"format", "viewer-export"},
              {"version", 1},
              {"servers",
               {{{"name", "fine"}, {"definition", "ok"}},
                {{"name", "bad name"}, {"definition", "x"}},
                {{"name", "fine"}, {"definition", "dup"}}}},
              {"cids", {{{"cid", "AAAAAAAFaGVsbG8"}, {"base64", "d3Jvbmc="}}}}};
  httplib::Result r = v.PostJson("/import", doc);
  ASSERT_EQ(Status(r), 400) << Body(r);
  json answer = ViewerFixture::Json(r);
  EXPECT_THAT(answer["error"].get<std::string>(), HasSubstr("3"));
  ASSERT_EQ(answer["problems"].size(), 3u) << answer;
  EXPECT_THAT(answer["problems"][0].get<std::string>(),
              HasSubstr("servers[1]"));
  EXPECT_EQ(v.RowsPerTable(), rows);
  EXPECT_EQ(Status(v.Get("/servers/fine.json")), 404);
  // Not JSON at all, and nothing at all: 400, nothing changed.
  EXPECT_EQ(Status(v.PostRaw("/import", "{nope", "application/json")), 400);
  EXPECT_EQ(Status(v.PostRaw("/import", "", "application/json")), 400);
  // The HTML form shows the problems as a list.
  httplib::Result page = v.PostForm("/import", {{"document", doc.dump()}});
  ASSERT_EQ(Status(page), 400);
  EXPECT_THAT(Body(page), HasSubstr("<ul class=\"problems\">"));
  EXPECT_THAT(Body(page), HasSubstr("Nothing was imported"));
  EXPECT_EQ(v.RowsPerTable(), rows);
}

TEST_P(KeepTest, FileUploadImportShowsCounts) {
  ViewerFixture a(GetParam());
  Populate(a);
  const json doc = Export(a, {{"secrets", true}});
  ViewerFixture b(GetParam());
  httplib::MultipartFormDataItems items = {
      {"file", doc.dump(), "export.json", "application/json"}};
  httplib::Result r = b.client().Post("/import", items);
  ASSERT_EQ(Status(r), 200) << Body(r);
  EXPECT_THAT(Body(r), HasSubstr("Imported"));
  EXPECT_EQ(ViewerFixture::Json(b.Get("/servers.json"))["servers"].size(), 2u);
  // Importing the same document again changes no entity.
  httplib::Result second = b.PostJson("/import", doc);
  ASSERT_EQ(Status(second), 200);
  EXPECT_EQ(ViewerFixture::Json(second)["imported"]["servers"]["unchanged"], 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, KeepTest, AllBackends(), BackendParamName);

}  // namespace
}  // namespace viewer::testing
