// The plan's phase 4.1 (generic CRUD), once per entity kind: every entity
// repository call made on two backends (each against the reference one),
// results compared whole (tests/app/repository_fixture.h).
#include <string>
#include <vector>

#include "app/entities.h"
#include "app/interactions.h"
#include "engine/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/repository_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

// ---- 4.1 generic CRUD, once per kind ---------------------------------------

TEST_P(EntityKindEquivalenceTest, ListIsOrderedByNameBytewise) {
  for (const char* name : {"c", "a", "Zed", "b", "a-1", "a.1", "a_1"}) {
    Create(Kind(), name, Def(name));
  }
  // Bytewise: '-' < '.' < '_', upper case before lower case.
  EXPECT_THAT(Names(Kind()),
              ElementsAre("Zed", "a", "a-1", "a.1", "a_1", "b", "c"));
  ExpectSameContents();
}

TEST_P(EntityKindEquivalenceTest, GetByNameReturnsTheWholeRow) {
  const Timestamp now = a_.clock().Now();
  Create(Kind(), "find-me", "found");
  auto e =
      SameRead([&](Transaction& t) { return GetEntity(t, Kind(), "find-me"); });
  ASSERT_OK(e);
  EXPECT_EQ(e->id, 1);
  EXPECT_EQ(e->kind, Kind());
  EXPECT_EQ(e->name, "find-me");
  EXPECT_THAT(e->definition, Optional(std::string("found")));
  EXPECT_EQ(e->created_at, now);
  EXPECT_EQ(e->updated_at, now);
  EXPECT_TRUE(e->enabled);
}

TEST_P(EntityKindEquivalenceTest, GetMissingIsNotFound) {
  Create(Kind(), "present", "x");
  auto e =
      SameRead([&](Transaction& t) { return GetEntity(t, Kind(), "absent"); });
  EXPECT_THAT(e, StatusIs(absl::StatusCode::kNotFound,
                          absl::StrCat("no ", EntityDisplayName(Kind()),
                                       " named 'absent'")));
}

TEST_P(EntityKindEquivalenceTest, CountExistsAndFirstName) {
  const EntityKind kind = Kind();
  EXPECT_EQ(*SameRead([&](Transaction& t) { return CountEntities(t, kind); }),
            0);
  EXPECT_EQ(*SameRead([&](Transaction& t) { return FirstEntityName(t, kind); }),
            std::nullopt);
  for (int i = 4; i >= 0; --i) {
    Create(kind, absl::StrCat("entity-", i), Def(absl::StrCat(i)));
  }
  EXPECT_EQ(*SameRead([&](Transaction& t) { return CountEntities(t, kind); }),
            5);
  EXPECT_THAT(
      *SameRead([&](Transaction& t) { return FirstEntityName(t, kind); }),
      Optional(std::string("entity-0")));
  EXPECT_TRUE(*SameRead(
      [&](Transaction& t) { return EntityExists(t, kind, "entity-3"); }));
  EXPECT_FALSE(*SameRead(
      [&](Transaction& t) { return EntityExists(t, kind, "entity-9"); }));
  // Case matters.
  EXPECT_FALSE(*SameRead(
      [&](Transaction& t) { return EntityExists(t, kind, "ENTITY-3"); }));
}

TEST_P(EntityKindEquivalenceTest, CreatingATakenNameIsAlreadyExists) {
  Create(Kind(), "dup", "first");
  auto r = Same([&](Transaction& t) {
    return CreateEntity(t, Kind(), {.name = "dup", .definition = "second"});
  });
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kAlreadyExists,
                          absl::StrCat("a ", EntityDisplayName(Kind()),
                                       " named 'dup' already exists")));
  auto e =
      SameRead([&](Transaction& t) { return GetEntity(t, Kind(), "dup"); });
  EXPECT_THAT(e->definition, Optional(std::string("first")));
  // One interaction: the first create.
  auto all = SameRead([&](Transaction& t) {
    return AllInteractions(t, std::string(EntityDisplayName(Kind())), "dup");
  });
  EXPECT_EQ(all->size(), 1u);
  ExpectSameContents();
}

TEST_P(EntityKindEquivalenceTest, CreateCanStartDisabled) {
  auto e = Same([&](Transaction& t) {
    return CreateEntity(t, Kind(),
                        {.name = "off", .definition = "d", .enabled = false});
  });
  ASSERT_OK(e);
  EXPECT_FALSE(e->enabled);
}

TEST_P(EntityKindEquivalenceTest, UpdateReplacesDefinitionAndTouchesUpdatedAt) {
  Entity created = Create(Kind(), "u", "old");
  Advance(absl::Seconds(5));
  auto updated = Same([&](Transaction& t) {
    return UpdateEntity(t, Kind(), "u", {.name = "u", .definition = "new"});
  });
  ASSERT_OK(updated);
  EXPECT_EQ(updated->id, created.id);
  EXPECT_THAT(updated->definition, Optional(std::string("new")));
  EXPECT_EQ(updated->created_at, created.created_at);
  EXPECT_EQ(updated->updated_at.micros, created.created_at.micros + 5'000'000);
  EXPECT_TRUE(updated->enabled);  // enabled not given: unchanged
  auto again =
      SameRead([&](Transaction& t) { return GetEntity(t, Kind(), "u"); });
  EXPECT_EQ(*again, *updated);
  ExpectSameContents();
}

TEST_P(EntityKindEquivalenceTest, UpdateMissingIsNotFound) {
  auto r = Same([&](Transaction& t) {
    return UpdateEntity(t, Kind(), "ghost",
                        {.name = "ghost", .definition = "d"});
  });
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kNotFound));
  ExpectSameContents();
}

TEST_P(EntityKindEquivalenceTest, RenameKeepsTheRowAndRefusesATakenName) {
  Entity a = Create(Kind(), "alpha", "a");
  Create(Kind(), "beta", "b");
  auto renamed = Same([&](Transaction& t) {
    return UpdateEntity(t, Kind(), "alpha",
                        {.name = "gamma", .definition = "a2"});
  });
  ASSERT_OK(renamed);
  EXPECT_EQ(renamed->id, a.id);
  EXPECT_EQ(renamed->name, "gamma");
  EXPECT_THAT(Names(Kind()), ElementsAre("beta", "gamma"));
  auto clash = Same([&](Transaction& t) {
    return UpdateEntity(t, Kind(), "gamma",
                        {.name = "beta", .definition = "x"});
  });
  EXPECT_THAT(clash, StatusIs(absl::StatusCode::kAlreadyExists,
                              absl::StrCat("a ", EntityDisplayName(Kind()),
                                           " named 'beta' already exists")));
  auto gamma =
      SameRead([&](Transaction& t) { return GetEntity(t, Kind(), "gamma"); });
  EXPECT_EQ(*gamma, *renamed);  // the failed rename changed nothing
  auto history = SameRead([&](Transaction& t) {
    return AllInteractions(t, std::string(EntityDisplayName(Kind())), "gamma");
  });
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].action, "update");
  EXPECT_EQ((*history)[0].message,
            absl::StrCat("renamed ", EntityDisplayName(Kind()),
                         " 'alpha' to 'gamma'"));
  ExpectSameContents();
}

TEST_P(EntityKindEquivalenceTest, EnableAndDisable) {
  Create(Kind(), "toggle", "d");
  Advance(absl::Seconds(1));
  auto off = Same([&](Transaction& t) {
    return SetEntityEnabled(t, Kind(), "toggle", false);
  });
  ASSERT_OK(off);
  EXPECT_FALSE(off->enabled);
  Advance(absl::Seconds(1));
  // Already disabled: nothing written, the row comes back as it is.
  auto again = Same([&](Transaction& t) {
    return SetEntityEnabled(t, Kind(), "toggle", false);
  });
  EXPECT_EQ(*again, *off);
  auto on = Same([&](Transaction& t) {
    return SetEntityEnabled(t, Kind(), "toggle", true);
  });
  EXPECT_TRUE(on->enabled);
  EXPECT_GT(on->updated_at, off->updated_at);
  auto history = SameRead([&](Transaction& t) {
    return AllInteractions(t, std::string(EntityDisplayName(Kind())), "toggle");
  });
  std::vector<std::string> actions;
  for (const Interaction& i : *history) actions.push_back(i.action);
  EXPECT_THAT(actions, ElementsAre("create", "disable", "enable"));
  auto missing = Same([&](Transaction& t) {
    return SetEntityEnabled(t, Kind(), "nope", true);
  });
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kNotFound));
  ExpectSameContents();
}

TEST_P(EntityKindEquivalenceTest, DeleteRemovesTheRowAndKeepsItsHistory) {
  Create(Kind(), "doomed", "d");
  Create(Kind(), "kept", "k");
  EXPECT_OK(
      Same([&](Transaction& t) { return DeleteEntity(t, Kind(), "doomed"); }));
  EXPECT_THAT(Names(Kind()), ElementsAre("kept"));
  EXPECT_THAT(
      Same([&](Transaction& t) { return DeleteEntity(t, Kind(), "doomed"); }),
      StatusIs(absl::StatusCode::kNotFound));
  auto history = SameRead([&](Transaction& t) {
    return AllInteractions(t, std::string(EntityDisplayName(Kind())), "doomed");
  });
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].action, "delete");
  ExpectSameContents();
}

TEST_P(EntityKindEquivalenceTest, EveryWriteRecordsAnInteraction) {
  const std::string type(EntityDisplayName(Kind()));
  Create(Kind(), "h", "v1");
  Advance(absl::Seconds(1));
  Do([&](Transaction& t) {
    return UpdateEntity(t, Kind(), "h", {.name = "h", .definition = "v2"});
  });
  Advance(absl::Seconds(1));
  Do([&](Transaction& t) { return SetEntityEnabled(t, Kind(), "h", false); });
  Do([&](Transaction& t) { return DeleteEntity(t, Kind(), "h"); });
  auto all =
      SameRead([&](Transaction& t) { return AllInteractions(t, type, "h"); });
  ASSERT_EQ(all->size(), 4u);
  const bool secret = Kind() == EntityKind::kSecret;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"create", secret ? "<redacted>" : "v1"},
      {"update", secret ? "<redacted>" : "v2"},
      {"disable", secret ? "<redacted>" : "v2"},
      {"delete", ""}};  // the definition is in the rows before
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*all)[i].entity_type, type);
    EXPECT_EQ((*all)[i].entity_name, "h");
    EXPECT_EQ((*all)[i].action, expected[i].first);
    EXPECT_EQ((*all)[i].content, expected[i].second);
    ASSERT_TRUE((*all)[i].message.has_value());
    EXPECT_THAT(*(*all)[i].message, ::testing::HasSubstr(type));
    EXPECT_THAT(*(*all)[i].message, ::testing::Not(::testing::HasSubstr("v1")));
  }
  EXPECT_EQ(*(*all)[0].message, absl::StrCat("created ", type, " 'h'"));
  // Newest first for "recent".
  auto recent = SameRead(
      [&](Transaction& t) { return RecentInteractions(t, type, "h", 2); });
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ((*recent)[0].action, "delete");
  EXPECT_EQ((*recent)[1].action, "disable");
  ExpectSameContents();
}

TEST_P(EntityKindEquivalenceTest,
       ACallerSavepointUndoesTheRowAndItsInteraction) {
  Create(Kind(), "before", "b");
  auto r = Same([&](Transaction& t) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(t.Savepoint("caller"));
    VIEWER_RETURN_IF_ERROR(
        CreateEntity(t, Kind(), {.name = "after", .definition = "a"}).status());
    VIEWER_RETURN_IF_ERROR(
        SetEntityEnabled(t, Kind(), "before", false).status());
    return t.RollbackTo("caller");
  });
  EXPECT_OK(r);
  EXPECT_THAT(Names(Kind()), ElementsAre("before"));
  auto e =
      SameRead([&](Transaction& t) { return GetEntity(t, Kind(), "before"); });
  EXPECT_TRUE(e->enabled);
  auto interactions =
      SameRead([](Transaction& t) { return t.Count("entity_interactions"); });
  EXPECT_EQ(*interactions, 1);
  ExpectSameContents();
}

TEST_P(EntityKindEquivalenceTest, WritesInAReadOnlyTransactionFail) {
  Create(Kind(), "ro", "d");
  auto r = SameRead([&](Transaction& t) {
    return CreateEntity(t, Kind(), {.name = "new", .definition = "d"});
  });
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kFailedPrecondition,
                          "transaction is read-only"));
  auto d =
      SameRead([&](Transaction& t) { return DeleteEntity(t, Kind(), "ro"); });
  EXPECT_THAT(d, StatusIs(absl::StatusCode::kFailedPrecondition,
                          "transaction is read-only"));
  ExpectSameContents();
}

INSTANTIATE_TEST_SUITE_P(
    Compare, EntityKindEquivalenceTest,
    ::testing::Combine(AllPairs(), ::testing::ValuesIn(kAllEntityKinds)),
    [](const auto& info) {
      return PairName(std::get<0>(info.param)) + "_" +
             EntityKindParamName(::testing::TestParamInfo<EntityKind>(
                 std::get<1>(info.param), info.index));
    });

}  // namespace
}  // namespace viewer::testing
