// AliasResolver: where the enabled aliases send a request path. Aliases are
// tried in name order and, within one, its rules in declaration order
// (app/alias_rules.h); the first rule that matches gives the target. A
// target equal to the path itself is passed over (it would send the client
// back where it came from). Before an alias is parsed, `{name}` in its
// definition is replaced by the enabled variable `name`'s value; a line
// that does not parse (a database written by something else, or a
// variable that makes a line invalid) routes nothing, the other lines
// still do. One request spends at most one AliasMatchBudget on matching:
// a rule over it does not match.
//
//   AliasResolver aliases;  // one per process: it caches parsed rules
//   VIEWER_ASSIGN_OR_RETURN(std::optional<std::string> target,
//                           aliases.Resolve(txn, "/docs"));
//   if (target) Redirect(WithQuery(*target, raw_query));
//
// Thread safety: Resolve, Explain and Lines may be called from many
// threads at once; the cache of parsed rules is guarded by its own lock,
// and parsed rules are immutable.
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

// What routing does with one path: the alias and rule that take it (if
// any) and where they send it.
struct AliasResolution {
  std::string path;
  bool matched = false;
  std::string alias;     // matched: the alias's name
  AliasLine line;        // matched: the rule's line (rule set)
  std::string target;    // matched: where the path is sent
  int rules_tried = 0;   // rules matched against, in all aliases
  int over_budget = 0;   // rules passed over for want of budget
};

class AliasResolver {
 public:
  AliasResolver() = default;
  AliasResolver(const AliasResolver&) = delete;
  AliasResolver& operator=(const AliasResolver&) = delete;

  // The target the enabled aliases `txn` sees give `path`, or nullopt when
  // none routes it. The store's errors.
  absl::StatusOr<std::optional<std::string>> Resolve(
      Transaction& txn, absl::string_view path) const
      ABSL_LOCKS_EXCLUDED(mutex_);

  // The same, with which alias and rule decided (the match preview).
  absl::StatusOr<AliasResolution> Explain(Transaction& txn,
                                          absl::string_view path) const
      ABSL_LOCKS_EXCLUDED(mutex_);

  // The lines of alias `name`'s `definition` as routing reads them
  // (variables of `txn` substituted), cached by name and text. The store's
  // errors.
  absl::StatusOr<std::shared_ptr<const std::vector<AliasLine>>> Lines(
      Transaction& txn, const std::string& name,
      const std::string& definition) const ABSL_LOCKS_EXCLUDED(mutex_);

  // The parsed lines of `definition` for alias `name`, variables already
  // substituted; cached (regular expressions are costly to compile, and
  // every path no fixed route takes is tried against every enabled alias).
  std::shared_ptr<const std::vector<AliasLine>> Parsed(
      const std::string& name, const std::string& definition) const
      ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  // Definitions seen recently, by name + '\n' + text; cleared whole when it
  // reaches kMaxCached (definitions change rarely).
  static constexpr size_t kMaxCached = 512;
  mutable Mutex mutex_;
  mutable absl::flat_hash_map<std::string,
                              std::shared_ptr<const std::vector<AliasLine>>>
      cache_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace viewer

#endif  // VIEWER_APP_ALIAS_RESOLVER_H_
