// Cross-site requests and the Host check (docs/security.md): every route
// that can change something, sent as a program would (no Origin), from a
// page of this viewer, from a page of another site, and to another host
// name; each with a form, a JSON and a text/plain body.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

struct Target {
  std::string method;
  std::string path;
};

// Every state-changing route, with entities to act on in place.
std::vector<Target> StateChangingRoutes() {
  std::vector<Target> targets = {
      {"POST", "/upload"},      {"POST", "/api/cids"}, {"POST", "/api/dump"},
      {"POST", "/export"},      {"POST", "/import"},   {"POST", "/echo"},
  };
  for (const char* base : {"/servers", "/aliases", "/variables", "/secrets"}) {
    const std::string b = base;
    targets.push_back({"POST", b});
    targets.push_back({"POST", b + "/new"});
    targets.push_back({"PUT", b + "/e"});
    targets.push_back({"DELETE", b + "/e"});
    targets.push_back({"POST", b + "/e/edit"});
    targets.push_back({"POST", b + "/e/enabled"});
    targets.push_back({"POST", b + "/e/delete"});
  }
  return targets;
}

struct BodyKind {
  std::string content_type;
  std::string body;
};

const std::vector<BodyKind>& BodyKinds() {
  static const auto* kinds = new std::vector<BodyKind>{
      {"application/x-www-form-urlencoded",
       "name=f&definition=def+main()%3A+return+1&target=%2Fx"},
      {"application/json",
       R"({"name": "j", "definition": "def main(): return 1"})"},
      {"text/plain", "name=t&definition=x"},
  };
  return *kinds;
}

httplib::Result Send(httplib::Client& client, const Target& t,
                     const BodyKind& b, const httplib::Headers& headers) {
  httplib::Request req;
  req.method = t.method;
  req.path = t.path;
  req.headers = headers;
  req.body = b.body;
  req.set_header("Content-Type", b.content_type);
  return client.send(req);
}

class SecurityCrossSiteTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  void Seed(ViewerFixture& v) {
    ASSERT_EQ(Status(v.PostJson("/servers", {{"name", "echo"},
                                             {"definition", "x"}})),
              201);
    for (const char* base : {"/servers", "/aliases", "/variables",
                             "/secrets"}) {
      json body = {{"name", "e"}, {"definition", "1"}};
      if (std::string(base) == "/aliases") body["definition"] = "e -> /x";
      ASSERT_EQ(Status(v.PostJson(base, body)), 201) << base;
    }
  }
};

TEST_P(SecurityCrossSiteTest, ForeignOriginAndHostAreRefusedAndChangeNothing) {
  ViewerFixture v(GetParam());
  Seed(v);
  const json before = v.RowsPerTable();
  const std::string own = absl::StrCat("127.0.0.1:", v.port());
  int refused = 0;
  for (const Target& t : StateChangingRoutes()) {
    for (const BodyKind& b : BodyKinds()) {
      const std::string what =
          absl::StrCat(t.method, " ", t.path, " as ", b.content_type);
      httplib::Result r = Send(v.client(), t, b,
                               {{"Origin", "http://evil.example"}});
      EXPECT_EQ(Status(r), 403) << what;
      EXPECT_THAT(Body(r), HasSubstr("cross-origin request refused")) << what;
      r = Send(v.client(), t, b,
               {{"Origin", absl::StrCat("http://", own)},
                {"Sec-Fetch-Site", "cross-site"}});
      EXPECT_EQ(Status(r), 403) << what;
      r = Send(v.client(), t, b, {{"Sec-Fetch-Site", "same-site"}});
      EXPECT_EQ(Status(r), 403) << what;
      r = Send(v.client(), t, b, {{"Origin", "null"}});
      EXPECT_EQ(Status(r), 403) << what;
      // A rebound DNS name pointing at this viewer.
      r = Send(v.client(), t, b, {{"Host", "evil.example"}});
      EXPECT_EQ(Status(r), 421) << what;
      EXPECT_THAT(Body(r), HasSubstr("--allowed-host")) << what;
      refused += 5;
    }
  }
  EXPECT_EQ(refused, 5 * 3 * 34);
  EXPECT_EQ(v.RowsPerTable(), before);
}

TEST_P(SecurityCrossSiteTest, ProgramsAndOwnPagesGetThrough) {
  ViewerFixture v(GetParam());
  Seed(v);
  const std::string own = absl::StrCat("http://127.0.0.1:", v.port());
  for (const Target& t : StateChangingRoutes()) {
    for (const BodyKind& b : BodyKinds()) {
      for (const httplib::Headers& h :
           {httplib::Headers{}, httplib::Headers{{"Origin", own}},
            httplib::Headers{{"Origin", own},
                             {"Sec-Fetch-Site", "same-origin"}},
            httplib::Headers{{"Sec-Fetch-Site", "none"}}}) {
        httplib::Result r = Send(v.client(), t, b, h);
        const std::string what = absl::StrCat(
            t.method, " ", t.path, " as ", b.content_type, " ",
            h.empty() ? "without Origin" : h.begin()->second);
        ASSERT_TRUE(r) << what;
        EXPECT_NE(r->status, 403) << what << ": " << r->body;
        EXPECT_NE(r->status, 421) << what << ": " << r->body;
      }
    }
  }
  // And they really act: a form from the viewer's own page creates.
  httplib::Result r = v.client().Post(
      "/variables/new", {{"Origin", own}, {"Sec-Fetch-Site", "same-origin"}},
      "name=made&definition=1", "application/x-www-form-urlencoded");
  EXPECT_EQ(Status(r), 303) << Body(r);
  EXPECT_EQ(Status(v.GetJson("/variables/made")), 200);
}

TEST_P(SecurityCrossSiteTest, ReadsFromAnyOriginButOnlyForOwnHosts) {
  ViewerFixture v(GetParam(), {.allowed_hosts = {"viewer.example",
                                                 "other.example:8080"}});
  // A GET is no change: another site may link to a page.
  EXPECT_EQ(Status(v.Get("/", {{"Origin", "http://evil.example"},
                               {"Sec-Fetch-Site", "cross-site"}})),
            200);
  for (const char* host : {"localhost", "127.0.0.1", "viewer.example",
                           "VIEWER.example:443", "other.example:8080"}) {
    EXPECT_EQ(Status(v.Get("/", {{"Host", host}})), 200) << host;
  }
  for (const char* host : {"evil.example", "other.example",
                           "other.example:80", "viewer.example.evil.example",
                           "10.0.0.1"}) {
    httplib::Result r = v.Get("/status.json", {{"Host", host}});
    EXPECT_EQ(Status(r), 421) << host;
  }
  // With the allowed name, the form of a page served under it works too.
  httplib::Result r = v.client().Post(
      "/variables/new",
      {{"Host", "viewer.example"}, {"Origin", "http://viewer.example"}},
      "name=v&definition=1", "application/x-www-form-urlencoded");
  EXPECT_EQ(Status(r), 303) << Body(r);
}

INSTANTIATE_TEST_SUITE_P(Backends, SecurityCrossSiteTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
