// Search: which servers, aliases, variables, secrets and stored CIDs
// contain a piece of text. Matching is an ASCII case-insensitive substring
// test over each entity's name and definition (never a secret's value) and
// over each stored CID's path ("/" + CID).
//
//   VIEWER_ASSIGN_OR_RETURN(SearchResults found, Search(txn, cids, "hello"));
//   for (const SearchHit& hit : found.entities) ...  // by kind, then name
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_SEARCH_H_
#define VIEWER_APP_SEARCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/cid_repository.h"
#include "app/entities.h"
#include "engine/store.h"

namespace viewer {

// Search looks at most at this many CIDs (the first ones in byte order).
inline constexpr int64_t kSearchMaxCids = 100000;

struct SearchHit {
  EntityKind kind = EntityKind::kServer;
  std::string name;
  bool in_name = false;
  bool in_definition = false;
  std::string definition;  // set when in_definition (never for secrets)
};

struct SearchResults {
  std::string query;
  std::vector<SearchHit> entities;     // by kind (kAllEntityKinds), then name
  std::vector<std::string> cid_paths;  // "/CID", in byte order
};

// Everything `txn` sees that contains `query`, and the CIDs of `cids`
// (store and folder) whose path does. An empty query finds nothing (and
// reads nothing). The store's errors.
absl::StatusOr<SearchResults> Search(Transaction& txn,
                                     const CidRepository& cids,
                                     absl::string_view query);

}  // namespace viewer

#endif  // VIEWER_APP_SEARCH_H_
