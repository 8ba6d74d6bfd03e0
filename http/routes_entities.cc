// Routes for servers, aliases, variables and secrets (<kind> is the plural):
//
//   GET    /<kind>[.json]                list (secrets: names only)
//   POST   /<kind>                       JSON create -> 201 + the entity
//   GET    /<kind>/new                   the form
//   POST   /<kind>/new                   form create -> 303 to the view
//   GET    /<kind>/<name>[.json]         view, with interaction history (a
//                                        server's also with its definition
//                                        history and latest runs)
//   PUT    /<kind>/<name>                JSON update (and rename) -> 200
//   DELETE /<kind>/<name>                JSON delete -> 204
//   GET    /<kind>/<name>/edit           the form, filled in
//   POST   /<kind>/<name>/edit           form update -> 303 to the view
//   POST   /<kind>/<name>/enabled        enabled=1|0 (form or JSON)
//   POST   /<kind>/<name>/delete         -> 303 to the list
//
// A form that fails is shown again with the message and what was typed,
// with the status of the failure (400, 404, 409, ...).
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "app/entities.h"
#include "app/interactions.h"
#include "app/invocations.h"
#include "app/server_versions.h"
#include "engine/status_macros.h"
#include "http/internal/alias_pages.h"
#include "http/internal/entity_pages.h"
#include "http/internal/json_body.h"
#include "http/internal/server_pages.h"
#include "http/internal/site.h"
#include "http/render.h"
#include "http/status_map.h"

namespace viewer::http_internal {
namespace {

constexpr int64_t kHistoryLimit = 50;
constexpr int64_t kServerRunsShown = 20;

// The checks every writer of an entity makes (app/entities.h), and the one
// name this layer reserves: /<kind>/new is the address of the form.
absl::Status CheckInput(EntityKind kind, const EntityInput& input) {
  if (absl::Status s = ValidateEntityName(input.name); !s.ok()) return s;
  if (input.name == "new" || input.name == "_") {
    return absl::InvalidArgumentError(
        absl::StrCat("the name '", input.name, "' is reserved (",
                     input.name == "new" ? "/<kind>/new is the form"
                                         : "/<kind>/_/edit edits them all",
                     ")"));
  }
  if (kind == EntityKind::kAlias && input.name == "match-preview") {
    return absl::InvalidArgumentError(
        "the name 'match-preview' is reserved (it is the address of the "
        "alias match preview)");
  }
  return ValidateEntityDefinition(kind, input.definition);
}

// Parses a JSON create or update. For an update, absent fields keep the
// stored values (`current`).
absl::StatusOr<EntityInput> InputFromJson(EntityKind kind,
                                          absl::string_view body,
                                          const Entity* current) {
  auto object = ParseJsonObject(body, {"name", "definition", "enabled"});
  if (!object.ok()) return object.status();
  EntityInput input;
  auto name = object->String("name", /*required=*/current == nullptr);
  if (!name.ok()) return name.status();
  input.name = name->value_or(current ? current->name : "");
  const bool definition_required =
      current == nullptr && EntityNeedsDefinition(kind);
  auto definition = object->String("definition", definition_required,
                                    /*null_ok=*/!EntityNeedsDefinition(kind));
  if (!definition.ok()) return definition.status();
  if (*definition) {
    input.definition = **definition;
  } else if (current != nullptr && !object->Has("definition")) {
    input.definition = current->definition;
  }
  auto enabled = object->Bool("enabled", /*required=*/false);
  if (!enabled.ok()) return enabled.status();
  input.enabled = *enabled;
  return input;
}

EntityFormValues ValuesFromForm(const Ctx& ctx) {
  EntityFormValues values;
  values.name = ctx.Form("name").value_or("");
  // Browsers send a textarea's line breaks as CRLF.
  values.definition = absl::StrReplaceAll(ctx.Form("definition").value_or(""),
                                          {{"\r\n", "\n"}});
  // The form sends a hidden enabled=0 and, when checked, enabled=1 after it.
  auto range = ctx.body.form.equal_range("enabled");
  values.enabled = range.first == range.second ||
                   std::prev(range.second)->second == "1";
  return values;
}

EntityInput InputFromForm(EntityKind kind, const EntityFormValues& values) {
  EntityInput input{.name = values.name, .enabled = values.enabled};
  if (kind != EntityKind::kAlias || !values.definition.empty()) {
    input.definition = values.definition;
  }
  return input;
}

void List(const Site& site, EntityKind kind, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, std::vector<Entity> list, ListEntities(*txn, kind));
  if (ctx.json) {
    nlohmann::json items = nlohmann::json::array();
    for (const Entity& e : list) {
      items.push_back(EntityJson(e, kind != EntityKind::kSecret));
    }
    return ctx.Json(200, {{std::string(EntityPluralName(kind)), items}});
  }
  ctx.Page(KindTitle(kind), EntityListHtml(kind, list), EntityPluralName(kind));
}

// What a server's page shows besides the entity: its definitions by CID
// and its latest runs.
struct ServerExtras {
  std::vector<DefinitionVersion> versions;
  InvocationPage runs;
};

absl::StatusOr<ServerExtras> LoadServerExtras(Transaction& txn,
                                              const std::string& name) {
  ServerExtras extras;
  VIEWER_ASSIGN_OR_RETURN(extras.versions, DefinitionHistory(txn, name));
  VIEWER_ASSIGN_OR_RETURN(
      extras.runs,
      FilteredInvocations(txn, {.server_name = name}, 1, kServerRunsShown));
  return extras;
}

void AddServerExtrasJson(const ServerExtras& extras, nlohmann::json& j) {
  j["definition_history"] = nlohmann::json::array();
  for (const DefinitionVersion& v : extras.versions) {
    j["definition_history"].push_back(VersionJson(v));
  }
  j["runs_total"] = extras.runs.total;
  j["runs"] = nlohmann::json::array();
  for (const Invocation& run : extras.runs.invocations) {
    j["runs"].push_back(InvocationJson(run));
  }
}

void View(const Site& site, EntityKind kind, Ctx& ctx) {
  const std::string& name = ctx.args[0];
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, Entity entity, GetEntity(*txn, kind, name));
  HTTP_ASSIGN_OR_FAIL(ctx, std::vector<Interaction> history,
                      RecentInteractions(*txn, EntityDisplayName(kind), name,
                                         kHistoryLimit));
  ServerExtras extras;
  if (kind == EntityKind::kServer) {
    HTTP_ASSIGN_OR_FAIL(ctx, extras, LoadServerExtras(*txn, name));
  }
  // An alias's rules as routing reads them (variables filled in).
  std::shared_ptr<const std::vector<AliasLine>> rules;
  if (kind == EntityKind::kAlias && entity.definition) {
    HTTP_ASSIGN_OR_FAIL(ctx, rules,
                        site.aliases().Lines(*txn, name, *entity.definition));
  }
  if (ctx.json) {
    nlohmann::json j = EntityJson(entity, /*with_definition=*/true);
    j["interactions"] = nlohmann::json::array();
    for (const Interaction& i : history) {
      j["interactions"].push_back(InteractionJson(i));
    }
    if (kind == EntityKind::kServer) AddServerExtrasJson(extras, j);
    if (rules) j["rules"] = AliasRulesJson(*rules);
    return ctx.Json(200, j);
  }
  std::string html =
      EntityViewHtml(entity, history, rules ? AliasRulesHtml(*rules) : "");
  if (kind == EntityKind::kServer) {
    absl::StrAppend(&html, ServerVersionsHtml(name, extras.versions),
                    ServerRunsHtml(name, extras.runs));
  }
  ctx.Page(absl::StrCat(KindTitle(kind), " ", name), html,
           EntityPluralName(kind));
}

void ApiCreate(const Site& site, EntityKind kind, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, EntityInput input,
                      InputFromJson(kind, ctx.body.bytes, nullptr));
  HTTP_RETURN_IF_ERROR(ctx, CheckInput(kind, input));
  Entity created;
  HTTP_RETURN_IF_ERROR(ctx, site.Write([&](Transaction& txn) {
    absl::StatusOr<Entity> e = CreateEntity(txn, kind, input);
    if (e.ok()) created = *std::move(e);
    return e.status();
  }));
  ctx.res.set_header("Location", EntityPath(kind, created.name));
  ctx.Json(201, EntityJson(created, /*with_definition=*/true));
}

void ApiUpdate(const Site& site, EntityKind kind, Ctx& ctx) {
  const std::string& name = ctx.args[0];
  Entity updated;
  HTTP_RETURN_IF_ERROR(ctx, site.Write([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<Entity> current = GetEntity(txn, kind, name);
    if (!current.ok()) return current.status();
    absl::StatusOr<EntityInput> input =
        InputFromJson(kind, ctx.body.bytes, &*current);
    if (!input.ok()) return input.status();
    if (absl::Status s = CheckInput(kind, *input); !s.ok()) return s;
    absl::StatusOr<Entity> e = UpdateEntity(txn, kind, name, *input);
    if (e.ok()) updated = *std::move(e);
    return e.status();
  }));
  ctx.Json(200, EntityJson(updated, /*with_definition=*/true));
}

void ApiDelete(const Site& site, EntityKind kind, Ctx& ctx) {
  HTTP_RETURN_IF_ERROR(ctx, site.Write([&](Transaction& txn) {
    return DeleteEntity(txn, kind, ctx.args[0]);
  }));
  ctx.NoContent();
}

void NewForm(EntityKind kind, Ctx& ctx) {
  ctx.Page(absl::StrCat("New ", EntityDisplayName(kind)),
           EntityFormHtml(kind, "", {}, ""), EntityPluralName(kind));
}

void EditForm(const Site& site, EntityKind kind, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, Entity e, GetEntity(*txn, kind, ctx.args[0]));
  EntityFormValues values{.name = e.name,
                          .definition = e.definition.value_or(""),
                          .enabled = e.enabled};
  ctx.Page(absl::StrCat("Edit ", EntityDisplayName(kind), " ", e.name),
           EntityFormHtml(kind, e.name, values, ""), EntityPluralName(kind));
}

// POST /<kind>/new and /<kind>/<name>/edit.
void SubmitForm(const Site& site, EntityKind kind, bool is_new, Ctx& ctx) {
  const std::string original = is_new ? "" : ctx.args[0];
  EntityFormValues values = ValuesFromForm(ctx);
  EntityInput input = InputFromForm(kind, values);
  Entity saved;
  absl::Status status = CheckInput(kind, input);
  if (status.ok()) {
    status = site.Write([&](Transaction& txn) {
      absl::StatusOr<Entity> e = is_new
                                     ? CreateEntity(txn, kind, input)
                                     : UpdateEntity(txn, kind, original, input);
      if (e.ok()) saved = *std::move(e);
      return e.status();
    });
  }
  if (!status.ok()) {
    if (ctx.json) return ctx.Fail(status);
    return ctx.Page(is_new ? absl::StrCat("New ", EntityDisplayName(kind))
                           : absl::StrCat("Edit ", EntityDisplayName(kind)),
                    EntityFormHtml(kind, original, values, status.message()),
                    EntityPluralName(kind), HttpStatusFor(status));
  }
  if (ctx.json) return ctx.Json(is_new ? 201 : 200, EntityJson(saved, true));
  ctx.Redirect(303, EntityPath(kind, saved.name));
}

absl::StatusOr<bool> ParseEnabled(const Ctx& ctx) {
  std::optional<std::string> text = ctx.Form("enabled");
  if (!text && ctx.json && !ctx.body.bytes.empty()) {
    auto object = ParseJsonObject(ctx.body.bytes, {"enabled"});
    if (!object.ok()) return object.status();
    auto value = object->Bool("enabled", /*required=*/true);
    if (!value.ok()) return value.status();
    return **value;
  }
  if (!text) text = ctx.Query("enabled");
  if (text == "1" || text == "true" || text == "on") return true;
  if (text == "0" || text == "false" || text == "off") return false;
  return absl::InvalidArgumentError(
      "send enabled=1 or enabled=0 (or {\"enabled\": true|false})");
}

void SetEnabled(const Site& site, EntityKind kind, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, bool enabled, ParseEnabled(ctx));
  Entity saved;
  HTTP_RETURN_IF_ERROR(ctx, site.Write([&](Transaction& txn) {
    absl::StatusOr<Entity> e = SetEntityEnabled(txn, kind, ctx.args[0], enabled);
    if (e.ok()) saved = *std::move(e);
    return e.status();
  }));
  if (ctx.json) return ctx.Json(200, EntityJson(saved, true));
  ctx.Redirect(303, EntityPath(kind, saved.name));
}

void DeleteFromForm(const Site& site, EntityKind kind, Ctx& ctx) {
  HTTP_RETURN_IF_ERROR(ctx, site.Write([&](Transaction& txn) {
    return DeleteEntity(txn, kind, ctx.args[0]);
  }));
  if (ctx.json) return ctx.NoContent();
  ctx.Redirect(303, absl::StrCat("/", EntityPluralName(kind)));
}

}  // namespace

void AddEntityRoutes(Site& site, Router& r) {
  for (EntityKind kind : kAllEntityKinds) {
    const std::string base = absl::StrCat("/", EntityPluralName(kind));
    const Site* a = &site;
    r.Add("GET", base, kJsonSuffix | kPageView,
          [a, kind](Ctx& c) { List(*a, kind, c); });
    r.Add("POST", base, kJsonOnly,
          [a, kind](Ctx& c) { ApiCreate(*a, kind, c); });
    r.Add("GET", base + "/new", kPageView, [kind](Ctx& c) { NewForm(kind, c); });
    r.Add("POST", base + "/new", kNoFlags,
          [a, kind](Ctx& c) { SubmitForm(*a, kind, true, c); });
    r.Add("GET", base + "/{}", kJsonSuffix | kPageView,
          [a, kind](Ctx& c) { View(*a, kind, c); });
    r.Add("PUT", base + "/{}", kJsonOnly,
          [a, kind](Ctx& c) { ApiUpdate(*a, kind, c); });
    r.Add("DELETE", base + "/{}", kJsonOnly,
          [a, kind](Ctx& c) { ApiDelete(*a, kind, c); });
    r.Add("GET", base + "/{}/edit", kPageView,
          [a, kind](Ctx& c) { EditForm(*a, kind, c); });
    r.Add("POST", base + "/{}/edit", kNoFlags,
          [a, kind](Ctx& c) { SubmitForm(*a, kind, false, c); });
    r.Add("POST", base + "/{}/enabled", kNoFlags,
          [a, kind](Ctx& c) { SetEnabled(*a, kind, c); });
    r.Add("POST", base + "/{}/delete", kNoFlags,
          [a, kind](Ctx& c) { DeleteFromForm(*a, kind, c); });
  }
}

}  // namespace viewer::http_internal
