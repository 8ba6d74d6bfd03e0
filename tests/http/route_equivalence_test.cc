// The plan's phase 6: one scripted session over every route family, run
// against a viewer on the memory store and against one on a SQLite store
// (each with its own manual clock, moved on identically), must give the
// same statuses, bodies and headers request by request. Only what names
// the backend is left out (tests/http/route_session.h, Normalize).
#include <string>
#include <vector>

#include "app/cid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/render.h"
#include "tests/http/route_session.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

Step As(BodyView view, Step s) {
  s.view = view;
  return s;
}

const char kHelloCid[] = "/AAAAAAAFaGVsbG8";  // "hello", in the cids folder

std::vector<Step> EntitySteps() {
  return {
      // Home and the empty lists and forms.
      As(BodyView::kHome, Get("/", 200)),
      As(BodyView::kHome, GetJson("/", 200)),
      Get("/servers", 200),
      Get("/servers.json", 200),
      Get("/aliases", 200),
      GetJson("/variables", 200),
      Get("/secrets", 200),
      Get("/servers/new", 200),
      Get("/aliases/new", 200),
      Get("/variables/new", 200),
      Get("/secrets/new", 200),
      // Variables: JSON and form create, duplicates, update, enable.
      PostJson("/variables", {{"name", "greeting"}, {"definition", "Hello"}},
               201),
      PostForm("/variables/new",
               {{"name", "spare"},
                {"definition", "two\r\nlines"},
                {"enabled", "0"},
                {"enabled", "1"}},
               303),
      PostJson("/variables", {{"name", "greeting"}, {"definition", "x"}}, 409),
      PostForm("/variables/new", {{"name", "greeting"}, {"definition", "x"}},
               409),
      PutJson("/variables/greeting", {{"definition", "Hi"}}, 200),
      PostForm("/variables/spare/enabled", {{"enabled", "0"}}, 303),
      PostJson("/variables/spare/enabled", {{"enabled", true}}, 200),
      Get("/variables/greeting/edit", 200),
      PostForm("/variables/greeting/edit",
               {{"name", "greeting"},
                {"definition", "Hello"},
                {"enabled", "0"},
                {"enabled", "1"}},
               303),
      GetJson("/variables/greeting", 200),
      Get("/variables.json", 200),
      // Secrets: values only on their own page and JSON.
      PostJson("/secrets", {{"name", "TOKEN"}, {"definition", "s3cret-value"}},
               201),
      PostForm("/secrets/new", {{"name", "OLD_KEY"}, {"definition", "old"}},
               303),
      Get("/secrets.json", 200),
      Get("/secrets/TOKEN", 200),
      GetJson("/secrets/TOKEN", 200),
      PostForm("/secrets/OLD_KEY/enabled", {{"enabled", "0"}}, 303),
      PostForm("/secrets/OLD_KEY/delete", {}, 303),
      Get("/secrets/OLD_KEY", 404),
  };
}

std::vector<Step> ServerSteps() {
  const std::string def =
      "{{greeting}}, {{request.query.who}}! path={{request.path}} "
      "token={{secret:TOKEN}}";
  return {
      PostForm("/servers/new", {{"name", "hello"}, {"definition", def}}, 303),
      PostJson("/servers", {{"name", "broken"}, {"definition", "{{nope}}"}},
               201),
      PostForm("/servers/new", {{"name", "bad name"}, {"definition", "x"}},
               400),
      PostJson("/servers", {{"name", 5}, {"definition", "x"}}, 400),
      Raw("POST", "/servers", "{not json", "application/json", 400),
      Get("/servers", 200),
      Get("/servers/hello.json", 200),
      Get("/servers/hello/edit", 200),
      PostForm("/servers/hello/edit",
               {{"name", "hello"},
                {"definition", def + "\r\n"},
                {"enabled", "0"},
                {"enabled", "1"}},
               303),
      // Invoking: variables, secrets and the request fill the template.
      Get("/hello?who=Ada", 302, {{"X-Custom", "kept"}, {"Cookie", "s=1"}}),
      Get("{location}", 200),
      Raw("POST", "/hello?who=Bob", "", "", 303),
      Get("{location}.txt", 200),
      Get("/broken", 422),
      GetJson("/broken", 422),
      PostForm("/servers/broken/enabled", {{"enabled", "0"}}, 303),
      Get("/broken", 404),
      Delete("/servers/broken", 204),
      Delete("/servers/broken", 404),
      Get("/interactions.json?entity_type=server&entity_name=hello", 200),
      Get("/interactions.json?entity_type=planet&entity_name=x", 400),
      Get("/servers/hello", 200),
  };
}

std::vector<Step> AliasSteps() {
  const std::string def =
      "# where things went\n"
      "docs -> /AAAAAAAFaGVsbG8.txt\n"
      "/old/* -> /servers [glob]\n"
      "[regex] ^/u/([a-z]+)$ -> /servers/$1\n"
      "[ignore-case] /Shout -> /search\n";
  return {
      PostJson("/aliases", {{"name", "docs"}, {"definition", def}}, 201),
      PostForm("/aliases/new", {{"name", "bad"}, {"definition", "nonsense"}},
               400),
      Get("/docs", 302),
      Get("/old/a/b?x=1", 302),
      Get("/u/hello", 302),
      Get("/u/Hello", 404),
      Get("/SHOUT?q=hel", 302),
      Raw("POST", "/docs?x=2", "payload", "text/plain", 307),
      Head("/docs", 302),
      PostForm("/aliases/docs/enabled", {{"enabled", "0"}}, 303),
      Get("/docs", 404),
      PostJson("/aliases/docs/enabled", {{"enabled", true}}, 200),
      PutJson("/aliases/docs", {{"name", "routes"}}, 200),
      Get("/docs", 302),
      Get("/aliases.json", 200),
      Get("/aliases/routes", 200),
      Get("/aliases/routes/edit", 200),
  };
}

// The alias language (docs/aliases.md): nesting, flask, glob wildcards,
// variables, the match preview and a costly pattern refused.
std::vector<Step> AliasLanguageSteps() {
  const std::string def =
      "shop -> /servers/shop\n"
      "  v1 -> /servers/shop_v1\n"
      "  <int:id> -> /servers/item/<id> [flask]\n"
      "  *.txt -> /text/* [glob, ignore-case]\n"
      "/health -> /{status-page}\n";
  return {
      PostJson("/variables",
               {{"name", "status-page"}, {"definition", "servers/status"}},
               201),
      PostJson("/aliases", {{"name", "lang"}, {"definition", def}}, 201),
      Get("/shop/v1", 302),
      Get("/shop/17?x=1", 302),
      Get("/shop/NOTES.TXT", 302),
      Get("/health", 302),
      Get("/aliases/lang", 200),
      Get("/aliases/lang.json", 200),
      Get("/aliases/match-preview", 200),
      Get("/aliases/match-preview?path=/shop/17", 200),
      Get("/aliases/match-preview.json?path=shop/v1", 200),
      Get("/aliases/match-preview.json?path=/nowhere", 200),
      PostJson("/aliases",
               {{"name", "slow"},
                {"definition",
                 "[regex] /(.*.*.*.*.*.*.*.*.*.*){3000}x -> /ok"}},
               400),
      PostJson("/aliases",
               {{"name", "match-preview"}, {"definition", "/a -> /b"}}, 400),
  };
}

std::vector<Step> CidSteps() {
  const std::string hello = kHelloCid;
  const std::string raw("raw\0\xff bytes", 11);
  return {
      Get(hello, 200),
      Get(hello + ".txt", 200),
      Get(hello + ".html", 200),
      Get(hello + ".json", 200),
      Get(hello, 304, {{"If-None-Match", "\"AAAAAAAFaGVsbG8\""}}),
      Head(hello + ".txt", 200),
      Raw("POST", "/api/cids", raw, "application/octet-stream", 201),
      Get("/" + ComputeCid(raw), 200),
      Get("/" + ComputeCid(raw) + ".png", 200),
      PostMultipart("/upload",
                    {{.name = "file",
                      .content = "# Notes\n\nfrom the equivalence session\n",
                      .filename = "notes.md",
                      .content_type = "text/markdown"}},
                    303),
      Get("{location}", 200),
      PostForm("/upload", {{"text", "typed into the upload form"}}, 303),
      Get("{location}", 200),
      PostMultipart("/upload", {{.name = "text", .content = "multipart text"}},
                    303),
      PostForm("/upload", {}, 400),
      Get("/upload", 200),
      Get("/uploads", 200),
      Get("/uploads.json", 200),
      Get("/cids.json?prefix=AAAAAAAF", 200),
      Get("/cids.json?limit=0", 400),
      Get("/" + ComputeCid("only a literal"), 200),
      Get("/" + ComputeCid(std::string(100, 'z')), 404),
      Raw("PUT", hello, "x", "text/plain", 405),
  };
}

std::vector<Step> SearchHistoryAndErrorSteps() {
  return {
      Get("/search?q=HELLO", 200),
      Get("/search.json?q=hel", 200),
      GetJson("/search?q=s3cret", 200),
      Get("/search", 200),
      Get("/history", 200),
      Get("/history.json", 200),
      Get("/history.json?page=2", 200),
      Get("/history?start=2023-11-14&end=2023-11-14T22:15", 200),
      Get("/history?page=0", 400),
      Get("/history?start=yesterday", 400),
      Raw("DELETE", "/servers", "", "", 405),
      Raw("PATCH", "/servers/hello", "{}", "application/json", 405),
      Raw("OPTIONS", "/servers", "", "", 204),
      Raw("TRACE", "/", "", "", 405),
      // cpp-httplib refuses a method it does not know while parsing the
      // request line, before any route; viewer's error handler makes that
      // the same 405 as any other method it does not serve.
      Raw("BREW", "/", "", "", 405),
      Get("/nothing/here", 404),
      GetJson("/nothing/here", 404),
      Get("/servers/missing", 404),
      PutJson("/servers/missing", {{"definition", "x"}}, 404),
      Get("/..%2f..%2fetc%2fpasswd", 404),
  };
}

// Every format, the CID renderings, the route lists and /meta.
std::vector<Step> FormatSteps() {
  const std::string hello = kHelloCid;
  const httplib::Headers host = {{"Host", "viewer.test"}};
  return {
      Get("/servers.csv", 200),
      Get("/servers.txt", 200),
      Get("/servers.md", 200),
      Get("/servers.xml", 200),
      Get("/servers.html", 200),
      Get("/servers/hello.csv", 200),
      Get("/variables/greeting.txt", 200),
      Get("/aliases/routes.xml", 200),
      Get("/servers/missing.md", 404),
      Get("/servers", 200, {{"Accept", "text/csv"}}),
      Get("/aliases", 200, {{"Accept", "text/markdown"}}),
      Get("/uploads.csv", 200),
      Get("/history.txt", 200),
      Get(hello + ".md.html", 200),
      Get(hello + ".qr", 200, host),
      Get(hello + ".qr.svg", 200, host),
      Get("/" + ComputeCid(std::string(100, 'z')) + ".qr", 404),
      Get("/routes", 200),
      Get("/routes.csv", 200),
      Get("/api/routes", 200),
      Get("/openapi.json", 200),
      Get("/meta/servers/hello.csv", 200),
      Get("/api/meta/docs", 200),
      Get("/api/meta/hello", 200),
      Get("/api/meta/AAAAAAAFaGVsbG8.md.html", 200),
      Get("/api/meta/no/such/thing", 200),
  };
}

// Pipelines, definition history, server events and the editors.
std::vector<Step> PipelineAndEditSteps() {
  return {
      PostJson("/servers", {{"name", "wrap"}, {"definition", "<{{input}}>"}},
               201),
      PostJson("/servers", {{"name", "got"}, {"definition", "got:{{input}}"}},
               201),
      PutJson("/servers/wrap", {{"definition", "[{{input}}]"}}, 200),
      Get("/got/wrap/hi", 302),
      Get("/got/wrap/hi?debug=1", 200),
      GetJson("/got/wrap/hi?debug=1", 200),
      Get("/wrap/AAAAAAAFaGVsbG8", 302),          // a CID's content as input
      Get("/wrap/AAAAAAALPHt7aW5wdXR9fT4", 302),  // the first definition
      Get("/wrap/a/b/c", 302),
      PostJson("/aliases",
               {{"name", "loop"}, {"definition", "/lp -> /wrap/lp"}}, 201),
      Get("/got/lp", 400),
      Get("/wrap/wrap/wrap/wrap/wrap/wrap/wrap/wrap/wrap/x", 400),
      Get("/servers/wrap", 200),
      Get("/servers/wrap.json", 200),
      Get("/server_events", 200),
      Get("/server_events.json?server=wrap", 200),
      Get("/server_events?start=yesterday", 400),
      Get("/history", 200),
      Get("/edit/AAAAAAAFaGVsbG8", 200),
      PostForm("/edit/AAAAAAAFaGVsbG8", {{"text", "hello!"}}, 303),
      Get("/edit/zzzz", 404),
      Get("/variables/_/edit", 200),
      GetJson("/secrets/_/edit", 200),
      PostForm("/variables/_/edit", {{"document", "{\"a b\": 1}"}}, 400),
      Raw("POST", "/secrets/_/edit", "[]", "application/json", 400),
  };
}

// The original application's exports (version 6): sections inline or as
// CIDs carried in cid_values, secrets encrypted with its scheme.
std::vector<Step> OriginalImportSteps() {
  const std::string variables = R"([{"name": "city", "definition": "Paris"}])";
  // "s3cret-from-original" under the key "correct horse" (docs/import.md).
  const json secrets = {
      {"encryption", "xor-hmac-sha256"},
      {"items",
       {{{"name", "OLD_TOKEN"},
         {"ciphertext",
          "AAECAwQFBgcICQoLDA0OD5K5tQdCcqltTQHFD03h8c9n_z_BKoQ5__l5lxIdKIplbQ"
          "emQGV650E8t5bo8AskVc4ng3I="}}}}};
  const json doc = {
      {"version", 6},
      {"servers", {{{"name", "py"}, {"definition", "return 'hi'"}}}},
      {"aliases", {{{"name", "old"}, {"definition", "/old -> /servers"}}}},
      {"variables", ComputeCid(variables)},
      {"secrets", secrets},
      {"change_history",
       {{"servers",
         {{"py",
           {{{"timestamp", "2023-01-02T03:04:05+00:00"},
             {"message", "first"}}}}}}}},
      {"cid_values", {{ComputeCid(variables), variables}}}};
  return {
      PostJson("/import", doc, 200),  // secrets left out, named
      PostForm("/import", {{"document", doc.dump()}, {"key", "correct horse"}},
               200),
      PostForm("/import", {{"document", doc.dump()}, {"key", "wrong"}}, 400),
      PostForm("/import", {{"cid", "AAAAAAAFaGVsbG8"}}, 400),  // not JSON
      PostForm("/import", {{"cid", "nope"}}, 400),
      Get("/servers/py", 200),
      GetJson("/interactions.json?entity_type=server&entity_name=py", 200),
      Get("/variables/city", 200),
      Get("/import", 200),
  };
}

std::vector<Step> DeletionSteps() {
  return {
      PostForm("/variables/greeting/delete", {}, 303),
      Get("/hello?who=Ada", 422),  // {{greeting}} is gone
      Delete("/variables/spare", 204),
      Delete("/secrets/TOKEN", 204),
      PostForm("/aliases/routes/delete", {}, 303),
      PostForm("/servers/hello/delete", {}, 303),
      Get("/servers", 200),
      Get("/variables.json", 200),
      As(BodyView::kStatusJson, Get("/status.json", 200)),
      As(BodyView::kHome, Get("/", 200)),
      Get("/history.json", 200),
  };
}

std::vector<Step> Script() {
  std::vector<Step> all;
  for (auto part :
       {EntitySteps, ServerSteps, AliasSteps, AliasLanguageSteps, CidSteps,
        SearchHistoryAndErrorSteps, FormatSteps, PipelineAndEditSteps,
        OriginalImportSteps, DeletionSteps}) {
    for (Step& s : part()) all.push_back(std::move(s));
  }
  return all;
}

// The session on the reference store (SQLite) and on each other backend
// (tests/storage/backend_kinds.h), request by request.
class RouteSessionTest : public ::testing::TestWithParam<BackendPair> {};

TEST_P(RouteSessionTest, ScriptedSessionIsIdentical) {
  const std::vector<Step> script = Script();
  ASSERT_GE(script.size(), 40u);
  std::vector<Recorded> a, b;
  // The QR steps name a host of their own (the code holds the address).
  const FixtureOptions options{.allowed_hosts = {"viewer.test"}};
  {
    ViewerFixture v(GetParam().a, options);
    a = RunSession(v, script);
  }
  {
    ViewerFixture v(GetParam().b, options);
    b = RunSession(v, script);
  }
  const std::string diff = CompareSessions(
      script, a, b, 5, BackendName(GetParam().a), BackendName(GetParam().b));
  EXPECT_TRUE(diff.empty()) << script.size() << " requests; differences:\n"
                            << diff;
}

INSTANTIATE_TEST_SUITE_P(Compare, RouteSessionTest, AllPairs(), PairParamName);

// The normalization takes out the banner and nothing else.
TEST(RouteEquivalenceTest, NormalizeRemovesOnlyTheBanner) {
  const std::string memory = RenderPage({.memory_mode = true}, "T", "<p>x</p>");
  const std::string disk = RenderPage({.memory_mode = false}, "T", "<p>x</p>");
  ASSERT_NE(memory, disk);
  const std::string html = "text/html; charset=utf-8";
  EXPECT_EQ(Normalize(BodyView::kExact, true, "/t", html, memory), disk);
  EXPECT_EQ(Normalize(BodyView::kExact, false, "/t", html, disk), disk);
  EXPECT_NE(Normalize(BodyView::kExact, true, "/t", html, memory),
            Normalize(BodyView::kExact, false, "/t", html,
                      RenderPage({}, "T", "<p>y</p>")));
  json status = {{"mode", "memory"},
                 {"database", "memory"},
                 {"tables", {{{"name", "server"}, {"rows", 2}, {"bytes", 9}}}}};
  json other = status;
  other["mode"] = "disk";
  other["tables"][0]["bytes"] = 4096;
  EXPECT_EQ(Normalize(BodyView::kStatusJson, true, "/s", "application/json",
                      status.dump()),
            Normalize(BodyView::kStatusJson, false, "/s", "application/json",
                      other.dump()));
  other["tables"][0]["rows"] = 3;
  EXPECT_NE(Normalize(BodyView::kStatusJson, true, "/s", "application/json",
                      status.dump()),
            Normalize(BodyView::kStatusJson, false, "/s", "application/json",
                      other.dump()));
}

TEST(RouteEquivalenceTest, DifferencesNameTheRequestAndShowBothSides) {
  const std::vector<Step> script = {Get("/a", 200), PostJson("/b", {}, 201)};
  std::vector<Recorded> memory = {{.path = "/a", .status = 200, .body = "same"},
                                  {.path = "/b",
                                   .status = 201,
                                   .headers = {{"Location", "/x"}},
                                   .body = "{\"n\":1}"}};
  std::vector<Recorded> disk = memory;
  EXPECT_EQ(CompareSessions(script, memory, disk), "");
  disk[1].body = "{\"n\":2}";
  disk[1].headers[0].second = "/y";
  const std::string diff = CompareSessions(script, memory, disk);
  EXPECT_THAT(diff, HasSubstr("request #2: POST /b"));
  EXPECT_THAT(diff, HasSubstr("headers differ"));
  EXPECT_THAT(diff, HasSubstr("bodies first differ at byte 5"));
  EXPECT_THAT(diff, HasSubstr("Location: /y"));
  EXPECT_THAT(diff, ::testing::Not(HasSubstr("request #1")));
}

}  // namespace
}  // namespace viewer::testing
