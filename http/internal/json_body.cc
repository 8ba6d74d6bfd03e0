#include "http/internal/json_body.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/status_macros.h"

namespace viewer::http_internal {

absl::string_view JsonTypeName(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return "a number";
    default: return "something else";
  }
}

absl::StatusOr<JsonObject> ParseJsonObject(
    absl::string_view body, const std::vector<std::string>& allowed) {
  if (body.empty()) {
    return absl::InvalidArgumentError("the body is empty; send a JSON object");
  }
  nlohmann::json value = nlohmann::json::parse(
      body.begin(), body.end(), /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return absl::InvalidArgumentError(
        "the body is not valid JSON (or not UTF-8)");
  }
  if (!value.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the body must be a JSON object, got ", JsonTypeName(value)));
  }
  for (const auto& [key, unused] : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown field '", key, "' (fields: ",
                       absl::StrJoin(allowed, ", "), ")"));
    }
  }
  return JsonObject(std::move(value));
}

absl::StatusOr<const nlohmann::json*> JsonObject::Field(
    const std::string& key, bool required, bool null_ok,
    bool (nlohmann::json::*is_type)() const noexcept,
    absl::string_view what) const {
  auto it = value_.find(key);
  if (it == value_.end() || (null_ok && it->is_null())) {
    if (required) {
      return absl::InvalidArgumentError(
          absl::StrCat("missing field '", key, "'"));
    }
    return nullptr;
  }
  if (!((*it).*is_type)()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "field '", key, "' must be ", what, ", got ", JsonTypeName(*it)));
  }
  return &*it;
}

absl::StatusOr<std::optional<std::string>> JsonObject::String(
    const std::string& key, bool required, bool null_ok) const {
  VIEWER_ASSIGN_OR_RETURN(
      const nlohmann::json* field,
      Field(key, required, null_ok, &nlohmann::json::is_string, "a string"));
  if (field == nullptr) return std::nullopt;
  return field->get<std::string>();
}

absl::StatusOr<std::optional<bool>> JsonObject::Bool(const std::string& key,
                                                     bool required) const {
  VIEWER_ASSIGN_OR_RETURN(const nlohmann::json* field,
                          Field(key, required, /*null_ok=*/false,
                                &nlohmann::json::is_boolean, "true or false"));
  if (field == nullptr) return std::nullopt;
  return field->get<bool>();
}

}  // namespace viewer::http_internal
