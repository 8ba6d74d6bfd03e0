#include "tests/http/openapi_validator.h"

#include <regex>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace viewer::testing {
namespace {

using json = nlohmann::json;

class Checker {
 public:
  void Problem(const std::string& where, const std::string& what) {
    problems_.push_back(absl::StrCat(where, ": ", what));
  }

  // An object whose keys are all in `allowed` (or start with "x-"), with
  // every key of `required`. False when it is not an object.
  bool Object(const json& v, const std::string& where,
              const std::set<std::string>& allowed,
              const std::set<std::string>& required) {
    if (!v.is_object()) {
      Problem(where, "must be an object");
      return false;
    }
    for (const auto& [key, unused] : v.items()) {
      if (!allowed.contains(key) && !absl::StartsWith(key, "x-")) {
        Problem(where, absl::StrCat("unknown field '", key, "'"));
      }
    }
    for (const std::string& key : required) {
      if (!v.contains(key))
        Problem(where, absl::StrCat("'", key, "' is required"));
    }
    return true;
  }

  void String(const json& v, const std::string& key, const std::string& where) {
    if (v.contains(key) && !v[key].is_string()) {
      Problem(where, absl::StrCat("'", key, "' must be a string"));
    }
  }

  void Info(const json& info) {
    if (!Object(info, "info",
                {"title", "description", "termsOfService", "contact", "license",
                 "version"},
                {"title", "version"})) {
      return;
    }
    for (const char* key : {"title", "version", "description"}) {
      String(info, key, "info");
    }
  }

  void Parameter(const json& p, const std::string& where,
                 std::set<std::string>* path_names) {
    if (!Object(p, where,
                {"name", "in", "description", "required", "deprecated",
                 "allowEmptyValue", "style", "explode", "allowReserved",
                 "schema", "example", "examples", "content"},
                {"name", "in"})) {
      return;
    }
    String(p, "name", where);
    static const std::set<std::string> kIn = {"query", "header", "path",
                                              "cookie"};
    if (!p["in"].is_string() || !kIn.contains(p["in"].get<std::string>())) {
      return Problem(where, "'in' must be query, header, path or cookie");
    }
    if (p.contains("schema") == p.contains("content")) {
      Problem(where, "needs exactly one of 'schema' and 'content'");
    }
    if (p.contains("schema") && !p["schema"].is_object()) {
      Problem(where, "'schema' must be an object");
    }
    if (p["in"] == "path") {
      if (p.value("required", false) != true) {
        Problem(where, "a path parameter must have required: true");
      }
      if (p["name"].is_string())
        path_names->insert(p["name"].get<std::string>());
    }
  }

  void Response(const json& r, const std::string& where) {
    if (!Object(r, where, {"description", "headers", "content", "links"},
                {"description"})) {
      return;
    }
    String(r, "description", where);
    if (!r.contains("content")) return;
    if (!r["content"].is_object())
      return Problem(where, "'content' must be an object");
    for (const auto& [type, media] : r["content"].items()) {
      Object(media, absl::StrCat(where, " content ", type),
             {"schema", "example", "examples", "encoding"}, {});
    }
  }

  void Operation(const json& op, const std::string& where,
                 const std::set<std::string>& template_names) {
    if (!Object(op, where,
                {"tags", "summary", "description", "externalDocs",
                 "operationId", "parameters", "requestBody", "responses",
                 "callbacks", "deprecated", "security", "servers"},
                {"responses"})) {
      return;
    }
    String(op, "summary", where);
    String(op, "operationId", where);
    if (op.contains("operationId") && op["operationId"].is_string() &&
        !operation_ids_.insert(op["operationId"].get<std::string>()).second) {
      Problem(where, "operationId is not unique");
    }
    std::set<std::string> path_names;
    if (op.contains("parameters")) {
      if (!op["parameters"].is_array()) {
        Problem(where, "'parameters' must be an array");
      } else {
        for (size_t i = 0; i < op["parameters"].size(); ++i) {
          Parameter(op["parameters"][i], absl::StrCat(where, " parameter ", i),
                    &path_names);
        }
      }
    }
    if (path_names != template_names) {
      Problem(where, "its path parameters are not the path's templates");
    }
    const json& responses = op["responses"];
    if (!responses.is_object() || responses.empty()) {
      return Problem(where, "'responses' must be a non-empty object");
    }
    static const std::regex kCode("[1-5]([0-9]{2}|XX)");
    for (const auto& [code, r] : responses.items()) {
      if (code != "default" && !std::regex_match(code, kCode)) {
        Problem(where, absl::StrCat("'", code, "' is not a response code"));
      }
      Response(r, absl::StrCat(where, " response ", code));
    }
  }

  void Paths(const json& paths) {
    if (!paths.is_object()) return Problem("paths", "must be an object");
    static const std::regex kTemplate("\\{([^}/]+)\\}");
    std::set<std::string> shapes;
    for (const auto& [path, item] : paths.items()) {
      if (absl::StartsWith(path, "x-")) continue;
      if (!absl::StartsWith(path, "/")) {
        Problem(path, "a path must start with '/'");
        continue;
      }
      std::set<std::string> names;
      for (auto it = std::sregex_iterator(path.begin(), path.end(), kTemplate);
           it != std::sregex_iterator(); ++it) {
        names.insert((*it)[1].str());
      }
      if (!shapes.insert(std::regex_replace(path, kTemplate, "{}")).second) {
        Problem(path, "another path differs only in its template names");
      }
      static const std::set<std::string> kMethods = {
          "get", "put", "post", "delete", "options", "head", "patch", "trace"};
      std::set<std::string> allowed = kMethods;
      allowed.insert(
          {"$ref", "summary", "description", "servers", "parameters"});
      if (!Object(item, path, allowed, {})) continue;
      for (const auto& [method, op] : item.items()) {
        if (kMethods.contains(method)) {
          Operation(op, absl::StrCat(method, " ", path), names);
        }
      }
    }
  }

  std::vector<std::string> Run(const json& doc) {
    if (!Object(doc, "document",
                {"openapi", "info", "servers", "paths", "components",
                 "security", "tags", "externalDocs"},
                {"openapi", "info", "paths"})) {
      return problems_;
    }
    static const std::regex kVersion("3\\.0\\.[0-9]+(-.+)?");
    if (!doc["openapi"].is_string() ||
        !std::regex_match(doc["openapi"].get<std::string>(), kVersion)) {
      Problem("openapi", "must be a 3.0.x version string");
    }
    if (doc.contains("info")) Info(doc["info"]);
    if (doc.contains("paths")) Paths(doc["paths"]);
    return problems_;
  }

 private:
  std::vector<std::string> problems_;
  std::set<std::string> operation_ids_;
};

}  // namespace

std::vector<std::string> ValidateOpenApi30(const nlohmann::json& doc) {
  return Checker().Run(doc);
}

}  // namespace viewer::testing
