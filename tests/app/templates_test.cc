#include "app/templates.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::testing::ElementsAre;
using ::viewer::testing::StatusIs;

TemplateInputs Inputs() {
  TemplateInputs in;
  in.variables = {{"greeting", "Hello"}, {"a.b-c_d", "dotted"}};
  in.secrets = {{"TOKEN", "s3cret"}};
  in.request_path = "/hello";
  in.query = {{"who", "Ada"}, {"who", "Bob"}, {"empty", ""}};
  return in;
}

TEST(TemplateTest, FillsEveryKindOfPlaceholder) {
  ASSERT_OK_AND_ASSIGN(
      std::string out,
      RenderTemplate("{{greeting}}, {{ request.query.who }}! path={{request.path}} "
                     "t={{secret:TOKEN}} {{a.b-c_d}}",
                     Inputs()));
  EXPECT_EQ(out, "Hello, Ada! path=/hello t=s3cret dotted");
}

TEST(TemplateTest, TextWithoutPlaceholdersIsUnchanged) {
  for (const char* text : {"", "plain", "{ {x} }", "{{unclosed", "a}}b",
                           "{single}", "\xff\xfe binary"}) {
    ASSERT_OK_AND_ASSIGN(std::string out, RenderTemplate(text, Inputs()));
    EXPECT_EQ(out, text);
  }
}

TEST(TemplateTest, MissingQueryParameterIsEmpty) {
  ASSERT_OK_AND_ASSIGN(std::string out,
                       RenderTemplate("[{{request.query.nope}}]", Inputs()));
  EXPECT_EQ(out, "[]");
}

TEST(TemplateTest, InputAndRestOfThePathFillIn) {
  TemplateInputs in = Inputs();
  in.input = "piped";
  in.rest = "a/b";
  ASSERT_OK_AND_ASSIGN(
      std::string out,
      RenderTemplate("{{input}}|{{request.rest}}|{{request.rest.1}}|"
                     "{{request.rest.2}}|{{request.rest.3}}",
                     in));
  EXPECT_EQ(out, "piped|a/b|a|b|");
  // Outside a pipeline {{input}} is empty, not an unknown variable.
  ASSERT_OK_AND_ASSIGN(out, RenderTemplate("[{{input}}]", Inputs()));
  EXPECT_EQ(out, "[]");
}

TEST(TemplateTest, UnknownPlaceholdersAreNamed) {
  EXPECT_THAT(RenderTemplate("x {{nope}} y", Inputs()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown placeholder {{nope}}: no enabled variable "
                       "named 'nope'"));
  EXPECT_THAT(RenderTemplate("{{secret:NOPE}}", Inputs()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown placeholder {{secret:NOPE}}: no enabled "
                       "secret named 'NOPE'"));
  EXPECT_THAT(RenderTemplate("{{request.method}}", Inputs()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown placeholder {{request.method}}: use "
                       "request.path, request.rest, request.rest.N or "
                       "request.query.KEY"));
  // A segment is named by its number: a typo is an error, not "".
  for (const char* key : {"request.rest.x", "request.rest.0", "request.rest."}) {
    EXPECT_THAT(RenderTemplate(absl::StrCat("{{", key, "}}"), Inputs()),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("unknown placeholder {{", key,
                                      "}}: request.rest.N takes a segment "
                                      "number from 1")))
        << key;
  }
  EXPECT_THAT(RenderTemplate("{{}}", Inputs()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // A variable is not a secret and the reverse.
  EXPECT_FALSE(RenderTemplate("{{TOKEN}}", Inputs()).ok());
  EXPECT_FALSE(RenderTemplate("{{secret:greeting}}", Inputs()).ok());
}

TEST(TemplateTest, OutputLimit) {
  TemplateInputs in = Inputs();
  in.variables["big"] = std::string(600, 'x');
  in.max_output_bytes = 1000;
  EXPECT_TRUE(RenderTemplate("{{big}}", in).ok());
  EXPECT_THAT(RenderTemplate("{{big}}{{big}}", in),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "template output is over 1000 bytes"));
}

TEST(TemplateTest, Placeholders) {
  EXPECT_THAT(TemplatePlaceholders("{{ a }} and {{secret:B}} {{a}} {{open"),
              ElementsAre("a", "secret:B", "a"));
}

}  // namespace
}  // namespace viewer
