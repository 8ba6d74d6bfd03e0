#include "app/schemas.h"

#include <string>

#include "gtest/gtest.h"

namespace viewer {
namespace {

TEST(SchemasTest, TheCatalogHoldsExactlyTheListedTablesInOrder) {
  const Catalog& catalog = AppCatalog();
  ASSERT_EQ(catalog.tables().size(), kAppTableCount);
  for (size_t i = 0; i < kAppTableCount; ++i) {
    EXPECT_EQ(catalog.tables()[i].name(), kAppTables[i]) << "table " << i;
  }
}

}  // namespace
}  // namespace viewer
