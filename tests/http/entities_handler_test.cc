// Servers, aliases, variables and secrets over HTTP: JSON API, forms,
// views, history, and where secret values may (not) appear. Every body
// runs on both backends.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

class EntitiesTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(EntitiesTest, JsonApiLifecycleForEveryKind) {
  ViewerFixture v(GetParam());
  for (const char* kind : {"servers", "aliases", "variables", "secrets"}) {
    SCOPED_TRACE(kind);
    const std::string base = absl::StrCat("/", kind);
    const std::string def = std::string(kind) == "aliases" ? "a -> /b" : "one";
    httplib::Result created = v.PostJson(base, {{"name", "x1"}, {"definition", def}});
    ASSERT_EQ(Status(created), 201) << Body(created);
    EXPECT_EQ(created->get_header_value("Location"), base + "/x1");
    json c = ViewerFixture::Json(created);
    EXPECT_EQ(c["name"], "x1");
    EXPECT_EQ(c["definition"], def);
    EXPECT_EQ(c["enabled"], true);

    json list = ViewerFixture::Json(v.Get(base + ".json"));
    ASSERT_EQ(list[kind].size(), 1u);
    EXPECT_EQ(list[kind][0]["name"], "x1");

    // Rename and disable with PUT; the definition is kept when absent.
    httplib::Result put =
        v.PutJson(base + "/x1", {{"name", "x2"}, {"enabled", false}});
    ASSERT_EQ(Status(put), 200) << Body(put);
    json p = ViewerFixture::Json(put);
    EXPECT_EQ(p["name"], "x2");
    EXPECT_EQ(p["definition"], def);
    EXPECT_EQ(p["enabled"], false);
    EXPECT_EQ(Status(v.Get(base + "/x1.json")), 404);

    json view = ViewerFixture::Json(v.Get(base + "/x2.json"));
    EXPECT_EQ(view["enabled"], false);
    // History is kept by name: the renaming update is the first under x2.
    ASSERT_EQ(view["interactions"].size(), 1u);
    EXPECT_EQ(view["interactions"][0]["action"], "update");

    // Enable by form, as the view page's button does.
    httplib::Result enable = v.PostForm(base + "/x2/enabled", {{"enabled", "1"}});
    ASSERT_EQ(Status(enable), 303) << Body(enable);
    EXPECT_EQ(enable->get_header_value("Location"), base + "/x2");
    EXPECT_EQ(ViewerFixture::Json(v.Get(base + "/x2.json"))["enabled"], true);

    httplib::Result del = v.Delete(base + "/x2");
    ASSERT_EQ(Status(del), 204) << Body(del);
    EXPECT_EQ(Status(v.Get(base + "/x2")), 404);
    EXPECT_EQ(ViewerFixture::Json(v.Get(base + ".json"))[kind].size(), 0u);
  }
}

TEST_P(EntitiesTest, AcceptHeaderSelectsJson) {
  ViewerFixture v(GetParam());
  ASSERT_EQ(Status(v.PostJson("/variables", {{"name", "v"}, {"definition", "1"}})),
            201);
  httplib::Result r = v.GetJson("/variables");
  ASSERT_EQ(Status(r), 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(ViewerFixture::Json(r)["variables"][0]["name"], "v");
  httplib::Result html = v.Get("/variables");
  EXPECT_THAT(html->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(Body(html), HasSubstr("<a href=\"/variables/v\">v</a>"));
}

TEST_P(EntitiesTest, FormsCreateEditAndDelete) {
  ViewerFixture v(GetParam());
  httplib::Result form = v.Get("/servers/new");
  ASSERT_EQ(Status(form), 200);
  EXPECT_THAT(Body(form), HasSubstr("<form class=\"stack\" method=\"post\" "
                                    "action=\"/servers/new\">"));

  httplib::Result made = v.PostForm(
      "/servers/new",
      {{"name", "echo"}, {"definition", "line1\r\nline2"}, {"enabled", "0"},
       {"enabled", "1"}});
  ASSERT_EQ(Status(made), 303) << Body(made);
  EXPECT_EQ(made->get_header_value("Location"), "/servers/echo");
  json e = ViewerFixture::Json(v.Get("/servers/echo.json"));
  EXPECT_EQ(e["definition"], "line1\nline2");  // CRLF from browsers folded
  EXPECT_EQ(e["enabled"], true);

  httplib::Result view = v.Get("/servers/echo");
  ASSERT_EQ(Status(view), 200);
  EXPECT_THAT(Body(view), HasSubstr("<pre>line1\nline2</pre>"));
  EXPECT_THAT(Body(view), HasSubstr("action=\"/servers/echo/delete\""));
  EXPECT_THAT(Body(view), HasSubstr("<td>create</td>"));

  httplib::Result edit = v.Get("/servers/echo/edit");
  ASSERT_EQ(Status(edit), 200);
  EXPECT_THAT(Body(edit), HasSubstr("value=\"echo\""));

  // Unchecked box: only the hidden enabled=0 arrives.
  httplib::Result saved = v.PostForm(
      "/servers/echo/edit",
      {{"name", "echo2"}, {"definition", "new"}, {"enabled", "0"}});
  ASSERT_EQ(Status(saved), 303) << Body(saved);
  EXPECT_EQ(saved->get_header_value("Location"), "/servers/echo2");
  json e2 = ViewerFixture::Json(v.Get("/servers/echo2.json"));
  EXPECT_EQ(e2["definition"], "new");
  EXPECT_EQ(e2["enabled"], false);

  httplib::Result del = v.PostForm("/servers/echo2/delete", {});
  ASSERT_EQ(Status(del), 303);
  EXPECT_EQ(del->get_header_value("Location"), "/servers");
  EXPECT_EQ(Status(v.Get("/servers/echo2.json")), 404);
}

TEST_P(EntitiesTest, FormErrorsKeepWhatWasTyped) {
  ViewerFixture v(GetParam());
  ASSERT_EQ(Status(v.PostJson("/servers", {{"name", "taken"}, {"definition", "x"}})),
            201);
  httplib::Result dup = v.PostForm(
      "/servers/new", {{"name", "taken"}, {"definition", "<b>typed</b>"}});
  ASSERT_EQ(Status(dup), 409);
  EXPECT_THAT(Body(dup), HasSubstr("class=\"message error\""));
  EXPECT_THAT(Body(dup), HasSubstr("already exists"));
  EXPECT_THAT(Body(dup), HasSubstr("&lt;b&gt;typed&lt;/b&gt;</textarea>"));
  EXPECT_THAT(Body(dup), HasSubstr("value=\"taken\""));

  httplib::Result bad = v.PostForm("/servers/new",
                                   {{"name", "a b"}, {"definition", "kept"}});
  ASSERT_EQ(Status(bad), 400);
  EXPECT_THAT(Body(bad), HasSubstr("name must be"));
  EXPECT_THAT(Body(bad), HasSubstr("kept</textarea>"));

  httplib::Result alias = v.PostForm("/aliases/new",
                                     {{"name", "al"}, {"definition", "oops"}});
  ASSERT_EQ(Status(alias), 400);
  EXPECT_THAT(Body(alias), HasSubstr("alias definition: line 1"));

  httplib::Result missing = v.PostForm("/servers/nope/edit",
                                       {{"name", "nope"}, {"definition", "d"}});
  EXPECT_EQ(Status(missing), 404);
  EXPECT_THAT(Body(missing), HasSubstr("d</textarea>"));
}

TEST_P(EntitiesTest, AliasDefinitionMayBeEmpty) {
  ViewerFixture v(GetParam());
  ASSERT_EQ(Status(v.PostJson("/aliases", {{"name", "a"}})), 201);
  EXPECT_TRUE(ViewerFixture::Json(v.Get("/aliases/a.json"))["definition"].is_null());
  ASSERT_EQ(Status(v.PostForm("/aliases/new", {{"name", "b"}, {"definition", ""}})),
            303);
  EXPECT_TRUE(ViewerFixture::Json(v.Get("/aliases/b.json"))["definition"].is_null());
}

TEST_P(EntitiesTest, SecretValuesOnlyOnTheSecretsOwnPage) {
  ViewerFixture v(GetParam());
  const std::string value = "hunter2-very-secret";
  ASSERT_EQ(Status(v.PostJson("/secrets", {{"name", "API_KEY"}, {"definition", value}})),
            201);
  ASSERT_EQ(Status(v.PutJson("/secrets/API_KEY", {{"definition", value + "!"}})),
            200);
  json found = ViewerFixture::Json(v.Get("/search.json?q=hunter2"));
  for (const char* group : {"servers", "aliases", "variables", "secrets", "cids"}) {
    EXPECT_EQ(found[group].size(), 0u) << group;
  }
  for (const char* path :
       {"/secrets", "/secrets.json",
        "/search.json?q=API", "/interactions.json?entity_type=secret&entity_name=API_KEY",
        "/history.json", "/", "/status.json"}) {
    httplib::Result r = v.Get(path);
    ASSERT_EQ(Status(r), 200) << path;
    EXPECT_THAT(Body(r), Not(HasSubstr("hunter2"))) << path;
  }
  EXPECT_THAT(Body(v.Get("/search.json?q=API")), HasSubstr("API_KEY"));
  EXPECT_THAT(Body(v.Get("/secrets/API_KEY")), HasSubstr(value + "!"));
  EXPECT_EQ(ViewerFixture::Json(v.Get("/secrets/API_KEY.json"))["definition"],
            value + "!");
}

TEST_P(EntitiesTest, ListsAreSortedAndShowDisabled) {
  ViewerFixture v(GetParam());
  for (const char* name : {"b", "a", "c"}) {
    ASSERT_EQ(Status(v.PostJson("/variables", {{"name", name}, {"definition", name}})),
              201);
  }
  ASSERT_EQ(Status(v.PostForm("/variables/b/enabled", {{"enabled", "0"}})), 303);
  json list = ViewerFixture::Json(v.Get("/variables.json"))["variables"];
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0]["name"], "a");
  EXPECT_EQ(list[1]["name"], "b");
  EXPECT_EQ(list[1]["enabled"], false);
  EXPECT_EQ(list[2]["name"], "c");
  EXPECT_THAT(Body(v.Get("/variables")), HasSubstr("<tr class=\"disabled\">"));
}

TEST_P(EntitiesTest, EnabledTakesJsonToo) {
  ViewerFixture v(GetParam());
  ASSERT_EQ(Status(v.PostJson("/servers", {{"name", "s"}, {"definition", "d"}})), 201);
  httplib::Result r = v.PostJson("/servers/s/enabled", {{"enabled", false}});
  ASSERT_EQ(Status(r), 200) << Body(r);
  EXPECT_EQ(ViewerFixture::Json(r)["enabled"], false);
}

INSTANTIATE_TEST_SUITE_P(Backends, EntitiesTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
