// The page-view budget without HTTP (app/page_view_budget.h): the oldest
// views go, nothing else does, on each backend.
#include "app/page_view_budget.h"

#include <memory>
#include <string>
#include <vector>

#include "app/entities.h"
#include "app/page_views.h"
#include "app/schemas.h"
#include "gtest/gtest.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::viewer::testing::AllBackends;
using ::viewer::testing::BackendKind;
using ::viewer::testing::BackendParamName;
using ::viewer::testing::StoreHarness;

class PageViewBudgetTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  PageViewBudgetTest() : h_(GetParam(), AppCatalog()) {}

  void SaveViews(int n) {
    std::unique_ptr<Transaction> txn = h_.Write();
    for (int i = 0; i < n; ++i) {
      ASSERT_OK(SavePageView(
                    *txn, {.path = "/p" + std::to_string(i), .method = "GET"})
                    .status());
    }
    ASSERT_OK(txn->Commit());
  }

  // The paths of the views left, oldest first.
  std::vector<std::string> Paths() {
    std::unique_ptr<Transaction> txn = h_.Read();
    absl::StatusOr<std::vector<Row>> rows = txn->Select(kPageViewTable, {});
    EXPECT_OK(rows.status());
    std::vector<std::string> paths;
    const size_t path = *AppCatalog().Find(kPageViewTable)->Find("path");
    for (const Row& r : rows.value_or(std::vector<Row>{})) {
      paths.push_back(r.values[path].text());
    }
    return paths;
  }

  StoreHarness h_;
};

TEST_P(PageViewBudgetTest, DeleteOldestTakesTheLowestIds) {
  SaveViews(5);
  std::unique_ptr<Transaction> txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(int64_t deleted, DeleteOldestPageViews(*txn, 2));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(deleted, 2);
  EXPECT_EQ(Paths(), (std::vector<std::string>{"/p2", "/p3", "/p4"}));
}

TEST_P(PageViewBudgetTest, DeleteOldestPastTheEndTakesAllAndZeroTakesNone) {
  SaveViews(3);
  std::unique_ptr<Transaction> txn = h_.Write();
  ASSERT_OK_AND_ASSIGN(int64_t none, DeleteOldestPageViews(*txn, 0));
  EXPECT_EQ(none, 0);
  EXPECT_THAT(DeleteOldestPageViews(*txn, -1).status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(int64_t all, DeleteOldestPageViews(*txn, 10));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(all, 3);
  EXPECT_TRUE(Paths().empty());
}

TEST_P(PageViewBudgetTest, TrimKeepsTheNewestViewsAndEveryEntity) {
  {
    std::unique_ptr<Transaction> txn = h_.Write();
    ASSERT_OK(CreateEntity(*txn, EntityKind::kVariable,
                           {.name = "mine", .definition = "kept"})
                  .status());
    ASSERT_OK(txn->Commit());
  }
  SaveViews(200);
  ASSERT_OK_AND_ASSIGN(StoreStats before, h_.store().Stats());
  int64_t view_bytes = 0;
  for (const TableStats& t : before.tables) {
    if (t.table == kPageViewTable) view_bytes = t.bytes;
  }
  ASSERT_GT(view_bytes, 0);
  // A budget of half what the views hold: a trim leaves at most 3/8.
  PageViewBudget budget(view_bytes / 2);
  for (int i = 0; i < PageViewBudget::kCheckEvery; ++i) {
    ASSERT_OK(budget.AfterSave(h_.store()));
  }
  EXPECT_GT(budget.evicted(), 0);
  const std::vector<std::string> left = Paths();
  EXPECT_EQ(static_cast<int64_t>(left.size()), 200 - budget.evicted());
  ASSERT_FALSE(left.empty());
  EXPECT_EQ(left.back(), "/p199");
  EXPECT_LE(left.size(), 200u * 3 / 8 + 1);
  std::unique_ptr<Transaction> txn = h_.Read();
  EXPECT_OK(GetEntity(*txn, EntityKind::kVariable, "mine").status());
}

TEST_P(PageViewBudgetTest, NoBudgetDeletesNothing) {
  SaveViews(40);
  PageViewBudget budget(0);
  for (int i = 0; i < 4 * PageViewBudget::kCheckEvery; ++i) {
    ASSERT_OK(budget.AfterSave(h_.store()));
  }
  EXPECT_EQ(budget.evicted(), 0);
  EXPECT_EQ(Paths().size(), 40u);
}

INSTANTIATE_TEST_SUITE_P(Backends, PageViewBudgetTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer
