#include "app/bulk_edit.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/status_macros.h"
#include "nlohmann/json.hpp"

namespace viewer {
namespace {

using json = nlohmann::json;

absl::Status CheckKind(EntityKind kind) {
  if (kind == EntityKind::kVariable || kind == EntityKind::kSecret) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "only variables and secrets are edited as one document");
}

// The problems of one entry, or "" when it is fine.
std::string EntryProblem(EntityKind kind, const std::string& name,
                         const std::string& value) {
  std::vector<std::string> problems;
  if (absl::Status s = ValidateEntityName(name); !s.ok()) {
    problems.emplace_back(s.message());
  }
  if (absl::Status s = ValidateEntityDefinition(kind, value); !s.ok()) {
    problems.emplace_back(s.message());
  }
  if (problems.empty()) return "";
  return absl::StrCat("entry \"", absl::CHexEscape(name),
                      "\": ", absl::StrJoin(problems, ", "));
}

}  // namespace

absl::StatusOr<std::string> BulkDefinitionsText(Transaction& txn,
                                                EntityKind kind) {
  VIEWER_RETURN_IF_ERROR(CheckKind(kind));
  VIEWER_ASSIGN_OR_RETURN(std::vector<Entity> list, ListEntities(txn, kind));
  json doc = json::object();
  for (const Entity& e : list) doc[e.name] = e.definition.value_or("");
  return doc.dump(2, ' ', false, json::error_handler_t::replace);
}

absl::StatusOr<BulkDefinitions> ParseBulkDefinitions(EntityKind kind,
                                                     absl::string_view text) {
  VIEWER_RETURN_IF_ERROR(CheckKind(kind));
  if (text.size() > kMaxBulkDocumentBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the document is ", text.size(), " bytes; at most ",
                     kMaxBulkDocumentBytes, " are read"));
  }
  json doc = json::parse(text.begin(), text.end(), nullptr,
                         /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return absl::InvalidArgumentError("not JSON: the document does not parse");
  }
  if (!doc.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the document must be a JSON object of ",
                     EntityDisplayName(kind), " names to values"));
  }
  BulkDefinitions out;
  std::vector<std::string> problems;
  for (const auto& [name, value] : doc.items()) {
    std::string text_value =
        value.is_string()
            ? value.get<std::string>()
            : value.dump(-1, ' ', false, json::error_handler_t::replace);
    std::string problem = EntryProblem(kind, name, text_value);
    if (!problem.empty()) {
      problems.push_back(std::move(problem));
      continue;
    }
    out.emplace(name, std::move(text_value));
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        problems.size(), " bad ", problems.size() == 1 ? "entry" : "entries",
        ", nothing was changed: ", absl::StrJoin(problems, "; ")));
  }
  return out;
}

absl::StatusOr<BulkEditSummary> ApplyBulkDefinitions(
    Transaction& txn, EntityKind kind, const BulkDefinitions& wanted) {
  VIEWER_RETURN_IF_ERROR(CheckKind(kind));
  VIEWER_ASSIGN_OR_RETURN(std::vector<Entity> list, ListEntities(txn, kind));
  BulkEditSummary summary;
  for (const Entity& e : list) {
    auto it = wanted.find(e.name);
    if (it == wanted.end()) {
      VIEWER_RETURN_IF_ERROR(DeleteEntity(txn, kind, e.name));
      ++summary.deleted;
    } else if (e.definition != it->second) {
      VIEWER_RETURN_IF_ERROR(
          UpdateEntity(txn, kind, e.name,
                       {.name = e.name, .definition = it->second})
              .status());
      ++summary.updated;
    } else {
      ++summary.unchanged;
    }
  }
  for (const auto& [name, value] : wanted) {
    VIEWER_ASSIGN_OR_RETURN(bool exists, EntityExists(txn, kind, name));
    if (exists) continue;
    VIEWER_RETURN_IF_ERROR(
        CreateEntity(txn, kind, {.name = name, .definition = value}).status());
    ++summary.created;
  }
  return summary;
}

}  // namespace viewer
