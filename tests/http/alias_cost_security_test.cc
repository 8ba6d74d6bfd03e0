// Costly regular-expression aliases (docs/aliases.md, "Cost"): a pattern
// whose matching could take seconds per request is refused when saved
// (form, JSON API, import) with a message saying it is too costly; rules
// that are each allowed share one matching budget per request, a rule past
// it is answered as if it did not match, and the preview and the alias
// page report what was passed over. Each body runs on memory and SQLite.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

// The pattern three of which made every request reaching alias routing
// take up to 16 s before the limits existed.
constexpr char kCostly[] =
    "[regex] /(.*.*.*.*.*.*.*.*.*.*){3000}x -> /ok";

class AliasCostTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(AliasCostTest, ACostlyPatternIsRefusedAtEveryDoor) {
  ViewerFixture v(GetParam());
  const json rows = v.RowsPerTable();

  httplib::Result api =
      v.PostJson("/aliases", {{"name", "slow"}, {"definition", kCostly}});
  ASSERT_EQ(Status(api), 400) << Body(api);
  EXPECT_THAT(Body(api), HasSubstr("line 1: too costly"));

  httplib::Result form = v.PostForm(
      "/aliases/new", {{"name", "slow"}, {"definition", kCostly}});
  EXPECT_EQ(Status(form), 400) << Body(form);
  EXPECT_THAT(Body(form), HasSubstr("too costly"));

  // Nested groups too deep, and a program too large.
  for (const char* definition :
       {"[regex] /((((((((((a)))))))))) -> /ok",
        "[regex] /(.*.*.*.*.*.*.*.*.*.*){200}x -> /ok"}) {
    httplib::Result r =
        v.PostJson("/aliases", {{"name", "slow"}, {"definition", definition}});
    EXPECT_EQ(Status(r), 400) << definition << ": " << Body(r);
    EXPECT_THAT(Body(r), HasSubstr("too costly")) << definition;
  }

  json doc = {{"format", "viewer-export"},
              {"version", 1},
              {"aliases",
               {{{"name", "fine"}, {"definition", "/a -> /b"}},
                {{"name", "slow"}, {"definition", kCostly}}}}};
  httplib::Result imported = v.PostJson("/import", doc);
  ASSERT_EQ(Status(imported), 400) << Body(imported);
  EXPECT_THAT(Body(imported), HasSubstr("aliases[1]"));
  EXPECT_THAT(Body(imported), HasSubstr("too costly"));

  EXPECT_EQ(v.RowsPerTable(), rows);
  EXPECT_EQ(Status(v.Get("/aliases/slow.json")), 404);
}

// Allowed rules that together cost more than one request may spend: the
// ones past the budget do not match (the path falls through to the next
// alias, here a literal one), and the preview counts them.
TEST_P(AliasCostTest, ARequestSpendsOneBudget) {
  ViewerFixture v(GetParam());
  const std::string costly = "[regex] /(a|b|c|d|e|f|g|h){1,60}z -> /costly";
  const std::string path = "/" + std::string(2000, 'a');
  for (int i = 0; i < 60; ++i) {
    httplib::Result r = v.PostJson(
        "/aliases", {{"name", absl::StrCat("c", 10 + i)}, {"definition", costly}});
    ASSERT_EQ(Status(r), 201) << Body(r);
  }
  httplib::Result z = v.PostJson(
      "/aliases", {{"name", "z"}, {"definition", path + " -> /literal"}});
  ASSERT_EQ(Status(z), 201) << Body(z);

  httplib::Result routed = v.Get(path);
  ASSERT_EQ(Status(routed), 302) << Body(routed);
  EXPECT_EQ(routed->get_header_value("Location"), "/literal");

  httplib::Result preview =
      v.GetJson("/aliases/match-preview.json?path=" + path);
  ASSERT_EQ(Status(preview), 200) << Body(preview);
  const json p = ViewerFixture::Json(preview);
  EXPECT_EQ(p["matched"], true);
  EXPECT_EQ(p["alias"], "z");
  EXPECT_GT(p["over_budget"].get<int>(), 0) << p;
  EXPECT_LT(p["over_budget"].get<int>(), 60) << p;
}

// A rule stored before the limits (here written by another program) routes
// nothing, and its alias page says it is too costly.
TEST_P(AliasCostTest, AStoredCostlyRuleIsReportedOnItsPage) {
  ViewerFixture v(GetParam());
  {
    auto txn = v.store().Begin(TransactionMode::kReadWrite);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(
        (*txn)
            ->Insert("alias",
                     {{"name", Value::Text("slow")},
                      {"definition",
                       Value::Text(absl::StrCat(kCostly, "\n/s -> /t"))}})
            .ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  httplib::Result page = v.Get("/aliases/slow");
  ASSERT_EQ(Status(page), 200) << Body(page);
  EXPECT_THAT(Body(page), HasSubstr("<strong>too costly</strong>"));
  const json j = ViewerFixture::Json(v.GetJson("/aliases/slow.json"));
  ASSERT_EQ(j["rules"].size(), 2u) << j;
  EXPECT_EQ(j["rules"][0]["too_costly"], true);
  EXPECT_EQ(j["rules"][1]["too_costly"], false);
  EXPECT_EQ(Status(v.Get("/" + std::string(300, 'a') + "x")), 404);
  httplib::Result s = v.Get("/s");
  ASSERT_EQ(Status(s), 302);
  EXPECT_EQ(s->get_header_value("Location"), "/t");
}

INSTANTIATE_TEST_SUITE_P(Backends, AliasCostTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
