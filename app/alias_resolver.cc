#include "app/alias_resolver.h"

#include <utility>

#include "app/entities.h"
#include "engine/status_macros.h"

namespace viewer {

absl::StatusOr<std::optional<std::string>> AliasResolver::Resolve(
    Transaction& txn, absl::string_view path) const {
  VIEWER_ASSIGN_OR_RETURN(std::optional<AliasMatch> match, Match(txn, path));
  if (!match) return std::nullopt;
  return std::move(match->target);
}

absl::StatusOr<std::optional<AliasMatch>> AliasResolver::Match(
    Transaction& txn, absl::string_view path) const {
  VIEWER_ASSIGN_OR_RETURN(std::vector<Entity> aliases,
                          ListEntities(txn, EntityKind::kAlias));
  for (const Entity& alias : aliases) {
    if (!alias.enabled || !alias.definition) continue;
    absl::StatusOr<std::shared_ptr<const std::vector<AliasRule>>> rules =
        Rules(*alias.definition);
    if (!rules.ok()) continue;
    // The first rule that matches decides for this alias; a target equal
    // to the path passes the path on to the next alias.
    for (const AliasRule& rule : **rules) {
      std::optional<std::string> target = MatchAliasRule(rule, path);
      if (!target) continue;
      if (*target == path) break;
      return AliasMatch{.alias = alias.name,
                        .line = rule.line,
                        .pattern = rule.pattern,
                        .target = *std::move(target)};
    }
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
