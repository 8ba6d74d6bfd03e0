// Definitions as CIDs, pipelines, server events, history and the editors,
// over HTTP, on each backend.
#include <string>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

class PipelinesHttpTest : public ::testing::TestWithParam<BackendKind> {};

void Create(ViewerFixture& v, const std::string& kind, const std::string& name,
            const std::string& definition) {
  httplib::Result r =
      v.PostJson("/" + kind, {{"name", name}, {"definition", definition}});
  ASSERT_EQ(Status(r), 201) << Body(r);
}

// Follows a 302 from a server run and returns the output.
std::string RunAndFetch(ViewerFixture& v, const std::string& path) {
  httplib::Result r = v.Get(path);
  EXPECT_EQ(Status(r), 302) << path << ": " << Body(r);
  if (Status(r) != 302) return "";
  return Body(v.Get(r->get_header_value("Location")));
}

TEST_P(PipelinesHttpTest, TheDefinitionCidLinkLeadsToTheDefinition) {
  ViewerFixture v(GetParam());
  const std::string def = std::string(80, 'd') + " {{input}}";
  Create(v, "servers", "long", def);
  json server = ViewerFixture::Json(v.GetJson("/servers/long"));
  const std::string cid = server["definition_cid"];
  EXPECT_EQ(cid, ComputeCid(def));
  httplib::Result r = v.Get("/" + cid);
  ASSERT_EQ(Status(r), 200);  // was 404 before definitions were stored
  EXPECT_EQ(Body(r), def);
}

TEST_P(PipelinesHttpTest, TheServerPageListsVersionsAndRunsAPastOne) {
  ViewerFixture v(GetParam());
  Create(v, "servers", "s", "first");
  ASSERT_EQ(Status(v.PutJson("/servers/s", {{"definition", "second"}})), 200);
  json page = ViewerFixture::Json(v.GetJson("/servers/s"));
  ASSERT_EQ(page["definition_history"].size(), 2u);
  EXPECT_EQ(page["definition_history"][0]["definition_cid"],
            ComputeCid("second"));
  EXPECT_EQ(page["definition_history"][1]["definition_cid"],
            ComputeCid("first"));
  EXPECT_EQ(RunAndFetch(v, "/s/" + ComputeCid("first")), "first");
  EXPECT_EQ(RunAndFetch(v, "/s"), "second");
  page = ViewerFixture::Json(v.GetJson("/servers/s"));
  EXPECT_EQ(page["runs_total"], 2);
  EXPECT_EQ(page["runs"][0]["result_cid"], ComputeCid("second"));
  std::string html = Body(v.Get("/servers/s"));
  EXPECT_THAT(html, HasSubstr("Definition history"));
  EXPECT_THAT(html, HasSubstr(absl::StrCat("/s/", ComputeCid("first"))));
  EXPECT_THAT(html, HasSubstr("/server_events?server=s"));
}

TEST_P(PipelinesHttpTest, AChainRunsAndDebugShowsItsSteps) {
  ViewerFixture v(GetParam());
  Create(v, "servers", "s1", "<{{input}}>");
  Create(v, "servers", "s2", "got:{{input}}");
  EXPECT_EQ(RunAndFetch(v, "/s2/s1/hello"), "got:<hello>");
  httplib::Result r = v.GetJson("/s2/s1/hello?debug=1");
  ASSERT_EQ(Status(r), 200) << Body(r);
  json debug = ViewerFixture::Json(r);
  ASSERT_EQ(debug["steps"].size(), 2u);
  EXPECT_EQ(debug["steps"][0]["server"], "s1");
  EXPECT_EQ(debug["steps"][0]["input_cid"], ComputeCid("hello"));
  EXPECT_EQ(debug["steps"][0]["output_cid"], ComputeCid("<hello>"));
  EXPECT_EQ(debug["steps"][1]["server"], "s2");
  EXPECT_EQ(debug["output_cid"], ComputeCid("got:<hello>"));
  EXPECT_EQ(debug["success"], true);
  const std::string html = Body(v.Get("/s2/s1/hello?debug=true"));
  EXPECT_THAT(html, HasSubstr("Pipeline"));
  EXPECT_THAT(html, HasSubstr(ComputeCid("<hello>")));
}

TEST_P(PipelinesHttpTest, ACidInThePathIsTheInput) {
  ViewerFixture v(GetParam());
  Create(v, "servers", "wrap", "({{input}})");
  httplib::Result up =
      v.PostRaw("/api/cids", std::string(90, 'c'), "application/octet-stream");
  ASSERT_EQ(Status(up), 201) << Body(up);
  EXPECT_EQ(RunAndFetch(v, "/wrap/" + ComputeCid(std::string(90, 'c'))),
            "(" + std::string(90, 'c') + ")");
}

TEST_P(PipelinesHttpTest, LoopsAndDepthAreClear4xxAndStoreNothing) {
  ViewerFixture v(GetParam());
  Create(v, "servers", "s", "{{input}}");
  Create(v, "aliases", "loop", "/b -> /s/b");
  const json before = v.RowsPerTable();
  httplib::Result r = v.Get("/s/b");
  EXPECT_EQ(Status(r), 400);
  EXPECT_THAT(Body(r), HasSubstr("alias loop"));
  std::string deep;
  for (int i = 0; i < 9; ++i) deep += "/s";
  r = v.Get(deep + "/x");
  EXPECT_EQ(Status(r), 400);
  EXPECT_THAT(Body(r), HasSubstr("at most 8 servers"));
  Create(v, "servers", "broken", "{{nope}}");
  const json with_broken = v.RowsPerTable();
  r = v.Get("/broken/s/x");
  EXPECT_EQ(Status(r), 422);
  EXPECT_EQ(v.RowsPerTable()["server_invocation"],
            with_broken["server_invocation"]);
  EXPECT_EQ(v.RowsPerTable()["cid"], with_broken["cid"]);
  EXPECT_EQ(before["server_invocation"], 0);
}

TEST_P(PipelinesHttpTest, ServerEventsFilterRuns) {
  ViewerFixture v(GetParam());
  Create(v, "servers", "a", "A");
  Create(v, "servers", "b", "B");
  RunAndFetch(v, "/a");
  RunAndFetch(v, "/b");
  RunAndFetch(v, "/a");
  json all = ViewerFixture::Json(v.GetJson("/server_events"));
  EXPECT_EQ(all["total"], 3);
  json only_a = ViewerFixture::Json(v.GetJson("/server_events.json?server=a"));
  EXPECT_EQ(only_a["total"], 2);
  EXPECT_EQ(only_a["events"][0]["server_name"], "a");
  json by_result = ViewerFixture::Json(
      v.GetJson("/server_events.json?result=" + ComputeCid("B")));
  EXPECT_EQ(by_result["total"], 1);
  json none =
      ViewerFixture::Json(v.GetJson("/server_events.json?end=2000-01-01"));
  EXPECT_EQ(none["total"], 0);
  EXPECT_EQ(Status(v.Get("/server_events?page=0")), 400);
  EXPECT_EQ(Status(v.Get("/server_events?start=yesterday")), 400);
  EXPECT_THAT(Body(v.Get("/server_events?server=b")),
              HasSubstr(ComputeCid("B")));
}

TEST_P(PipelinesHttpTest, HistoryShowsTotalsPopularPathsAndLinksRuns) {
  ViewerFixture v(GetParam());
  Create(v, "servers", "a", "the output of a");
  const std::string result = "/" + ComputeCid("the output of a");
  EXPECT_EQ(RunAndFetch(v, "/a"), "the output of a");  // views the result
  ASSERT_EQ(Status(v.Get("/servers")), 200);
  ASSERT_EQ(Status(v.Get("/servers")), 200);
  json history = ViewerFixture::Json(v.GetJson("/history"));
  EXPECT_EQ(history["total"], 3);
  EXPECT_EQ(history["unique_paths"], 2);
  EXPECT_EQ(history["popular"][0]["path"], "/servers");
  EXPECT_EQ(history["popular"][0]["count"], 2);
  const std::string html = Body(v.Get("/history"));
  EXPECT_THAT(html, HasSubstr("Most visited"));
  EXPECT_THAT(html, HasSubstr(absl::StrCat("/server_events?result=",
                                           result.substr(1))));
}

TEST_P(PipelinesHttpTest, EditingACidSavesANewOne) {
  ViewerFixture v(GetParam());
  const std::string text = std::string(70, 't') + "\nline two\n";
  ASSERT_EQ(Status(v.PostRaw("/api/cids", text, "text/plain")), 201);
  const std::string cid = ComputeCid(text);
  httplib::Result form = v.Get("/edit/" + cid.substr(0, 20));
  ASSERT_EQ(Status(form), 200) << Body(form);
  EXPECT_THAT(Body(form), HasSubstr("line two"));
  // A browser sends CRLF; text that had LF keeps LF.
  httplib::Result saved =
      v.PostForm("/edit/" + cid.substr(0, 20),
                 {{"text", "edited\r\ntext\r\n"}, {"newlines", "lf"}});
  ASSERT_EQ(Status(saved), 303) << Body(saved);
  EXPECT_EQ(saved->get_header_value("Location"),
            "/" + ComputeCid("edited\ntext\n"));
  EXPECT_EQ(Body(v.Get("/" + cid)), text);  // the old one stays
  EXPECT_EQ(Status(v.Get("/edit/zzzzzz")), 404);
  // "a%2Fb" is "a/b": no CID prefix, and no route has two segments there.
  EXPECT_EQ(Status(v.Get("/edit/a%2Fb")), 404);
}

TEST_P(PipelinesHttpTest, VariablesAndSecretsAreEditedAsOneDocument) {
  ViewerFixture v(GetParam());
  Create(v, "variables", "keep", "1");
  Create(v, "variables", "drop", "2");
  Create(v, "secrets", "TOKEN", "hidden-value");
  json doc = ViewerFixture::Json(v.GetJson("/variables/_/edit"));
  EXPECT_EQ(doc, json({{"drop", "2"}, {"keep", "1"}}));
  // One bad entry refuses the whole document.
  const json before = v.RowsPerTable();
  httplib::Result bad = v.PostForm(
      "/variables/_/edit", {{"document", R"({"keep": "9", "bad name": "x"})"}});
  EXPECT_EQ(Status(bad), 400);
  EXPECT_THAT(Body(bad), HasSubstr("bad name"));
  EXPECT_EQ(v.RowsPerTable(), before);
  httplib::Result ok = v.PostForm(
      "/variables/_/edit", {{"document", R"({"keep": "9", "added": "x"})"}});
  ASSERT_EQ(Status(ok), 303) << Body(ok);
  doc = ViewerFixture::Json(v.GetJson("/variables/_/edit"));
  EXPECT_EQ(doc, json({{"added", "x"}, {"keep", "9"}}));
  httplib::Result secrets = v.PostRaw(
      "/secrets/_/edit", R"({"TOKEN": "new-value"})", "application/json");
  ASSERT_EQ(Status(secrets), 200) << Body(secrets);
  EXPECT_EQ(ViewerFixture::Json(secrets)["updated"], 1);
  EXPECT_THAT(Body(v.Get("/secrets/_/edit")), HasSubstr("new-value"));
  EXPECT_THAT(Body(v.Get("/secrets")), Not(HasSubstr("new-value")));
  // "_" is the editor's address, never an entity's name.
  EXPECT_EQ(
      Status(v.PostJson("/variables", {{"name", "_"}, {"definition", "x"}})),
      400);
}

INSTANTIATE_TEST_SUITE_P(Backends, PipelinesHttpTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
