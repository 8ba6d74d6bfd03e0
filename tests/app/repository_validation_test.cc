// Bad input to the repositories: every bad entity name and every missing
// definition is kInvalidArgument with a message saying what is allowed, and
// leaves every table exactly as it was. Each body runs on both backends.
#include <string>
#include <vector>

#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/exports.h"
#include "app/page_views.h"
#include "app/schemas.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/repository_printers.h"
#include "tests/printers.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

constexpr char kAllowed[] =
    "name must be 1-100 characters of A-Z a-z 0-9 . _ -, got ";

struct BadName {
  std::string what;
  std::string name;
  std::string message;
};

std::vector<BadName> BadNames() {
  return {
      {"slash", "a/b", std::string(kAllowed) + "\"a/b\""},
      {"leading slash", "/abs", std::string(kAllowed) + "\"/abs\""},
      {"space", "a b", std::string(kAllowed) + "\"a b\""},
      {"dot dot", "..", "name must not be \".\" or \"..\", got \"..\""},
      {"dot", ".", "name must not be \".\" or \"..\", got \".\""},
      {"empty", "", std::string(kAllowed) + "an empty name"},
      {"101 characters", std::string(101, 'n'),
       std::string(kAllowed) + "101 characters"},
      {"invalid UTF-8", "bad\xff\xfe",
       std::string(kAllowed) + "\"bad\\xff\\xfe\""},
      {"non-ASCII", "caf\xc3\xa9", std::string(kAllowed) + "\"caf\\xc3\\xa9\""},
      {"NUL", std::string("a\0z", 3), std::string(kAllowed) + "\"a\\x00z\""},
      {"percent", "50%", std::string(kAllowed) + "\"50%\""},
      {"quote", "it's", std::string(kAllowed) + "\"it\\'s\""},
      {"newline", "a\nb", std::string(kAllowed) + "\"a\\nb\""},
  };
}

class RepositoryValidationTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  RepositoryValidationTest() : h_(GetParam(), AppCatalog()) {}

  // Every table's rows, as committed.
  std::vector<std::vector<Row>> Contents() {
    std::vector<std::vector<Row>> all;
    auto txn = h_.Read();
    for (const TableSchema& t : AppCatalog().tables()) {
      auto rows = txn->Select(t.name(), Query{});
      EXPECT_OK(rows);
      all.push_back(rows.ok() ? *rows : std::vector<Row>{});
    }
    return all;
  }

  // Runs `fn` in a read-write transaction and commits whatever it left.
  template <typename Fn>
  auto Write(Fn fn) {
    auto txn = h_.Write();
    auto result = fn(*txn);
    EXPECT_OK(txn->Commit());
    return result;
  }

  // One entity of each kind, so that updates have something to rename.
  void Seed() {
    for (EntityKind kind : kAllEntityKinds) {
      ASSERT_OK(Write([&](Transaction& t) {
        return CreateEntity(t, kind, {.name = "good", .definition = "d"});
      }));
    }
  }

  StoreHarness h_;
};

TEST_P(RepositoryValidationTest, GoodNamesAreAccepted) {
  for (const std::string& name :
       {std::string("a"), std::string(100, 'z'), std::string("A.b_c-9"),
        std::string("..."), std::string(".hidden"), std::string("-")}) {
    SCOPED_TRACE(name);
    EXPECT_OK(ValidateEntityName(name));
    EXPECT_OK(Write([&](Transaction& t) {
      return CreateEntity(t, EntityKind::kServer,
                          {.name = name, .definition = "d"});
    }));
  }
}

TEST_P(RepositoryValidationTest, BadNamesOnCreateChangeNothing) {
  Seed();
  const auto before = Contents();
  for (const BadName& bad : BadNames()) {
    for (EntityKind kind : kAllEntityKinds) {
      SCOPED_TRACE(bad.what + " / " + std::string(EntityDisplayName(kind)));
      EXPECT_THAT(ValidateEntityName(bad.name),
                  StatusIs(absl::StatusCode::kInvalidArgument, bad.message));
      EXPECT_THAT(Write([&](Transaction& t) {
                    return CreateEntity(t, kind,
                                        {.name = bad.name, .definition = "d"});
                  }),
                  StatusIs(absl::StatusCode::kInvalidArgument, bad.message));
    }
  }
  EXPECT_EQ(Contents(), before);
}

TEST_P(RepositoryValidationTest, BadNamesOnRenameChangeNothing) {
  Seed();
  const auto before = Contents();
  for (const BadName& bad : BadNames()) {
    for (EntityKind kind : kAllEntityKinds) {
      SCOPED_TRACE(bad.what + " / " + std::string(EntityDisplayName(kind)));
      EXPECT_THAT(Write([&](Transaction& t) {
                    return UpdateEntity(
                        t, kind, "good",
                        {.name = bad.name, .definition = "new"});
                  }),
                  StatusIs(absl::StatusCode::kInvalidArgument, bad.message));
    }
  }
  EXPECT_EQ(Contents(), before);
}

TEST_P(RepositoryValidationTest, LookupsByABadNameAreNotFound) {
  Seed();
  const auto before = Contents();
  for (const BadName& bad : BadNames()) {
    for (EntityKind kind : kAllEntityKinds) {
      SCOPED_TRACE(bad.what);
      EXPECT_THAT(
          Write([&](Transaction& t) { return GetEntity(t, kind, bad.name); }),
          StatusIs(absl::StatusCode::kNotFound));
      EXPECT_THAT(Write([&](Transaction& t) {
                    return DeleteEntity(t, kind, bad.name);
                  }),
                  StatusIs(absl::StatusCode::kNotFound));
      EXPECT_THAT(Write([&](Transaction& t) {
                    return SetEntityEnabled(t, kind, bad.name, false);
                  }),
                  StatusIs(absl::StatusCode::kNotFound));
    }
  }
  // Not-found messages quote the name escaped, never raw bytes.
  EXPECT_THAT(Write([&](Transaction& t) {
                return GetEntity(t, EntityKind::kServer, "a\nb");
              }),
              StatusIs(absl::StatusCode::kNotFound, "no server named 'a\\nb'"));
  EXPECT_EQ(Contents(), before);
}

TEST_P(RepositoryValidationTest, MissingDefinitionsChangeNothing) {
  Seed();
  const auto before = Contents();
  for (EntityKind kind :
       {EntityKind::kServer, EntityKind::kVariable, EntityKind::kSecret}) {
    const std::string message =
        absl::StrCat("a ", EntityDisplayName(kind), " needs a definition");
    EXPECT_THAT(Write([&](Transaction& t) {
                  return CreateEntity(t, kind, {.name = "nodef"});
                }),
                StatusIs(absl::StatusCode::kInvalidArgument, message));
    EXPECT_THAT(Write([&](Transaction& t) {
                  return UpdateEntity(t, kind, "good", {.name = "good"});
                }),
                StatusIs(absl::StatusCode::kInvalidArgument, message));
  }
  EXPECT_EQ(Contents(), before);
  // The name is checked first.
  EXPECT_THAT(Write([&](Transaction& t) {
                return CreateEntity(t, EntityKind::kServer, {.name = "a b"});
              }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       std::string(kAllowed) + "\"a b\""));
}

TEST_P(RepositoryValidationTest, OtherBadArgumentsChangeNothing) {
  Seed();
  const auto before = Contents();
  CidRepository cids;
  EXPECT_THAT(Write([&](Transaction& t) { return RecordExport(t, "no/cid"); }),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Write([&](Transaction& t) { return cids.Get(t, ""); }),
              StatusIs(absl::StatusCode::kInvalidArgument, "CID is empty"));
  EXPECT_THAT(
      Write([&](Transaction& t) { return cids.FindByPrefix(t, "A", -1); }),
      StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Write([&](Transaction& t) {
                return PageViews(t, -1, 10, std::nullopt, std::nullopt);
              }),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Contents(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, RepositoryValidationTest, AllBackends(),
                         BackendParamName);

// ---- kinds (pure)
// --------------------------------------------------------------

TEST(EntityKindTest, NamesAndParsing) {
  EXPECT_EQ(ParseEntityKind("servers"), EntityKind::kServer);
  EXPECT_EQ(ParseEntityKind("server"), EntityKind::kServer);
  EXPECT_EQ(ParseEntityKind("aliases"), EntityKind::kAlias);
  EXPECT_EQ(ParseEntityKind("variables"), EntityKind::kVariable);
  EXPECT_EQ(ParseEntityKind("secrets"), EntityKind::kSecret);
  EXPECT_EQ(ParseEntityKind("Servers"), std::nullopt);
  EXPECT_EQ(ParseEntityKind("cids"), std::nullopt);
  EXPECT_EQ(ParseEntityKind(""), std::nullopt);
  for (EntityKind kind : kAllEntityKinds) {
    EXPECT_EQ(ParseEntityKind(EntityPluralName(kind)), kind);
    EXPECT_NE(AppCatalog().Find(EntityTableName(kind)), nullptr);
  }
  EXPECT_EQ(EntityTableName(EntityKind::kAlias), "alias");
  EXPECT_EQ(EntityDisplayName(EntityKind::kVariable), "variable");
  EXPECT_FALSE(EntityNeedsDefinition(EntityKind::kAlias));
  EXPECT_TRUE(EntityNeedsDefinition(EntityKind::kSecret));
}

}  // namespace
}  // namespace viewer::testing
