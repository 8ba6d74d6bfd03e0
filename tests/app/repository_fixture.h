// The fixture of the repository equivalence tests (the plan's phase 4):
// two backends side by side (tests/storage/dual_store.h), each repository
// call made on both and the results compared whole, errors by code and
// message.
//
//   TEST_P(RepositoryEquivalenceTest, Counts) {
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
#include <tuple>
#include <vector>

#include "app/entities.h"
#include "gtest/gtest.h"
#include "tests/app/repository_printers.h"
#include "tests/storage/dual_store.h"

namespace viewer::testing {

class RepositoryBase : public DualStoreBase {
 protected:
  explicit RepositoryBase(BackendPair pair) : DualStoreBase(pair) {}

  // Runs `fn` on both stores, each in a read-write transaction committed
  // afterwards; expects equal results and returns the first store's.
  template <typename Fn>
  auto Same(Fn fn) {
    auto r = OnBoth(fn);
    EXPECT_TRUE(SameResult(r.a, r.b));
    return r.a;
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
    EXPECT_TRUE(SameResult(r.a, r.b));
    return r.a;
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

// The fixture, once per pair of backends.
class RepositoryEquivalenceTest
    : public RepositoryBase,
      public ::testing::WithParamInterface<BackendPair> {
 protected:
  RepositoryEquivalenceTest() : RepositoryBase(GetParam()) {}
};

// The same fixture, once per pair of backends and entity kind.
class EntityKindEquivalenceTest : public RepositoryBase,
                                  public ::testing::WithParamInterface<
                                      std::tuple<BackendPair, EntityKind>> {
 protected:
  EntityKindEquivalenceTest() : RepositoryBase(std::get<0>(GetParam())) {}
  static EntityKind Kind() { return std::get<1>(GetParam()); }
};

inline std::string EntityKindParamName(
    const ::testing::TestParamInfo<EntityKind>& info) {
  return std::string(EntityDisplayName(info.param));
}

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_APP_REPOSITORY_FIXTURE_H_
