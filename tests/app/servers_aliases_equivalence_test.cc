// The plan's phase 4.2-4.3 (servers, aliases) and what is special about
// variables and secrets: every call made on two backends (each
// against the reference one), results compared whole
// (tests/app/repository_fixture.h).
#include <string>
#include <vector>

#include "app/cid.h"
#include "app/entities.h"
#include "app/interactions.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/repository_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

// ---- 4.2 servers -----------------------------------------------------------

TEST_P(RepositoryEquivalenceTest, ServerDefinitionCidIsTheCidOfTheDefinition) {
  const std::string short_def = "hello";
  const std::string long_def(200, 'x');
  Entity s = Create(EntityKind::kServer, "short", short_def);
  EXPECT_THAT(s.definition_cid, Optional(ComputeCid(short_def)));
  EXPECT_THAT(s.definition_cid, Optional(std::string("AAAAAAAFaGVsbG8")));
  Entity l = Create(EntityKind::kServer, "long", long_def);
  EXPECT_THAT(l.definition_cid, Optional(ComputeCid(long_def)));
  auto updated = Same([](Transaction& t) {
    return UpdateEntity(t, EntityKind::kServer, "short",
                        {.name = "short", .definition = "changed"});
  });
  EXPECT_THAT(updated->definition_cid, Optional(ComputeCid("changed")));
  // The other kinds have no definition_cid column.
  Entity v = Create(EntityKind::kVariable, "v", "hello");
  EXPECT_EQ(v.definition_cid, std::nullopt);
  ExpectSameContents();
}

TEST_P(RepositoryEquivalenceTest, ServerNeedsADefinitionButMayBeEmpty) {
  auto missing = Same([](Transaction& t) {
    return CreateEntity(t, EntityKind::kServer, {.name = "s"});
  });
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kInvalidArgument,
                                "a server needs a definition"));
  Entity empty = Create(EntityKind::kServer, "empty", "");
  EXPECT_THAT(empty.definition, Optional(std::string()));
  EXPECT_THAT(empty.definition_cid, Optional(std::string("AAAAAAAA")));
  auto clear = Same([](Transaction& t) {
    return UpdateEntity(t, EntityKind::kServer, "empty", {.name = "empty"});
  });
  EXPECT_THAT(clear, StatusIs(absl::StatusCode::kInvalidArgument,
                              "a server needs a definition"));
  ExpectSameContents();
}

TEST_P(RepositoryEquivalenceTest, DisabledServersAreStillListedAndFound) {
  Create(EntityKind::kServer, "on", "1");
  Create(EntityKind::kServer, "off", "2");
  Do([](Transaction& t) {
    return SetEntityEnabled(t, EntityKind::kServer, "off", false);
  });
  auto list = SameRead(
      [](Transaction& t) { return ListEntities(t, EntityKind::kServer); });
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "off");
  EXPECT_FALSE((*list)[0].enabled);
  EXPECT_TRUE((*list)[1].enabled);
}

TEST_P(RepositoryEquivalenceTest, KindsAreSeparateTables) {
  Create(EntityKind::kServer, "same", "s");
  Create(EntityKind::kAlias, "same", "a");
  Create(EntityKind::kVariable, "same", "v");
  Create(EntityKind::kSecret, "same", "x");
  for (EntityKind kind : kAllEntityKinds) {
    EXPECT_EQ(*SameRead([&](Transaction& t) { return CountEntities(t, kind); }),
              1);
  }
  Do([](Transaction& t) {
    return DeleteEntity(t, EntityKind::kAlias, "same");
  });
  EXPECT_EQ(*SameRead([](Transaction& t) {
    return CountEntities(t, EntityKind::kAlias);
  }),
            0);
  EXPECT_EQ(*SameRead([](Transaction& t) {
    return CountEntities(t, EntityKind::kServer);
  }),
            1);
  ExpectSameContents();
}

// ---- 4.3 aliases -----------------------------------------------------------

TEST_P(RepositoryEquivalenceTest, AliasDefinitionIsOptional) {
  Entity bare = Create(EntityKind::kAlias, "bare", std::nullopt);
  EXPECT_EQ(bare.definition, std::nullopt);
  EXPECT_EQ(bare.definition_cid, std::nullopt);
  auto set = Same([](Transaction& t) {
    return UpdateEntity(t, EntityKind::kAlias, "bare",
                        {.name = "bare", .definition = "ai -> /ai_assist"});
  });
  EXPECT_THAT(set->definition, Optional(std::string("ai -> /ai_assist")));
  auto cleared = Same([](Transaction& t) {
    return UpdateEntity(t, EntityKind::kAlias, "bare", {.name = "bare"});
  });
  EXPECT_EQ(cleared->definition, std::nullopt);
  auto history = SameRead(
      [](Transaction& t) { return AllInteractions(t, "alias", "bare"); });
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].content, "");  // no definition: empty content
  EXPECT_EQ((*history)[1].content, "ai -> /ai_assist");
  ExpectSameContents();
}

TEST_P(RepositoryEquivalenceTest, AliasesListAndLookUpLikeEveryKind) {
  Create(EntityKind::kAlias, "docs", "docs -> /AAAAAAAFaGVsbG8");
  Create(EntityKind::kAlias, "ai", "ai -> /ai_assist");
  EXPECT_THAT(Names(EntityKind::kAlias), ElementsAre("ai", "docs"));
  EXPECT_THAT(*SameRead([](Transaction& t) {
    return FirstEntityName(t, EntityKind::kAlias);
  }),
              Optional(std::string("ai")));
  auto got = SameRead(
      [](Transaction& t) { return GetEntity(t, EntityKind::kAlias, "docs"); });
  EXPECT_THAT(got->definition,
              Optional(std::string("docs -> /AAAAAAAFaGVsbG8")));
}

// ---- variables and secrets -------------------------------------------------

TEST_P(RepositoryEquivalenceTest, SecretValuesNeverReachTheHistory) {
  Create(EntityKind::kSecret, "api-key", "s3cr3t-value");
  Do([](Transaction& t) {
    return UpdateEntity(t, EntityKind::kSecret, "api-key",
                        {.name = "api-key", .definition = "n3w-s3cr3t"});
  });
  auto history = SameRead(
      [](Transaction& t) { return AllInteractions(t, "secret", "api-key"); });
  ASSERT_EQ(history->size(), 2u);
  for (const Interaction& i : *history) {
    EXPECT_EQ(i.content, "<redacted>");
    EXPECT_THAT(i.message.value_or(""),
                ::testing::Not(::testing::HasSubstr("s3cr3t")));
  }
  // The value itself is stored and returned to whoever asks for the secret.
  auto s = SameRead([](Transaction& t) {
    return GetEntity(t, EntityKind::kSecret, "api-key");
  });
  EXPECT_THAT(s->definition, Optional(std::string("n3w-s3cr3t")));
}

}  // namespace
}  // namespace viewer::testing
