// HTML and JSON for servers, aliases, variables and secrets: the list, the
// view with its interaction history, and the new/edit form.
//
//   ctx.Page("Servers", EntityListHtml(kind, entities), "servers");
//   ctx.Json(200, EntityJson(entity, /*with_definition=*/true));
//
// A secret's value appears only where with_definition is true (its own
// page and JSON); lists never show it.
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_INTERNAL_ENTITY_PAGES_H_
#define VIEWER_HTTP_INTERNAL_ENTITY_PAGES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "app/entities.h"
#include "app/interactions.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

// "Server", "Alias", ...
std::string KindTitle(EntityKind kind);
// "/servers/echo".
std::string EntityPath(EntityKind kind, absl::string_view name);

nlohmann::json EntityJson(const Entity& entity, bool with_definition);
nlohmann::json InteractionJson(const Interaction& interaction);

std::string EntityListHtml(EntityKind kind, const std::vector<Entity>& list);
// `after_definition`: HTML shown under the definition (an alias's rules).
std::string EntityViewHtml(const Entity& entity,
                           const std::vector<Interaction>& history,
                           absl::string_view after_definition = "");

// What a form shows: the values typed (or stored), and why the last
// attempt failed.
struct EntityFormValues {
  std::string name;
  std::string definition;
  bool enabled = true;
};
// `original_name` is empty for a new entity, else the name being edited.
std::string EntityFormHtml(EntityKind kind, absl::string_view original_name,
                           const EntityFormValues& values,
                           absl::string_view message);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_ENTITY_PAGES_H_
