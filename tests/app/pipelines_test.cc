// Definitions stored as CIDs, definition history, pipelines and the
// editors' rules (app/server_versions.h, app/pipelines.h, app/bulk_edit.h,
// app/cid_edit.h), on each backend, without HTTP.
#include "app/pipelines.h"

#include <memory>
#include <string>

#include "app/bulk_edit.h"
#include "app/cid.h"
#include "app/cid_edit.h"
#include "app/entities.h"
#include "app/invocations.h"
#include "app/schemas.h"
#include "app/server_versions.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::viewer::testing::AllBackends;
using ::viewer::testing::BackendKind;
using ::viewer::testing::BackendParamName;
using ::viewer::testing::StatusIs;
using ::viewer::testing::StoreHarness;

// "INVALID_ARGUMENT: message" for an error, "OK" otherwise.
template <typename T>
std::string Err(const absl::StatusOr<T>& result) {
  return result.status().ToString();
}

class PipelinesTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  PipelinesTest() : h_(GetParam(), AppCatalog()) {}

  void Create(EntityKind kind, const std::string& name,
              const std::string& def) {
    std::unique_ptr<Transaction> txn = h_.Write();
    ASSERT_NE(txn, nullptr);
    ASSERT_OK(
        CreateEntity(*txn, kind, {.name = name, .definition = def}).status());
    ASSERT_OK(txn->Commit());
  }
  void Update(const std::string& name, const std::string& def) {
    std::unique_ptr<Transaction> txn = h_.Write();
    ASSERT_OK(UpdateEntity(*txn, EntityKind::kServer, name,
                           {.name = name, .definition = def})
                  .status());
    ASSERT_OK(txn->Commit());
  }

  absl::StatusOr<std::optional<PipelinePlan>> Plan(const std::string& path) {
    std::unique_ptr<Transaction> txn = h_.Read();
    return PlanPipeline(*txn, cids_, &aliases_, path);
  }

  // Plans and runs `path`, commits, and returns the final output.
  std::string Run(const std::string& path, PipelineRun* out = nullptr) {
    std::unique_ptr<Transaction> txn = h_.Write();
    absl::StatusOr<std::optional<PipelinePlan>> plan =
        PlanPipeline(*txn, cids_, &aliases_, path);
    EXPECT_OK(plan.status());
    if (!plan.ok() || !*plan) return "<no plan>";
    absl::StatusOr<PipelineRun> run =
        RunPipeline(*txn, cids_, **plan, {.path = path}, Timestamp{0});
    EXPECT_OK(run.status());
    if (!run.ok()) return "<no run>";
    EXPECT_OK(txn->Commit());
    if (out != nullptr) *out = *run;
    return run->output.ok() ? *run->output : run->output.status().ToString();
  }

  StoreHarness h_;
  const CidRepository cids_;
  const AliasResolver aliases_;
};

TEST_P(PipelinesTest, SavingAServerStoresItsDefinitionAsACid) {
  const std::string long_def(100, 'x');  // over 64 bytes: a hashed CID
  Create(EntityKind::kServer, "big", long_def);
  std::unique_ptr<Transaction> txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Entity e, GetEntity(*txn, EntityKind::kServer, "big"));
  ASSERT_TRUE(e.definition_cid.has_value());
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const std::string> bytes,
                       cids_.Get(*txn, *e.definition_cid));
  EXPECT_EQ(*bytes, long_def);
}

TEST_P(PipelinesTest, HistoryListsEachDefinitionOnceNewestFirst) {
  Create(EntityKind::kServer, "s", "one");
  Update("s", "two");
  Update("s", "one");  // saved again: moves to the top, listed once
  std::unique_ptr<Transaction> txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(std::vector<DefinitionVersion> versions,
                       DefinitionHistory(*txn, "s"));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].definition, "one");
  EXPECT_TRUE(versions[0].current);
  EXPECT_EQ(versions[1].definition, "two");
  EXPECT_FALSE(versions[1].current);
  EXPECT_EQ(versions[1].cid, ComputeCid("two"));
  EXPECT_THAT(DefinitionHistory(*txn, "nobody"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(PipelinesTest, ACidPrefixRunsAPastDefinition) {
  Create(EntityKind::kServer, "s", "old {{input}}");
  Update("s", "new");
  PipelineRun run;
  EXPECT_EQ(Run("/s/" + ComputeCid("old {{input}}"), &run), "old ");
  ASSERT_EQ(run.steps.size(), 1u);
  EXPECT_EQ(run.steps[0].definition_cid, ComputeCid("old {{input}}"));
  EXPECT_EQ(Run("/s"), "new");
  // Shorter than the length prefix: not a version, the input text.
  ASSERT_OK_AND_ASSIGN(std::optional<PipelinePlan> plan, Plan("/s/AAAA"));
  ASSERT_TRUE(plan.has_value());
  EXPECT_FALSE(plan->version_definition.has_value());
  EXPECT_EQ(plan->input, "AAAA");
}

TEST_P(PipelinesTest, APrefixOfSeveralVersionsIsRefused) {
  Create(EntityKind::kServer, "s", "aaa");
  Update("s", "bbb");  // both 3 bytes: the same 8-character length prefix
  EXPECT_THAT(Err(Plan("/s/AAAAAAAD")),
              HasSubstr("matches 2 definitions of server 's'"));
}

TEST_P(PipelinesTest, ChainsRunRightToLeftOnEachOthersOutput) {
  Create(EntityKind::kServer, "s1", "<{{input}}>");
  Create(EntityKind::kServer, "s2", "got:{{input}}");
  PipelineRun run;
  EXPECT_EQ(Run("/s2/s1/hello", &run), "got:<hello>");
  ASSERT_EQ(run.steps.size(), 2u);
  EXPECT_EQ(run.steps[0].server, "s1");
  EXPECT_EQ(run.steps[0].input_cid, ComputeCid("hello"));
  EXPECT_EQ(run.steps[0].output_cid, ComputeCid("<hello>"));
  EXPECT_EQ(run.steps[1].server, "s2");
  EXPECT_EQ(run.steps[1].input_cid, ComputeCid("<hello>"));
  // Each step is one stored run.
  std::unique_ptr<Transaction> txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(std::vector<Invocation> s1,
                       InvocationsForServer(*txn, "s1"));
  ASSERT_EQ(s1.size(), 1u);
  EXPECT_EQ(s1[0].result_cid, ComputeCid("<hello>"));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const std::string> summary,
                       cids_.Get(*txn, *s1[0].invocation_cid));
  EXPECT_THAT(*summary, HasSubstr(ComputeCid("hello")));  // input_cid
}

TEST_P(PipelinesTest, TheRestOfThePathIsAvailableToTheTemplate) {
  Create(EntityKind::kServer, "echo",
         "[{{request.rest}}] [{{request.rest.2}}] [{{request.rest.9}}]");
  EXPECT_EQ(Run("/echo/a/b/c"), "[a/b/c] [b] []");
}

TEST_P(PipelinesTest, ACidInThePathIsItsContent) {
  Create(EntityKind::kServer, "wrap", "({{input}})");
  std::string cid;
  {
    std::unique_ptr<Transaction> txn = h_.Write();
    ASSERT_OK_AND_ASSIGN(cid, cids_.Create(*txn, std::string(100, 'z')));
    ASSERT_OK(txn->Commit());
  }
  EXPECT_EQ(Run("/wrap/" + cid), "(" + std::string(100, 'z') + ")");
  EXPECT_EQ(Run("/wrap/" + cid + ".txt"), "(" + std::string(100, 'z') + ")");
  ASSERT_OK_AND_ASSIGN(std::optional<PipelinePlan> plan, Plan("/wrap/" + cid));
  EXPECT_EQ(plan->input_kind, PipelineInputKind::kCid);
  EXPECT_EQ(plan->input_cid, cid);
}

TEST_P(PipelinesTest, AliasesAreFollowedAndALoopIsRefused) {
  Create(EntityKind::kServer, "s1", "1{{input}}");
  Create(EntityKind::kServer, "s2", "2{{input}}");
  Create(EntityKind::kAlias, "via", "/a -> /s1/x");
  EXPECT_EQ(Run("/s2/a"), "21x");
  Create(EntityKind::kAlias, "loop", "/b -> /s1/b");
  EXPECT_THAT(Err(Plan("/s2/b")),
              HasSubstr("alias loop: /b leads back to itself"));
}

TEST_P(PipelinesTest, DepthAndOutputSizeAreBounded) {
  Create(EntityKind::kServer, "s", "{{input}}{{input}}");
  std::string path;
  for (size_t i = 0; i <= kMaxPipelineServers; ++i) path += "/s";
  EXPECT_THAT(Err(Plan(path + "/x")), HasSubstr("at most 8 servers"));
  // Eight doublings of 8 KiB pass 1 MiB: the step that does fails whole.
  const int64_t cids_before = [&] {
    std::unique_ptr<Transaction> txn = h_.Read();
    return txn->Count(kCidTable).value_or(-1);
  }();
  std::string cid;
  {
    std::unique_ptr<Transaction> txn = h_.Write();
    ASSERT_OK_AND_ASSIGN(cid, cids_.Create(*txn, std::string(8192, 'q')));
    ASSERT_OK(txn->Commit());
  }
  path.clear();
  for (size_t i = 0; i < 8; ++i) path += "/s";
  std::unique_ptr<Transaction> txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(std::optional<PipelinePlan> plan,
                       PlanPipeline(*txn, cids_, &aliases_, path + "/" + cid));
  ASSERT_TRUE(plan.has_value());
  ASSERT_OK_AND_ASSIGN(
      PipelineRun run,
      RunPipeline(*txn, cids_, *plan, {.path = path}, Timestamp{0}));
  EXPECT_THAT(Err(run.output), HasSubstr("template output is over"));
  EXPECT_EQ(run.steps.size(), 8u);  // the eighth did not render
  txn.reset();                      // rolled back, as a caller does
  std::unique_ptr<Transaction> read = h_.Read();
  EXPECT_EQ(read->Count(kCidTable).value_or(-1), cids_before + 1);
}

TEST_P(PipelinesTest, PathsThatNameNoServerAreNoPipeline) {
  Create(EntityKind::kVariable, "v", "x");
  ASSERT_OK_AND_ASSIGN(std::optional<PipelinePlan> plan, Plan("/v/s"));
  EXPECT_FALSE(plan.has_value());
  ASSERT_OK_AND_ASSIGN(plan, Plan("/"));
  EXPECT_FALSE(plan.has_value());
  EXPECT_TRUE(IsDebugValue("TRUE"));
  EXPECT_TRUE(IsDebugValue("1"));
  EXPECT_FALSE(IsDebugValue("0"));
}

TEST_P(PipelinesTest, BulkEditIsValidatedWholeAndApplied) {
  Create(EntityKind::kVariable, "keep", "1");
  Create(EntityKind::kVariable, "change", "2");
  Create(EntityKind::kVariable, "drop", "3");
  EXPECT_THAT(Err(ParseBulkDefinitions(EntityKind::kVariable,
                                       R"({"ok": "1", "a b": "2", "c/d": 3})")),
              HasSubstr("2 bad entries, nothing was changed"));
  EXPECT_THAT(Err(ParseBulkDefinitions(EntityKind::kVariable, "[1]")),
              HasSubstr("must be a JSON object"));
  EXPECT_THAT(ParseBulkDefinitions(EntityKind::kServer, "{}"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(
      BulkDefinitions wanted,
      ParseBulkDefinitions(EntityKind::kVariable,
                           R"({"keep": "1", "change": "two", "new": [1]})"));
  std::unique_ptr<Transaction> txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(
      BulkEditSummary done,
      ApplyBulkDefinitions(*txn, EntityKind::kVariable, wanted));
  EXPECT_EQ(done.created, 1);
  EXPECT_EQ(done.updated, 1);
  EXPECT_EQ(done.deleted, 1);
  EXPECT_EQ(done.unchanged, 1);
  ASSERT_OK_AND_ASSIGN(std::string text,
                       BulkDefinitionsText(*txn, EntityKind::kVariable));
  EXPECT_EQ(text,
            "{\n  \"change\": \"two\",\n  \"keep\": \"1\",\n  \"new\": "
            "\"[1]\"\n}");
}

TEST_P(PipelinesTest, EditingACidSavesANewOneAndKeepsTheOld) {
  std::string cid;
  {
    std::unique_ptr<Transaction> txn = h_.Write();
    ASSERT_OK_AND_ASSIGN(cid, cids_.Create(*txn, std::string(70, 'a')));
    ASSERT_OK(cids_.Create(*txn, std::string(70, 'b')).status());
    ASSERT_OK(cids_.Create(*txn, "\xff\xfe binary").status());
    ASSERT_OK(txn->Commit());
  }
  std::unique_ptr<Transaction> txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(std::string found,
                       ResolveCidPrefix(*txn, cids_, cid.substr(0, 12)));
  EXPECT_EQ(found, cid);
  EXPECT_THAT(Err(ResolveCidPrefix(*txn, cids_, "AAAAAABG")),
              HasSubstr("matches several CIDs"));
  EXPECT_THAT(ResolveCidPrefix(*txn, cids_, "zzzz"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ResolveCidPrefix(*txn, cids_, "a.b"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(EditableText(*txn, cids_, ComputeCid("\xff\xfe binary")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(std::string saved,
                       SaveEditedText(*txn, cids_, "edited"));
  EXPECT_EQ(saved, ComputeCid("edited"));
  ASSERT_OK_AND_ASSIGN(std::string old_text, EditableText(*txn, cids_, cid));
  EXPECT_EQ(old_text, std::string(70, 'a'));
  EXPECT_THAT(SaveEditedText(*txn, cids_, "\xff"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

INSTANTIATE_TEST_SUITE_P(Backends, PipelinesTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer
