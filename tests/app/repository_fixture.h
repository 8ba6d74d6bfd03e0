// The fixture of the repository equivalence tests (the plan's phase 4):
// the memory engine and SQLite side by side (tests/storage/dual_store.h),
// each repository call made on both and the results compared whole, errors
// by code and message.
//
//   TEST_F(RepositoryEquivalenceTest, Counts) {
//     Same([](Transaction& t) {
//       return CreateEntity(t, EntityKind::kServer, {"a", "def"});
//     });
//     EXPECT_EQ(*SameRead([](Transaction& t) {
//       return CountEntities(t, EntityKind::kServer);
//     }), 1);
//   }
#ifndef VIEWER_TESTS_APP_REPOSITORY_FIXTURE_H_
#define VIEWER_TESTS_APP_REPOSITORY_FIXTURE_H_

#include <string>
#include <vector>

#include "app/entities.h"
#include "gtest/gtest.h"
#include "tests/app/repository_printers.h"
#include "tests/storage/dual_store.h"

namespace viewer::testing {

class RepositoryEquivalenceTest : public DualStoreTest {
 protected:
  // Runs `fn` on both stores, each in a read-write transaction committed
  // afterwards; expects equal results and returns the memory store's.
  template <typename Fn>
  auto Same(Fn fn) {
    auto r = OnBoth(fn);
    EXPECT_TRUE(SameResult(r.memory, r.disk));
    return r.memory;
  }
  // As Same, for a write whose result the test does not need: it must
  // succeed on both.
  template <typename Fn>
  void Do(Fn fn) {
    auto r = Same(fn);
    EXPECT_OK(r);
  }
  // As Same, in read-only transactions.
  template <typename Fn>
  auto SameRead(Fn fn) {
    auto r = ReadBoth(fn);
    EXPECT_TRUE(SameResult(r.memory, r.disk));
    return r.memory;
  }

  // Creates an entity on both stores; the test fails unless both succeed.
  Entity Create(EntityKind kind, const std::string& name,
                std::optional<std::string> definition) {
    auto r = Same([&](Transaction& t) {
      return CreateEntity(t, kind, {.name = name, .definition = definition});
    });
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : Entity{};
  }

  std::vector<std::string> Names(EntityKind kind) {
    auto list = SameRead([&](Transaction& t) { return ListEntities(t, kind); });
    std::vector<std::string> names;
    if (list.ok()) {
      for (const Entity& e : *list) names.push_back(e.name);
    }
    return names;
  }

  // A definition for `kind`: aliases get one too unless told otherwise.
  static std::string Def(absl::string_view what) {
    return absl::StrCat("definition of ", what);
  }
};

// The same fixture, once per entity kind.
class EntityKindEquivalenceTest
    : public RepositoryEquivalenceTest,
      public ::testing::WithParamInterface<EntityKind> {};

inline std::string EntityKindParamName(
    const ::testing::TestParamInfo<EntityKind>& info) {
  return std::string(EntityDisplayName(info.param));
}

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_APP_REPOSITORY_FIXTURE_H_
