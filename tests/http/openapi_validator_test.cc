// The OpenAPI 3.0 validator the /openapi.json test relies on finds what
// it claims to find.
#include "tests/http/openapi_validator.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace viewer::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using json = nlohmann::json;

json Good() {
  return json::parse(R"({
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
      "/a/{name}": {"get": {
        "operationId": "get_a",
        "parameters": [{"name": "name", "in": "path", "required": true,
                        "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok",
                              "content": {"text/csv": {}}},
                      "default": {"description": "error"}}}}
    }})");
}

TEST(OpenApiValidatorTest, AcceptsAGoodDocument) {
  EXPECT_THAT(ValidateOpenApi30(Good()), IsEmpty());
}

TEST(OpenApiValidatorTest, FindsEachKindOfProblem) {
  struct Case {
    const char* pointer;
    json value;
    const char* expected;
  };
  const Case cases[] = {
      {"/openapi", "3.1.0", "must be a 3.0.x version string"},
      {"/info/title", nullptr, "'title' must be a string"},
      {"/info/colour", "x", "unknown field 'colour'"},
      {"/paths/b", json::object(), "a path must start with '/'"},
      {"/paths/~1a~1{other}", json::object(),
       "another path differs only in its template names"},
      {"/paths/~1a~1{name}/get/responses", json::object(),
       "'responses' must be a non-empty object"},
      {"/paths/~1a~1{name}/get/responses/600",
       {{"description", "x"}},
       "'600' is not a response code"},
      {"/paths/~1a~1{name}/get/responses/200/description", 3,
       "'description' must be a string"},
      {"/paths/~1a~1{name}/get/parameters/0/required", false,
       "a path parameter must have required: true"},
      {"/paths/~1a~1{name}/get/parameters/0/in", "body",
       "'in' must be query, header, path or cookie"},
      {"/paths/~1a~1{name}/get/parameters/0/name", "other",
       "its path parameters are not the path's templates"},
      {"/paths/~1a~1{name}/get/parameters/0/content", json::object(),
       "needs exactly one of 'schema' and 'content'"},
      {"/paths/~1a~1{name}/post",
       {{"operationId", "get_a"},
        {"responses", {{"200", {{"description", "x"}}}}},
        {"parameters", Good()["paths"]["/a/{name}"]["get"]["parameters"]}},
       "operationId is not unique"},
  };
  for (const Case& c : cases) {
    json doc = Good();
    doc[json::json_pointer(c.pointer)] = c.value;
    std::vector<std::string> problems = ValidateOpenApi30(doc);
    EXPECT_THAT(problems, Contains(HasSubstr(c.expected))) << c.pointer;
  }
  json no_info = Good();
  no_info.erase("info");
  EXPECT_THAT(ValidateOpenApi30(no_info),
              ElementsAre(HasSubstr("'info' is required")));
  EXPECT_THAT(ValidateOpenApi30(json::array()),
              ElementsAre(HasSubstr("must be an object")));
}

}  // namespace
}  // namespace viewer::testing
