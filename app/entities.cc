#include "app/entities.h"

#include <array>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "app/alias_rules.h"
#include "app/cid.h"
#include "app/cid_repository.h"
#include "app/interactions.h"
#include "app/internal/rows.h"
#include "app/schemas.h"
#include "engine/status_macros.h"
#include "engine/utf8.h"

namespace viewer {
namespace {

using app_internal::Atomically;
using app_internal::BooleanOr;
using app_internal::ColumnIndex;
using app_internal::OptTextOf;
using app_internal::TextOf;
using app_internal::TextOrNull;
using app_internal::TimeOf;

struct KindInfo {
  const char* table;
  const char* display;
  const char* plural;
};

const KindInfo& Info(EntityKind kind) {
  static constexpr KindInfo kInfo[] = {
      {kServerTable, "server", "servers"},
      {kAliasTable, "alias", "aliases"},
      {kVariableTable, "variable", "variables"},
      {kSecretTable, "secret", "secrets"},
  };
  return kInfo[static_cast<int>(kind)];
}

// Column positions of one entity table, looked up once by name.
struct Columns {
  explicit Columns(EntityKind kind)
      : name(ColumnIndex(Info(kind).table, "name")),
        definition(ColumnIndex(Info(kind).table, "definition")),
        created_at(ColumnIndex(Info(kind).table, "created_at")),
        updated_at(ColumnIndex(Info(kind).table, "updated_at")),
        enabled(ColumnIndex(Info(kind).table, "enabled")) {
    if (kind == EntityKind::kServer) {
      definition_cid = ColumnIndex(Info(kind).table, "definition_cid");
    }
  }
  size_t name, definition, created_at, updated_at, enabled;
  std::optional<size_t> definition_cid;
};

const Columns& Cols(EntityKind kind) {
  static const auto* cols = new std::array<Columns, 4>{
      Columns(EntityKind::kServer), Columns(EntityKind::kAlias),
      Columns(EntityKind::kVariable), Columns(EntityKind::kSecret)};
  return (*cols)[static_cast<int>(kind)];
}

Entity FromRow(EntityKind kind, const Row& row) {
  const Columns& c = Cols(kind);
  Entity e;
  e.id = row.id();
  e.kind = kind;
  e.name = TextOf(row[c.name]);
  e.definition = OptTextOf(row[c.definition]);
  if (c.definition_cid) e.definition_cid = OptTextOf(row[*c.definition_cid]);
  e.created_at = TimeOf(row[c.created_at]);
  e.updated_at = TimeOf(row[c.updated_at]);
  e.enabled = BooleanOr(row[c.enabled], true);
  return e;
}

std::string Quoted(absl::string_view name) {
  return absl::StrCat("'", absl::CHexEscape(name), "'");
}

absl::Status NotFound(EntityKind kind, absl::string_view name) {
  return absl::NotFoundError(
      absl::StrCat("no ", Info(kind).display, " named ", Quoted(name)));
}

absl::Status Taken(EntityKind kind, absl::string_view name) {
  return absl::AlreadyExistsError(absl::StrCat(
      "a ", Info(kind).display, " named ", Quoted(name), " already exists"));
}

// The row called `name`, or nullopt.
absl::StatusOr<std::optional<Row>> FindRow(Transaction& txn, EntityKind kind,
                                           absl::string_view name) {
  Query q;
  q.where = {Filter::Eq("name", Value::Text(std::string(name)))};
  q.limit = 1;
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          txn.Select(Info(kind).table, q));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

absl::StatusOr<Row> MustFindRow(Transaction& txn, EntityKind kind,
                                absl::string_view name) {
  VIEWER_ASSIGN_OR_RETURN(std::optional<Row> row, FindRow(txn, kind, name));
  if (!row) return NotFound(kind, name);
  return *std::move(row);
}

absl::Status ValidateInput(EntityKind kind, const EntityInput& input) {
  VIEWER_RETURN_IF_ERROR(ValidateEntityName(input.name));
  if (EntityNeedsDefinition(kind) && !input.definition) {
    return absl::InvalidArgumentError(
        absl::StrCat("a ", Info(kind).display, " needs a definition"));
  }
  return absl::OkStatus();
}

// The name, definition and (for servers) definition CID columns to write.
Assignments DefinitionColumns(EntityKind kind, const EntityInput& input) {
  Assignments values = {{"name", Value::Text(input.name)},
                        {"definition", TextOrNull(input.definition)}};
  if (kind == EntityKind::kServer) {
    values.push_back(
        {"definition_cid", input.definition
                               ? Value::Text(ComputeCid(*input.definition))
                               : Value::Null()});
  }
  if (input.enabled)
    values.push_back({"enabled", Value::Boolean(*input.enabled)});
  return values;
}

// A server's definition is content like any other: its bytes are stored
// as the CID that definition_cid names, so the "Definition CID" link
// always leads somewhere (docs/pipelines.md, "Definition history").
absl::Status StoreDefinitionCid(Transaction& txn, EntityKind kind,
                                const EntityInput& input) {
  if (kind != EntityKind::kServer || !input.definition) {
    return absl::OkStatus();
  }
  return CidRepository().Create(txn, *input.definition).status();
}

absl::Status Record(Transaction& txn, EntityKind kind, absl::string_view name,
                    absl::string_view action, std::string message,
                    const std::optional<std::string>& definition) {
  std::string content =
      kind == EntityKind::kSecret ? kRedactedContent : definition.value_or("");
  return RecordInteraction(txn, {.entity_type = Info(kind).display,
                                 .entity_name = std::string(name),
                                 .action = std::string(action),
                                 .message = std::move(message),
                                 .content = std::move(content)})
      .status();
}

absl::StatusOr<Entity> Reload(Transaction& txn, EntityKind kind, int64_t id) {
  VIEWER_ASSIGN_OR_RETURN(Row row, txn.Get(Info(kind).table, id));
  return FromRow(kind, row);
}

}  // namespace

absl::string_view EntityTableName(EntityKind kind) { return Info(kind).table; }
absl::string_view EntityDisplayName(EntityKind kind) {
  return Info(kind).display;
}
absl::string_view EntityPluralName(EntityKind kind) {
  return Info(kind).plural;
}

std::optional<EntityKind> ParseEntityKind(absl::string_view word) {
  for (EntityKind kind : kAllEntityKinds) {
    if (word == Info(kind).plural || word == Info(kind).display) return kind;
  }
  return std::nullopt;
}

bool EntityNeedsDefinition(EntityKind kind) {
  return kind != EntityKind::kAlias;
}

absl::Status ValidateEntityName(absl::string_view name) {
  constexpr char kAllowed[] =
      "name must be 1-100 characters of A-Z a-z 0-9 . _ -, got ";
  if (name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(kAllowed, "an empty name"));
  }
  if (name.size() > kMaxEntityNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(kAllowed, name.size(), " characters"));
  }
  for (char ch : name) {
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
              (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat(kAllowed, "\"", absl::CHexEscape(name), "\""));
    }
  }
  if (name == "." || name == "..") {
    return absl::InvalidArgumentError(
        absl::StrCat("name must not be \".\" or \"..\", got \"", name, "\""));
  }
  return absl::OkStatus();
}

absl::Status ValidateEntityDefinition(
    EntityKind kind, const std::optional<std::string>& definition) {
  if (!definition) return absl::OkStatus();
  if (!IsValidUtf8(*definition)) {
    return absl::InvalidArgumentError("the definition is not valid UTF-8");
  }
  if (kind == EntityKind::kAlias) {
    absl::Status parsed = ParseAliasDefinition(*definition).status();
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("alias definition: ", parsed.message()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Entity>> ListEntities(Transaction& txn,
                                                 EntityKind kind) {
  Query q;
  q.order_by = {{"name", false}};
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          txn.Select(Info(kind).table, q));
  std::vector<Entity> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(FromRow(kind, row));
  return out;
}

absl::StatusOr<Entity> GetEntity(Transaction& txn, EntityKind kind,
                                 absl::string_view name) {
  VIEWER_ASSIGN_OR_RETURN(Row row, MustFindRow(txn, kind, name));
  return FromRow(kind, row);
}

absl::StatusOr<int64_t> CountEntities(Transaction& txn, EntityKind kind) {
  return txn.Count(Info(kind).table);
}

absl::StatusOr<bool> EntityExists(Transaction& txn, EntityKind kind,
                                  absl::string_view name) {
  VIEWER_ASSIGN_OR_RETURN(std::optional<Row> row, FindRow(txn, kind, name));
  return row.has_value();
}

absl::StatusOr<std::optional<std::string>> FirstEntityName(Transaction& txn,
                                                           EntityKind kind) {
  Query q;
  q.order_by = {{"name", false}};
  q.limit = 1;
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          txn.Select(Info(kind).table, q));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(TextOf(rows[0][Cols(kind).name]));
}

absl::StatusOr<Entity> CreateEntity(Transaction& txn, EntityKind kind,
                                    const EntityInput& input) {
  VIEWER_RETURN_IF_ERROR(ValidateInput(kind, input));
  return Atomically(txn, [&]() -> absl::StatusOr<Entity> {
    VIEWER_ASSIGN_OR_RETURN(std::optional<Row> existing,
                            FindRow(txn, kind, input.name));
    if (existing) return Taken(kind, input.name);
    VIEWER_ASSIGN_OR_RETURN(
        int64_t id,
        txn.Insert(Info(kind).table, DefinitionColumns(kind, input)));
    VIEWER_RETURN_IF_ERROR(StoreDefinitionCid(txn, kind, input));
    VIEWER_RETURN_IF_ERROR(Record(
        txn, kind, input.name, "create",
        absl::StrCat("created ", Info(kind).display, " ", Quoted(input.name)),
        input.definition));
    return Reload(txn, kind, id);
  });
}

absl::StatusOr<Entity> UpdateEntity(Transaction& txn, EntityKind kind,
                                    absl::string_view name,
                                    const EntityInput& input) {
  VIEWER_RETURN_IF_ERROR(ValidateInput(kind, input));
  return Atomically(txn, [&]() -> absl::StatusOr<Entity> {
    VIEWER_ASSIGN_OR_RETURN(Row row, MustFindRow(txn, kind, name));
    const bool rename = input.name != name;
    if (rename) {
      VIEWER_ASSIGN_OR_RETURN(std::optional<Row> taken,
                              FindRow(txn, kind, input.name));
      if (taken) return Taken(kind, input.name);
    }
    VIEWER_RETURN_IF_ERROR(
        txn.Update(Info(kind).table, row.id(), DefinitionColumns(kind, input)));
    VIEWER_RETURN_IF_ERROR(StoreDefinitionCid(txn, kind, input));
    std::string message =
        rename ? absl::StrCat("renamed ", Info(kind).display, " ", Quoted(name),
                              " to ", Quoted(input.name))
               : absl::StrCat("updated ", Info(kind).display, " ",
                              Quoted(input.name));
    VIEWER_RETURN_IF_ERROR(Record(txn, kind, input.name, "update",
                                  std::move(message), input.definition));
    return Reload(txn, kind, row.id());
  });
}

absl::StatusOr<Entity> SetEntityEnabled(Transaction& txn, EntityKind kind,
                                        absl::string_view name, bool enabled) {
  VIEWER_ASSIGN_OR_RETURN(Row row, MustFindRow(txn, kind, name));
  Entity current = FromRow(kind, row);
  if (current.enabled == enabled) return current;
  return Atomically(txn, [&]() -> absl::StatusOr<Entity> {
    VIEWER_RETURN_IF_ERROR(txn.Update(Info(kind).table, current.id,
                                      {{"enabled", Value::Boolean(enabled)}}));
    const char* action = enabled ? "enable" : "disable";
    VIEWER_RETURN_IF_ERROR(Record(txn, kind, current.name, action,
                                  absl::StrCat(action, "d ", Info(kind).display,
                                               " ", Quoted(current.name)),
                                  current.definition));
    return Reload(txn, kind, current.id);
  });
}

absl::Status DeleteEntity(Transaction& txn, EntityKind kind,
                          absl::string_view name) {
  VIEWER_ASSIGN_OR_RETURN(Row row, MustFindRow(txn, kind, name));
  Entity current = FromRow(kind, row);
  return Atomically(txn, [&]() -> absl::Status {
    VIEWER_RETURN_IF_ERROR(txn.Delete(Info(kind).table, current.id));
    // No content: the definition is in the interactions before this one,
    // and a delete that copied it would free no room in a full store.
    return RecordInteraction(
               txn, {.entity_type = Info(kind).display,
                     .entity_name = current.name,
                     .action = "delete",
                     .message = absl::StrCat("deleted ", Info(kind).display,
                                             " ", Quoted(current.name)),
                     .content = ""})
        .status();
  });
}

}  // namespace viewer
