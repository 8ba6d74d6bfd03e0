// POST /import is a front door like the forms: a document's entities pass
// the same validation (a bad one refuses the whole document, naming each
// bad entry), its history on secrets is redacted like any other, and its
// CIDs keep their names, so a hashed CID (a server output holding a
// secret) does not come back as a literal one spelling the secret. On
// each backend.
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/hashed_cid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SecurityImportTest : public ::testing::TestWithParam<BackendKind> {};

const char* const kPages[] = {
    "/history",
    "/history.json",
    "/",
    "/secrets",
    "/secrets/TOKEN",
    "/secrets/TOKEN.json",
    "/uploads",
    "/search?q=old-secret",
    "/interactions.json?entity_type=secret&entity_name=TOKEN"};

TEST_P(SecurityImportTest, ImportedHistoryOnASecretIsRedacted) {
  ViewerFixture v(GetParam());
  const std::string old_value = "old-secret-value-42";
  const nlohmann::json doc = {
      {"format", "viewer-export"},
      {"version", 1},
      {"secrets", {{{"name", "TOKEN"}, {"definition", "current"}}}},
      {"history",
       {{"page_views", nlohmann::json::array()},
        {"interactions",
         {{{"entity_type", "secret"},
           {"entity_name", "TOKEN"},
           {"action", "update"},
           {"message", "rotated"},
           {"content", old_value}}}}}}};
  httplib::Result r = v.PostJson("/import", doc);
  ASSERT_EQ(Status(r), 200) << Body(r);
  for (const char* page : kPages) {
    httplib::Result got = v.Get(page);
    EXPECT_LT(Status(got), 500) << page;
    EXPECT_THAT(Body(got), Not(HasSubstr(old_value))) << page;
  }
}

TEST_P(SecurityImportTest, AHashedCidIsNotRestoredUnderALiteralName) {
  ViewerFixture v(GetParam());
  const std::string output = "pw=hunter2-secret-value";
  const std::string hashed = ComputeHashedCid(output);
  const std::string literal = ComputeCid(output);
  const nlohmann::json doc = {
      {"format", "viewer-export"},
      {"version", 1},
      {"cids", {{{"cid", hashed}, {"base64", absl::Base64Escape(output)}}}}};
  httplib::Result r = v.PostJson("/import", doc);
  ASSERT_EQ(Status(r), 200) << Body(r);
  EXPECT_EQ(Body(v.Get("/" + hashed)), output);
  const std::string spelled = absl::WebSafeBase64Escape(output).substr(0, 16);
  for (const char* page : {"/", "/uploads", "/uploads.json", "/history"}) {
    const std::string body = Body(v.Get(page));
    EXPECT_THAT(body, Not(HasSubstr(literal))) << page;
    EXPECT_THAT(body, Not(HasSubstr(spelled))) << page;
  }
}

TEST_P(SecurityImportTest, AnAliasTheFormsRefuseRefusesTheDocument) {
  ViewerFixture v(GetParam());
  httplib::Result form = v.PostJson(
      "/aliases", {{"name", "a"}, {"definition", "/a -> //evil.example"}});
  ASSERT_GE(Status(form), 400) << Body(form);
  ASSERT_LT(Status(form), 500) << Body(form);
  const nlohmann::json doc = {
      {"format", "viewer-export"},
      {"version", 1},
      {"aliases",
       {{{"name", "a"}, {"definition", "/a -> //evil.example"}},
        {{"name", "ok"}, {"definition", "/ok -> /fine"}},
        {{"name", std::string(101, 'n')}, {"definition", "/x -> /y"}}}},
      {"variables", {{{"name", "v"}, {"definition", "kept out"}}}}};
  httplib::Result r = v.PostJson("/import", doc);
  ASSERT_EQ(Status(r), 400) << Body(r);
  const nlohmann::json answer = ViewerFixture::Json(r);
  const std::string problems = answer["problems"].dump();
  EXPECT_THAT(problems, HasSubstr("aliases[0].definition"));
  EXPECT_THAT(problems, HasSubstr("aliases[2].name"));
  EXPECT_THAT(problems, Not(HasSubstr("aliases[1]")));
  EXPECT_EQ(Status(v.Get("/aliases/ok")), 404);  // nothing was imported
  EXPECT_EQ(Status(v.Get("/variables/v")), 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, SecurityImportTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
