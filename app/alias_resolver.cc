#include "app/alias_resolver.h"

#include <utility>

#include "app/entities.h"
#include "engine/status_macros.h"

namespace viewer {

absl::StatusOr<std::optional<std::string>> AliasResolver::Resolve(
    Transaction& txn, absl::string_view path) const {
  VIEWER_ASSIGN_OR_RETURN(std::vector<Entity> aliases,
                          ListEntities(txn, EntityKind::kAlias));
  for (const Entity& alias : aliases) {
    if (!alias.enabled || !alias.definition) continue;
    absl::StatusOr<std::shared_ptr<const std::vector<AliasRule>>> rules =
        Rules(*alias.definition);
    if (!rules.ok()) continue;
    std::optional<std::string> target = MatchAliasRules(**rules, path);
    if (!target || *target == path) continue;
    return target;
  }
  return std::nullopt;
}

absl::StatusOr<std::shared_ptr<const std::vector<AliasRule>>>
AliasResolver::Rules(const std::string& definition) const {
  {
    ReaderMutexLock lock(&mutex_);
    auto it = cache_.find(definition);
    if (it != cache_.end()) return it->second;
  }
  VIEWER_ASSIGN_OR_RETURN(std::vector<AliasRule> parsed,
                          ParseAliasDefinition(definition));
  auto rules =
      std::make_shared<const std::vector<AliasRule>>(std::move(parsed));
  MutexLock lock(&mutex_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_.emplace(definition, rules);
  return rules;
}

}  // namespace viewer
