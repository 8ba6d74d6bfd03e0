// Walking a parsed JSON document while naming where one is, for the
// import readers' problem lines ("servers[3].name: ..."). Private to app/.
//
//   if (const nlohmann::json* name = Member(entry, "name")) ...
//   Add(Path(Item("servers", 3), "name"), "expected a string");
//
// Thread safety: pure functions.
#ifndef VIEWER_APP_INTERNAL_JSON_WALK_H_
#define VIEWER_APP_INTERNAL_JSON_WALK_H_

#include <cstddef>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace viewer::app_internal {

// The member `key` of `object` (an object), or nullptr when it has none.
inline const nlohmann::json* Member(const nlohmann::json& object,
                                    const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// The path of member `key` below `parent`, and of item `i` of `array`.
inline std::string Path(absl::string_view parent, absl::string_view key) {
  return absl::StrCat(parent, ".", key);
}
inline std::string Item(absl::string_view array, size_t i) {
  return absl::StrCat(array, "[", i, "]");
}

}  // namespace viewer::app_internal

#endif  // VIEWER_APP_INTERNAL_JSON_WALK_H_
