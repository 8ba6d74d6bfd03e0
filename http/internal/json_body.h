// Reading JSON request bodies without exceptions, with messages that say
// exactly what was wrong.
//
//   HTTP_ASSIGN_OR_FAIL(ctx, JsonObject body,
//                       ParseJsonObject(ctx.body.bytes, {"name", "enabled"}));
//   HTTP_ASSIGN_OR_FAIL(ctx, std::optional<std::string> name,
//                       body.String("name", /*required=*/true));
//
// Errors are kInvalidArgument:
//   "the body is not valid JSON (syntax error at byte 7)"
//   "the body must be a JSON object, got an array"
//   "unknown field 'nam' (fields: name, definition, enabled)"
//   "missing field 'name'"
//   "field 'name' must be a string, got a number"
//
// Thread safety: pure functions; a JsonObject is used by one thread.
#ifndef VIEWER_HTTP_INTERNAL_JSON_BODY_H_
#define VIEWER_HTTP_INTERNAL_JSON_BODY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

class JsonObject {
 public:
  explicit JsonObject(nlohmann::json value) : value_(std::move(value)) {}

  bool Has(const std::string& key) const { return value_.contains(key); }
  // nullopt when absent (kInvalidArgument when required); a JSON null
  // counts as absent only when `null_ok`.
  absl::StatusOr<std::optional<std::string>> String(const std::string& key,
                                                    bool required,
                                                    bool null_ok = false) const;
  absl::StatusOr<std::optional<bool>> Bool(const std::string& key,
                                           bool required) const;

 private:
  // The member `key`; null when it is absent (or a JSON null, when
  // `null_ok`) and not `required`; kInvalidArgument when it is absent and
  // required, or present and not of the type `is_type` accepts (`what`
  // names that type in the message).
  absl::StatusOr<const nlohmann::json*> Field(const std::string& key,
                                              bool required, bool null_ok,
                                              bool (nlohmann::json::*is_type)()
                                                  const noexcept,
                                              absl::string_view what) const;

  nlohmann::json value_;
};

// Parses `body` as a JSON object whose keys are all in `allowed`.
absl::StatusOr<JsonObject> ParseJsonObject(
    absl::string_view body, const std::vector<std::string>& allowed);

// "a string", "a number", "an array", ...
absl::string_view JsonTypeName(const nlohmann::json& value);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_JSON_BODY_H_
