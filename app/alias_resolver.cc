#include "app/alias_resolver.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "app/entities.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

// The enabled variables' values by name, read only when `definition`
// could name one.
absl::StatusOr<absl::flat_hash_map<std::string, std::string>> VariablesFor(
    Transaction& txn, absl::string_view definition) {
  absl::flat_hash_map<std::string, std::string> values;
  if (definition.find('{') == absl::string_view::npos) return values;
  VIEWER_ASSIGN_OR_RETURN(std::vector<Entity> variables,
                          ListEntities(txn, EntityKind::kVariable));
  for (Entity& v : variables) {
    if (v.enabled && v.definition) {
      values.emplace(std::move(v.name), *std::move(v.definition));
    }
  }
  return values;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> AliasResolver::Resolve(
    Transaction& txn, absl::string_view path) const {
  VIEWER_ASSIGN_OR_RETURN(AliasResolution resolution, Explain(txn, path));
  if (!resolution.matched) return std::nullopt;
  return std::move(resolution.target);
}

absl::StatusOr<AliasResolution> AliasResolver::Explain(
    Transaction& txn, absl::string_view path) const {
  AliasResolution out;
  out.path = std::string(path);
  VIEWER_ASSIGN_OR_RETURN(std::vector<Entity> aliases,
                          ListEntities(txn, EntityKind::kAlias));
  AliasMatchBudget budget;
  for (const Entity& alias : aliases) {
    if (!alias.enabled || !alias.definition) continue;
    VIEWER_ASSIGN_OR_RETURN(auto lines,
                            Lines(txn, alias.name, *alias.definition));
    for (const AliasLine& line : *lines) {
      if (!line.rule) continue;
      ++out.rules_tried;
      const int skipped_before = budget.skipped();
      std::optional<std::string> target =
          MatchAliasRule(*line.rule, path, budget);
      out.over_budget += budget.skipped() - skipped_before;
      if (!target) continue;
      // The first matching rule decides for its alias; a target equal to
      // the path passes the path on to the next alias.
      if (*target == path) break;
      out.matched = true;
      out.alias = alias.name;
      out.line = line;
      out.target = *std::move(target);
      return out;
    }
  }
  return out;
}

absl::StatusOr<std::shared_ptr<const std::vector<AliasLine>>>
AliasResolver::Lines(Transaction& txn, const std::string& name,
                     const std::string& definition) const {
  VIEWER_ASSIGN_OR_RETURN(auto variables, VariablesFor(txn, definition));
  return Parsed(name, SubstituteAliasVariables(definition, variables));
}

std::shared_ptr<const std::vector<AliasLine>> AliasResolver::Parsed(
    const std::string& name, const std::string& definition) const {
  const std::string key = absl::StrCat(name, "\n", definition);
  {
    ReaderMutexLock lock(&mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }
  auto lines = std::make_shared<const std::vector<AliasLine>>(
      SummarizeAliasDefinition(definition, name));
  MutexLock lock(&mutex_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_.emplace(key, lines);
  return lines;
}

}  // namespace viewer
