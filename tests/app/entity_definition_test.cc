// ValidateEntityDefinition (app/entities.h): the one check of definitions
// that the web forms, the JSON API and the import all make.
#include <optional>
#include <string>

#include "app/entities.h"
#include "gtest/gtest.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::viewer::testing::StatusIs;

TEST(EntityDefinitionTest, AnyUtf8TextIsADefinitionOfServersVariablesSecrets) {
  for (EntityKind kind :
       {EntityKind::kServer, EntityKind::kVariable, EntityKind::kSecret}) {
    EXPECT_OK(ValidateEntityDefinition(kind, "no arrow, {{x}}"));
    EXPECT_OK(ValidateEntityDefinition(kind, ""));
    EXPECT_OK(ValidateEntityDefinition(kind, std::nullopt));
    EXPECT_THAT(ValidateEntityDefinition(kind, "caf\xc3"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "the definition is not valid UTF-8"));
  }
}

TEST(EntityDefinitionTest, AnAliasDefinitionMustParse) {
  EXPECT_OK(ValidateEntityDefinition(EntityKind::kAlias, "docs -> /d"));
  EXPECT_OK(ValidateEntityDefinition(EntityKind::kAlias, "# nothing yet"));
  EXPECT_OK(ValidateEntityDefinition(EntityKind::kAlias, std::nullopt));
  EXPECT_THAT(ValidateEntityDefinition(EntityKind::kAlias, "a -> /b\nc"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "alias definition: line 2: expected 'pattern -> "
                       "/target'"));
  EXPECT_THAT(ValidateEntityDefinition(EntityKind::kAlias, "a -> /\xff"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "the definition is not valid UTF-8"));
}

}  // namespace
}  // namespace viewer
