// The demo seed (app/demo_seed.h) on both backends: it succeeds, a second
// run changes nothing, and everything it creates resolves: every template
// renders with the seeded enabled variables and secrets alone, every alias
// parses and each target is a CID in the project's cids/ folder, a demo
// server or another demo alias; the demo secret appears only in the output
// of the server that asks for it. Uses http/'s own template and alias code.
#include "app/demo_seed.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "app/alias_rules.h"
#include "app/cid.h"
#include "app/cid_directory.h"
#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/export_import.h"
#include "app/schemas.h"
#include "app/templates.h"
#include "gtest/gtest.h"
#include "tests/app/store_io_util.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

std::unique_ptr<CidDirectory> ProjectCids() {
  auto dir = CidDirectory::Open({.path = VIEWER_SOURCE_DIR "/cids"});
  EXPECT_TRUE(dir.ok()) << dir.status();
  return dir.ok() ? std::move(*dir) : nullptr;
}

class DemoSeedTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  DemoSeedTest() : h_(GetParam(), AppCatalog()), cids_(ProjectCids()) {}

  absl::Status Seed() {
    auto txn = h_.Write();
    absl::Status s = SeedDemo(*txn, cids_.get());
    if (s.ok()) s = txn->Commit();
    return s;
  }

  std::vector<Entity> List(EntityKind kind) {
    auto txn = h_.Read();
    auto list = ListEntities(*txn, kind);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? *list : std::vector<Entity>{};
  }

  TemplateInputs Inputs(const std::string& path) {
    TemplateInputs in;
    for (const Entity& v : List(EntityKind::kVariable)) {
      if (v.enabled) in.variables.emplace(v.name, *v.definition);
    }
    for (const Entity& s : List(EntityKind::kSecret)) {
      if (s.enabled) in.secrets.emplace(s.name, *s.definition);
    }
    in.request_path = path;
    in.query.emplace("name", "Ada");
    return in;
  }

  // True when `path` (no query) is served: a CID the folder holds (or a
  // literal one), an enabled demo server, or an enabled alias rule whose
  // target resolves in turn.
  bool Resolves(const std::string& target, int hops = 0) {
    const std::string path(target.substr(0, target.find('?')));
    if (absl::StatusOr<CidReference> ref = ParseCidReference(path); ref.ok()) {
      return ref->cid.is_literal || cids_->Contains(ref->cid.cid);
    }
    for (const Entity& s : List(EntityKind::kServer)) {
      if (s.enabled && path == "/" + s.name) return true;
    }
    if (hops > 5) return false;
    for (const Entity& a : List(EntityKind::kAlias)) {
      if (!a.enabled) continue;
      auto rules = ParseAliasDefinition(a.definition.value_or(""));
      if (!rules.ok()) continue;
      if (auto next = MatchAliasRules(*rules, path)) {
        return Resolves(*next, hops + 1);
      }
    }
    return false;
  }

  StoreHarness h_;
  std::unique_ptr<CidDirectory> cids_;
};

TEST_P(DemoSeedTest, SeedsEveryKindAndASecondRunChangesNothing) {
  ASSERT_OK(Seed());
  for (EntityKind kind : kAllEntityKinds) {
    EXPECT_GE(List(kind).size(), 2u) << EntityPluralName(kind);
  }
  for (const DemoEntity& e : DemoEntities()) {
    auto txn = h_.Read();
    ASSERT_OK_AND_ASSIGN(Entity got, GetEntity(*txn, e.kind, e.input.name));
    EXPECT_EQ(got.definition, e.input.definition);
    EXPECT_EQ(got.enabled, *e.input.enabled);
  }
  {
    auto txn = h_.Read();
    // The note, and each server's definition (stored as a CID).
    std::set<std::string> expected = {ComputeCid(DemoNote())};
    for (const DemoEntity& e : DemoEntities()) {
      if (e.kind == EntityKind::kServer) {
        expected.insert(ComputeCid(e.input.definition.value_or("")));
      }
    }
    ASSERT_OK_AND_ASSIGN(std::vector<CidRecord> stored,
                         CidRepository().Recent(*txn, 100));
    std::set<std::string> got;
    for (const CidRecord& r : stored) got.insert(r.cid);
    EXPECT_EQ(got, expected);
  }
  ASSERT_OK_AND_ASSIGN(StoreContents first, ReadContents(h_.store()));
  h_.clock().Advance(absl::Minutes(1));
  ASSERT_OK(Seed());
  ASSERT_OK_AND_ASSIGN(StoreContents second, ReadContents(h_.store()));
  ExpectSameContents(first, second);
}

TEST_P(DemoSeedTest, ExistingEntitiesAreKeptAndTheRestCreated) {
  {
    auto txn = h_.Write();
    ASSERT_OK(CreateEntity(*txn, EntityKind::kVariable,
                           {.name = "greeting", .definition = "Howdy"}));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK(Seed());
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Entity greeting,
                       GetEntity(*txn, EntityKind::kVariable, "greeting"));
  EXPECT_EQ(greeting.definition, "Howdy");
  ASSERT_OK_AND_ASSIGN(int64_t servers,
                       CountEntities(*txn, EntityKind::kServer));
  EXPECT_EQ(servers, 4);
}

TEST_P(DemoSeedTest, EveryTemplateRendersWithTheSeededValuesOnly) {
  ASSERT_OK(Seed());
  const std::string secret = "demo-0000-not-a-real-token";
  for (const Entity& s : List(EntityKind::kServer)) {
    absl::StatusOr<std::string> out =
        RenderTemplate(*s.definition, Inputs("/" + s.name));
    ASSERT_TRUE(out.ok()) << s.name << ": " << out.status();
    EXPECT_EQ(absl::StrContains(*out, secret), s.name == "api-request")
        << s.name << " output:\n"
        << *out;
    for (const std::string& cid : FindCidReferences(*out)) {
      EXPECT_TRUE(cids_->Contains(cid)) << s.name << " links to " << cid;
    }
  }
  // The secret's value is in no other definition either.
  for (EntityKind kind :
       {EntityKind::kServer, EntityKind::kAlias, EntityKind::kVariable}) {
    for (const Entity& e : List(kind)) {
      EXPECT_FALSE(absl::StrContains(e.definition.value_or(""), secret));
    }
  }
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(Entity server,
                       GetEntity(*txn, EntityKind::kServer, "hello"));
  ASSERT_OK_AND_ASSIGN(std::string hello,
                       RenderTemplate(*server.definition, Inputs("/hello")));
  EXPECT_TRUE(absl::StartsWith(hello, "Hello from the viewer demo!")) << hello;
  EXPECT_TRUE(absl::StrContains(hello, "\"Ada\"")) << hello;
}

TEST_P(DemoSeedTest, EveryAliasParsesAndEveryTargetResolves) {
  ASSERT_OK(Seed());
  int targets = 0;
  for (const Entity& a : List(EntityKind::kAlias)) {
    absl::StatusOr<std::vector<AliasRule>> rules =
        ParseAliasDefinition(a.definition.value_or(""));
    ASSERT_TRUE(rules.ok()) << a.name << ": " << rules.status();
    ASSERT_FALSE(rules->empty()) << a.name;
    for (const AliasRule& rule : *rules) {
      if (rule.kind == AliasPatternKind::kRegex) continue;  // below
      EXPECT_TRUE(Resolves(rule.target)) << a.name << ": " << rule.target;
      ++targets;
    }
  }
  EXPECT_GE(targets, 8);
  // The paths the tour server advertises, glob and regex ones included.
  for (const char* path :
       {"/home", "/logo", "/logo.png", "/favicon.ico", "/docs",
        "/docs/changelog", "/docs/anything/else", "/greet/Ada", "/GREET/ada",
        "/haiku", "/hello", "/api-request", "/tour"}) {
    EXPECT_TRUE(Resolves(path)) << path;
  }
  // Disabled ones are not routed.
  EXPECT_FALSE(Resolves("/index.html"));
  EXPECT_FALSE(Resolves("/draft"));
}

TEST_P(DemoSeedTest, AFolderWithoutTheDemoFilesIsAClearError) {
  TempDir empty;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<CidDirectory> none,
                       CidDirectory::Open({.path = empty.path()}));
  auto txn = h_.Write();
  absl::Status s = SeedDemo(*txn, none.get());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StrContains(s.message(), "the demo links to "));
  EXPECT_TRUE(absl::StrContains(s.message(), empty.path())) << s;
  ASSERT_OK_AND_ASSIGN(int64_t rows, txn->Count(kServerTable));
  EXPECT_EQ(rows, 0);
  // Without a folder nothing is checked.
  EXPECT_OK(SeedDemo(*txn, nullptr));
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoSeedTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
