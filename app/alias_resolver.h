// AliasResolver: where the enabled aliases send a request path. Aliases are
// tried in name order and, within one, its rules in order
// (app/alias_rules.h); the first rule that matches gives the target. A
// target equal to the path itself is passed over (it would send the client
// back where it came from).
//
//   AliasResolver aliases;  // one per process: it caches parsed rules
//   VIEWER_ASSIGN_OR_RETURN(std::optional<std::string> target,
//                           aliases.Resolve(txn, "/docs"));
//   if (target) Redirect(WithQuery(*target, raw_query));
//
// Thread safety: Resolve and Rules may be called from many threads at
// once; the cache of parsed rules is guarded by its own lock, and parsed
// rules are immutable.
#ifndef VIEWER_APP_ALIAS_RESOLVER_H_
#define VIEWER_APP_ALIAS_RESOLVER_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/alias_rules.h"
#include "engine/mutex.h"
#include "engine/store.h"

namespace viewer {

// Which rule of which alias routes a path, and where to.
struct AliasMatch {
  std::string alias;    // the alias's name
  int line = 0;         // the rule's 1-based line in its definition
  std::string pattern;  // the rule's pattern, as parsed
  std::string target;   // where it sends the path
};

class AliasResolver {
 public:
  AliasResolver() = default;
  AliasResolver(const AliasResolver&) = delete;
  AliasResolver& operator=(const AliasResolver&) = delete;

  // The target the enabled aliases `txn` sees give `path`, or nullopt when
  // none routes it. A stored definition that does not parse (every writer
  // checks it, so only a database written by something else has one)
  // routes nothing. The store's errors.
  absl::StatusOr<std::optional<std::string>> Resolve(
      Transaction& txn, absl::string_view path) const
      ABSL_LOCKS_EXCLUDED(mutex_);

  // As Resolve, saying also which alias and rule matched (Resolve is this
  // function's target).
  absl::StatusOr<std::optional<AliasMatch>> Match(
      Transaction& txn, absl::string_view path) const
      ABSL_LOCKS_EXCLUDED(mutex_);

  // The parsed rules of `definition`, cached by its text (regular
  // expressions are costly to compile, and every path no fixed route takes
  // is tried against every enabled alias). ParseAliasDefinition's
  // kInvalidArgument for a definition that does not parse (not cached).
  absl::StatusOr<std::shared_ptr<const std::vector<AliasRule>>> Rules(
      const std::string& definition) const ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  // Definitions seen recently; cleared whole when it reaches kMaxCached
  // (definitions change rarely).
  static constexpr size_t kMaxCached = 512;
  mutable Mutex mutex_;
  mutable absl::flat_hash_map<std::string,
                              std::shared_ptr<const std::vector<AliasRule>>>
      cache_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace viewer

#endif  // VIEWER_APP_ALIAS_RESOLVER_H_
