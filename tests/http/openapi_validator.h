// A structural validator for OpenAPI 3.0 documents: the required fields,
// allowed keys and value types of the OpenAPI 3.0 schema for the objects
// viewer's /openapi.json uses (document, info, paths, path items,
// operations, parameters, responses, media types), plus the rules the
// specification states in prose: unique operationIds, every path template
// declared as a required path parameter and every path parameter in the
// template, and no two paths that differ only in their template names.
//
//   std::vector<std::string> problems = ValidateOpenApi30(doc);
//   EXPECT_THAT(problems, IsEmpty());
//
// Thread safety: a pure function.
#ifndef VIEWER_TESTS_HTTP_OPENAPI_VALIDATOR_H_
#define VIEWER_TESTS_HTTP_OPENAPI_VALIDATOR_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace viewer::testing {

// Every way `doc` breaks the rules above, each as "where: what"; empty
// when it validates.
std::vector<std::string> ValidateOpenApi30(const nlohmann::json& doc);

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_HTTP_OPENAPI_VALIDATOR_H_
