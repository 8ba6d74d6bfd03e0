#include "app/search.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"

namespace viewer {

absl::StatusOr<SearchResults> Search(Transaction& txn,
                                     const CidRepository& cids,
                                     absl::string_view query) {
  SearchResults results;
  results.query = std::string(query);
  if (query.empty()) return results;
  const std::string needle = absl::AsciiStrToLower(query);
  auto contains = [&](absl::string_view hay) {
    return absl::StrContains(absl::AsciiStrToLower(hay), needle);
  };
  for (EntityKind kind : kAllEntityKinds) {
    VIEWER_ASSIGN_OR_RETURN(std::vector<Entity> list, ListEntities(txn, kind));
    for (const Entity& e : list) {
      SearchHit hit{.kind = kind, .name = e.name};
      hit.in_name = contains(e.name);
      hit.in_definition = kind != EntityKind::kSecret && e.definition &&
                          contains(*e.definition);
      if (hit.in_name || hit.in_definition) {
        if (hit.in_definition) hit.definition = *e.definition;
        results.entities.push_back(std::move(hit));
      }
    }
  }
  VIEWER_ASSIGN_OR_RETURN(std::vector<std::string> found,
                          cids.FindByPrefix(txn, "", kSearchMaxCids));
  for (const std::string& cid : found) {
    std::string path = absl::StrCat("/", cid);
    if (contains(path)) results.cid_paths.push_back(std::move(path));
  }
  return results;
}

}  // namespace viewer
