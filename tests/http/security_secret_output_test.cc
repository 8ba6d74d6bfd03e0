// A server output that holds a secret's value must not be named by a
// literal CID (whose name is the content): the secret would show in the
// redirect, /history, the recent CIDs and every request log line. Such an
// output is stored under the hashed form of its name, on each backend.
#include <string>

#include "absl/strings/escaping.h"
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

class SecretOutputTest : public ::testing::TestWithParam<BackendKind> {};

void Create(ViewerFixture& v, const std::string& kind, const std::string& name,
            const std::string& definition) {
  httplib::Result r =
      v.PostJson("/" + kind, {{"name", name}, {"definition", definition}});
  ASSERT_EQ(Status(r), 201) << Body(r);
}

TEST_P(SecretOutputTest, AnOutputHoldingASecretIsNeverALiteralCid) {
  ViewerFixture v(GetParam());
  const std::string secret = "hunter2-secret-value";
  Create(v, "secrets", "PASSWORD", secret);
  Create(v, "servers", "leak", "pw={{secret:PASSWORD}}");
  Create(v, "servers", "wrap", "[{{input}}]");
  const std::string output = "pw=" + secret;  // 23 bytes: literal-sized
  // The secret as a literal CID spells it (base64url of the bytes).
  const std::string literal = ComputeCid(output);
  const std::string spelled = absl::WebSafeBase64Escape(secret).substr(0, 12);

  httplib::Result run = v.Get("/leak");
  ASSERT_EQ(Status(run), 302) << Body(run);
  const std::string location = run->get_header_value("Location");
  EXPECT_NE(location, "/" + literal);
  EXPECT_EQ(location, "/" + ComputeHashedCid(output));
  httplib::Result fetched = v.Get(location);
  ASSERT_EQ(Status(fetched), 200);
  EXPECT_EQ(Body(fetched), output);  // still served, by its hashed name

  // A chain: the intermediate output is hashed too, and so is the input
  // the next step records.
  httplib::Result debug = v.GetJson("/wrap/leak?debug=1");
  ASSERT_EQ(Status(debug), 200) << Body(debug);
  EXPECT_THAT(Body(debug), Not(HasSubstr(literal)));
  EXPECT_THAT(Body(debug), Not(HasSubstr(secret)));

  // Nowhere but the secret's own page and edit forms.
  for (const std::string& page :
       {std::string("/history"), std::string("/history.json"), std::string("/"),
        std::string("/server_events"), std::string("/server_events.json"),
        std::string("/servers/leak"), std::string("/search?q=hunter2"),
        std::string("/secrets")}) {
    const std::string body = Body(v.Get(page));
    EXPECT_THAT(body, Not(HasSubstr(secret))) << page;
    EXPECT_THAT(body, Not(HasSubstr(spelled))) << page;
    EXPECT_THAT(body, Not(HasSubstr(literal))) << page;
  }
  EXPECT_THAT(Body(v.Get("/secrets/PASSWORD")), HasSubstr(secret));
}

TEST_P(SecretOutputTest, OutputsWithoutASecretKeepTheirLiteralCid) {
  ViewerFixture v(GetParam());
  Create(v, "secrets", "PASSWORD", "hunter2-secret-value");
  Create(v, "servers", "plain", "nothing secret here");
  httplib::Result run = v.Get("/plain");
  ASSERT_EQ(Status(run), 302);
  EXPECT_EQ(run->get_header_value("Location"),
            "/" + ComputeCid("nothing secret here"));
}

INSTANTIATE_TEST_SUITE_P(Backends, SecretOutputTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
