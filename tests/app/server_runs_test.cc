// Running servers without HTTP (app/server_runs.h), on each backend: what a
// run stores, what it never stores, and that a template that does not
// render stores nothing.
#include "app/server_runs.h"

#include <memory>
#include <string>

#include "app/cid.h"
#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/hashed_cid.h"
#include "app/invocations.h"
#include "app/schemas.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::viewer::testing::AllBackends;
using ::viewer::testing::BackendKind;
using ::viewer::testing::BackendParamName;
using ::viewer::testing::StatusIs;
using ::viewer::testing::StoreHarness;

// The value of an OK StatusOr, or `otherwise` (with a test failure).
template <typename T>
T ValueOr(const absl::StatusOr<T>& result, T otherwise) {
  EXPECT_OK(result.status());
  return result.ok() ? *result : otherwise;
}

class ServerRunsTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  ServerRunsTest() : h_(GetParam(), AppCatalog()) {}

  void Create(EntityKind kind, const std::string& name, const std::string& def,
              bool enabled = true) {
    std::unique_ptr<Transaction> txn = h_.Write();
    ASSERT_NE(txn, nullptr);
    ASSERT_OK(
        CreateEntity(*txn, kind,
                     {.name = name, .definition = def, .enabled = enabled})
            .status());
    ASSERT_OK(txn->Commit());
  }

  // The bytes stored under `cid`, parsed as JSON.
  nlohmann::json Document(Transaction& txn, const std::string& cid) {
    absl::StatusOr<std::shared_ptr<const std::string>> bytes =
        cids_.Get(txn, cid);
    EXPECT_OK(bytes.status());
    if (!bytes.ok()) return nullptr;
    return nlohmann::json::parse(**bytes);
  }

  int64_t Rows(const char* table) {
    std::unique_ptr<Transaction> txn = h_.Read();
    absl::StatusOr<int64_t> n = txn->Count(table);
    EXPECT_OK(n.status());
    return n.value_or(-1);
  }

  StoreHarness h_;
  const CidRepository cids_;
};

TEST_P(ServerRunsTest, StoresTheOutputWhatWentInAndOneInvocation) {
  Create(EntityKind::kVariable, "greeting", "Hello");
  Create(EntityKind::kSecret, "TOKEN", "s3cret");
  Create(EntityKind::kServer, "hello",
         "{{greeting}}, {{request.query.who}} ({{secret:TOKEN}})");
  const ServerRequest request{.method = "GET",
                              .path = "/hello",
                              .query = {{"who", "Ada"}, {"who", "Bob"}},
                              .headers = {{"Accept", "text/plain"},
                                          {"Cookie", "session=1"},
                                          {"Authorization", "Bearer x"},
                                          {"Host", "127.0.0.1:5000"},
                                          {"X-Two", "a"},
                                          {"x-two", "b"}},
                              .body_bytes = 3};
  std::unique_ptr<Transaction> txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(ServerRun run,
                       RunServer(*txn, cids_, "hello", request, Timestamp{0}));
  EXPECT_EQ(ValueOr(run.output, std::string()), "Hello, Ada (s3cret)");
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const std::string> stored,
                       cids_.Get(*txn, run.result_cid));
  EXPECT_EQ(*stored, "Hello, Ada (s3cret)");

  ASSERT_OK_AND_ASSIGN(std::vector<Invocation> runs,
                       InvocationsForServer(*txn, "hello"));
  ASSERT_EQ(runs.size(), 1u);
  const Invocation& inv = runs[0];
  EXPECT_EQ(inv.result_cid, run.result_cid);
  ASSERT_TRUE(inv.secrets_cid && inv.variables_cid && inv.servers_cid &&
              inv.request_details_cid && inv.invocation_cid);
  EXPECT_EQ(Document(*txn, *inv.secrets_cid), nlohmann::json({"TOKEN"}));
  EXPECT_EQ(Document(*txn, *inv.variables_cid),
            nlohmann::json::parse(R"([{"name":"greeting","value":"Hello"}])"));
  EXPECT_EQ(Document(*txn, *inv.servers_cid)[0]["name"], "hello");
  const nlohmann::json details = Document(*txn, *inv.request_details_cid);
  EXPECT_EQ(details["path"], "/hello");
  EXPECT_EQ(details["body_bytes"], 3);
  EXPECT_EQ(details["query"],
            nlohmann::json::parse(R"([["who","Ada"],["who","Bob"]])"));
  EXPECT_EQ(details["headers"],
            nlohmann::json::parse(R"({"accept":"text/plain","x-two":"a, b"})"));
  const nlohmann::json summary = Document(*txn, *inv.invocation_cid);
  EXPECT_EQ(summary["result_cid"], run.result_cid);
  EXPECT_EQ(summary["request_details_cid"], *inv.request_details_cid);
  EXPECT_EQ(summary["invoked_at"], "1970-01-01T00:00:00.000000Z");
  // No stored document holds the secret's value or a credential.
  for (const std::string* cid :
       {&*inv.secrets_cid, &*inv.variables_cid, &*inv.servers_cid,
        &*inv.request_details_cid, &*inv.invocation_cid}) {
    EXPECT_THAT(Document(*txn, *cid).dump(),
                Not(AnyOf(HasSubstr("s3cret"), HasSubstr("session=1"),
                          HasSubstr("Bearer"))));
  }
  ASSERT_OK(txn->Commit());
}

TEST_P(ServerRunsTest, AShortOutputHoldingASecretGetsAHashedName) {
  Create(EntityKind::kSecret, "PW", "hunter2");
  Create(EntityKind::kServer, "leak", "pw={{secret:PW}}");
  Create(EntityKind::kServer, "plain", "pw=none");
  std::unique_ptr<Transaction> txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(ServerRun run,
                       RunServer(*txn, cids_, "leak", {.path = "/leak"},
                                 Timestamp{0}, {.input = "in:hunter2"}));
  EXPECT_EQ(run.result_cid, ComputeHashedCid("pw=hunter2"));
  EXPECT_EQ(run.input_cid, ComputeHashedCid("in:hunter2"));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const std::string> bytes,
                       cids_.Get(*txn, run.result_cid));
  EXPECT_EQ(*bytes, "pw=hunter2");
  EXPECT_FALSE(ValueOr(cids_.Exists(*txn, ComputeCid("pw=hunter2")), true));
  ASSERT_OK_AND_ASSIGN(
      ServerRun again,
      RunServer(*txn, cids_, "leak", {.path = "/leak"}, Timestamp{0}));
  EXPECT_EQ(again.result_cid, run.result_cid);  // stored once, found again
  ASSERT_OK_AND_ASSIGN(
      ServerRun plain,
      RunServer(*txn, cids_, "plain", {.path = "/plain"}, Timestamp{0}));
  EXPECT_EQ(plain.result_cid, ComputeCid("pw=none"));
  ASSERT_OK(txn->Commit());
}

TEST_P(ServerRunsTest, ATemplateThatDoesNotRenderStoresNothing) {
  Create(EntityKind::kServer, "broken", "{{missing}}");
  const int64_t cids_before = Rows(kCidTable);
  std::unique_ptr<Transaction> txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(
      ServerRun run,
      RunServer(*txn, cids_, "broken", {.path = "/broken"}, Timestamp{0}));
  EXPECT_THAT(run.output,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "server 'broken': unknown placeholder {{missing}}: no "
                       "enabled variable named 'missing'"));
  EXPECT_EQ(run.result_cid, "");
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(Rows(kCidTable), cids_before);
  EXPECT_EQ(Rows(kInvocationTable), 0);
}

TEST_P(ServerRunsTest, DisabledAndMissingServersDoNotRun) {
  Create(EntityKind::kServer, "off", "x", /*enabled=*/false);
  Create(EntityKind::kVariable, "var", "x");
  std::unique_ptr<Transaction> txn = h_.Write();
  EXPECT_FALSE(ValueOr(IsRunnableServer(*txn, "off"), true));
  EXPECT_FALSE(ValueOr(IsRunnableServer(*txn, "var"), true));
  EXPECT_FALSE(ValueOr(IsRunnableServer(*txn, "nobody"), true));
  EXPECT_THAT(
      RunServer(*txn, cids_, "off", {}, Timestamp{0}),
      StatusIs(absl::StatusCode::kNotFound, "server 'off' was just disabled"));
  EXPECT_THAT(
      RunServer(*txn, cids_, "nobody", {}, Timestamp{0}),
      StatusIs(absl::StatusCode::kNotFound, "no server named 'nobody'"));
}

TEST_P(ServerRunsTest, APreviewRendersAndStoresNothing) {
  Create(EntityKind::kServer, "echo", "path={{request.path}}");
  const int64_t cids_before = Rows(kCidTable);  // the definition's CID
  {
    std::unique_ptr<Transaction> txn = h_.Read();
    EXPECT_TRUE(ValueOr(IsRunnableServer(*txn, "echo"), false));
    ASSERT_OK_AND_ASSIGN(ServerRun run,
                         PreviewServer(*txn, "echo", {.path = "/echo"}));
    EXPECT_EQ(ValueOr(run.output, std::string()), "path=/echo");
    EXPECT_EQ(run.result_cid, ComputeCid("path=/echo"));  // named, not stored
  }
  EXPECT_EQ(Rows(kCidTable), cids_before);
  EXPECT_EQ(Rows(kInvocationTable), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerRunsTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer
