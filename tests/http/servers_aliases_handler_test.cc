// Servers as templates and aliases as routes, over HTTP.
#include <string>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/cid_repository.h"
#include "app/hashed_cid.h"
#include "app/invocations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

class ServersTest : public ::testing::TestWithParam<BackendKind> {};

void Create(ViewerFixture& v, const std::string& kind, const std::string& name,
            const std::string& definition) {
  httplib::Result r =
      v.PostJson("/" + kind, {{"name", name}, {"definition", definition}});
  ASSERT_EQ(Status(r), 201) << Body(r);
}

std::string Fetch(ViewerFixture& v, Store& store, const std::string& cid) {
  auto txn = store.Begin(TransactionMode::kReadOnly);
  EXPECT_TRUE(txn.ok());
  auto bytes = CidRepository(v.cids()).Get(**txn, cid);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? **bytes : "";
}

TEST_P(ServersTest, InvokingRendersStoresAndRecords) {
  ViewerFixture v(GetParam());
  Create(v, "variables", "greeting", "Hello");
  Create(v, "secrets", "TOKEN", "s3cret-value");
  Create(v, "servers", "hello",
         "{{greeting}}, {{request.query.who}}! {{request.path}} "
         "token={{secret:TOKEN}}");
  httplib::Result r = v.Get("/hello?who=Ada",
                            {{"Cookie", "session=abc"},
                             {"Authorization", "Bearer xyz"},
                             {"X-Custom", "kept"}});
  ASSERT_EQ(Status(r), 302) << Body(r);
  const std::string expected = "Hello, Ada! /hello token=s3cret-value";
  // The output holds a secret: named by the hashed form, never a literal.
  EXPECT_EQ(r->get_header_value("Location"), "/" + ComputeHashedCid(expected));
  EXPECT_EQ(Body(v.Get(r->get_header_value("Location"))), expected);

  auto txn = v.store().Begin(TransactionMode::kReadOnly);
  ASSERT_TRUE(txn.ok());
  ASSERT_OK_AND_ASSIGN(std::vector<Invocation> runs,
                       InvocationsForServer(**txn, "hello"));
  ASSERT_EQ(runs.size(), 1u);
  const Invocation& run = runs[0];
  EXPECT_EQ(run.result_cid, ComputeHashedCid(expected));
  json secrets = json::parse(Fetch(v, v.store(), *run.secrets_cid));
  EXPECT_EQ(secrets, json::array({"TOKEN"}));
  EXPECT_THAT(Fetch(v, v.store(), *run.variables_cid), HasSubstr("Hello"));
  json servers = json::parse(Fetch(v, v.store(), *run.servers_cid));
  EXPECT_EQ(servers[0]["name"], "hello");
  const std::string details = Fetch(v, v.store(), *run.request_details_cid);
  EXPECT_THAT(details, HasSubstr("kept"));
  EXPECT_THAT(details, HasSubstr("\"who\""));
  EXPECT_THAT(details, Not(HasSubstr("session=abc")));
  EXPECT_THAT(details, Not(HasSubstr("Bearer")));
  EXPECT_THAT(details, Not(HasSubstr("s3cret")));
  ASSERT_TRUE(run.invocation_cid.has_value());
  EXPECT_THAT(Fetch(v, v.store(), *run.invocation_cid),
              HasSubstr(run.result_cid));

  // POST runs it too, answering 303.
  httplib::Result post = v.PostRaw("/hello", "", "text/plain");
  EXPECT_EQ(Status(post), 303);
}

TEST_P(ServersTest, UnknownPlaceholderIs422AndStoresNothing) {
  ViewerFixture v(GetParam());
  Create(v, "servers", "broken", "a {{missing_var}} b");
  Create(v, "variables", "off", "x");
  ASSERT_EQ(Status(v.PostForm("/variables/off/enabled", {{"enabled", "0"}})), 303);
  Create(v, "servers", "uses_off", "{{off}}");
  json before = ViewerFixture::Json(v.Get("/status.json"))["tables"];
  httplib::Result r = v.Get("/broken");
  EXPECT_EQ(Status(r), 422);
  EXPECT_THAT(Body(r), HasSubstr("{{missing_var}}"));
  httplib::Result off = v.GetJson("/uses_off");
  EXPECT_EQ(Status(off), 422);
  EXPECT_THAT(ViewerFixture::Json(off)["error"].get<std::string>(),
              HasSubstr("no enabled variable named 'off'"));
  EXPECT_EQ(ViewerFixture::Json(v.Get("/status.json"))["tables"], before);
}

TEST_P(ServersTest, DisabledServersAreNotRunAndOtherMethodsAre405) {
  ViewerFixture v(GetParam());
  Create(v, "servers", "s", "out");
  EXPECT_EQ(Status(v.client().Put("/s", "", "text/plain")), 405);
  ASSERT_EQ(Status(v.PostForm("/servers/s/enabled", {{"enabled", "0"}})), 303);
  EXPECT_EQ(Status(v.Get("/s")), 404);
}

TEST_P(ServersTest, AliasesRedirectKeepingTheQuery) {
  ViewerFixture v(GetParam());
  Create(v, "aliases", "a1",
         "# comment\n"
         "docs -> /AAAAAAAFaGVsbG8.txt\n"
         "/old/* -> /new [glob]\n"
         "[regex] ^/u/([a-z]+)$ -> /users/$1\n"
         "shout -> /quiet [ignore-case]\n");
  httplib::Result r = v.Get("/docs?x=1&y=2");
  ASSERT_EQ(Status(r), 302);
  EXPECT_EQ(r->get_header_value("Location"), "/AAAAAAAFaGVsbG8.txt?x=1&y=2");
  EXPECT_EQ(v.Get("/old/a/b")->get_header_value("Location"), "/new");
  EXPECT_EQ(v.Get("/u/ada")->get_header_value("Location"), "/users/ada");
  EXPECT_EQ(v.Get("/SHOUT")->get_header_value("Location"), "/quiet");
  EXPECT_EQ(Status(v.Get("/u/ADA")), 404);

  httplib::Result post = v.PostRaw("/docs", "body", "text/plain");
  EXPECT_EQ(Status(post), 307);

  // Fixed routes come first; a disabled alias routes nothing.
  Create(v, "aliases", "a0", "servers -> /elsewhere");
  EXPECT_EQ(Status(v.Get("/servers")), 200);
  ASSERT_EQ(Status(v.PostForm("/aliases/a1/enabled", {{"enabled", "0"}})), 303);
  EXPECT_EQ(Status(v.Get("/docs")), 404);
}

TEST_P(ServersTest, AliasesAreTriedInNameOrderBeforeServers) {
  ViewerFixture v(GetParam());
  Create(v, "servers", "thing", "from the server");
  Create(v, "aliases", "b", "thing -> /from-b");
  Create(v, "aliases", "a", "thing -> /from-a");
  EXPECT_EQ(v.Get("/thing")->get_header_value("Location"), "/from-a");
  ASSERT_EQ(Status(v.Delete("/aliases/a")), 204);
  ASSERT_EQ(Status(v.Delete("/aliases/b")), 204);
  EXPECT_EQ(v.Get("/thing")->get_header_value("Location"),
            "/" + ComputeCid("from the server"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ServersTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
