// The demo seed (`viewer --seed demo`, docs/in_memory_database.md, "Demo
// sessions"): a small, pleasant set of servers, aliases, variables and secrets
// built on the project's cids/ folder (docs/cids.md), so that a demo shows
// every feature from its first page.
//
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
//                           store.Begin(TransactionMode::kReadWrite));
//   VIEWER_RETURN_IF_ERROR(SeedDemo(*txn, cids_folder.get()));
//   VIEWER_RETURN_IF_ERROR(txn->Commit());
//
// What it holds (DemoEntities() lists it exactly):
//   servers    hello (variables, {{request.path}}, {{request.query.name}}),
//              api-request (uses {{secret:API_TOKEN}} on purpose: a request
//              preview; the secret is a made-up demo value), tour (a map of
//              the demo, linking folder content by CID), draft (disabled)
//   aliases    home -> the welcome page, logo (three rules), docs ([glob]),
//              greet ([regex] [ignore-case], redirects to /hello?name=...),
//              haiku, old-index (disabled)
//   variables  greeting, site_name, motto; greeting_fr (disabled)
//   secrets    API_TOKEN; OLD_API_TOKEN (disabled)
//   cid        one note (DemoNote()), stored as an upload of the session
// Templates use only these enabled variables and secrets, and every alias
// target is a CID of the folder, a demo server or another demo alias.
//
// Idempotent: an entity whose name exists already is left exactly as it is
// (never overwritten: it may have been edited), the others are created. A
// second run therefore changes nothing and succeeds, and seeding a loaded
// session (--load FILE --seed demo) only adds what is missing. Every write
// goes through app/entities.h (so each create records its interaction), in
// one savepoint: on error nothing is left. Nothing is committed here.
//
// Errors: kFailedPrecondition when `cids` is given and does not list a file
// the demo links to (or has found it damaged), naming the CID, its working
// name in docs/cids.md and the folder; the store's errors. `cids` may be
// null: the folder is then not checked (links to missing files would
// answer 404). Only names are checked: files are read, and verified, when
// first served.
//
// Thread safety: no state; a Transaction belongs to one thread at a time.
#ifndef VIEWER_APP_DEMO_SEED_H_
#define VIEWER_APP_DEMO_SEED_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "app/cid_directory.h"
#include "app/entities.h"
#include "engine/store.h"

namespace viewer {

struct DemoEntity {
  EntityKind kind;
  EntityInput input;  // input.enabled is always set
};

// The entities SeedDemo creates, in creation order (variables and secrets
// first, then servers, then aliases).
const std::vector<DemoEntity>& DemoEntities();

// The text of the demo's one upload.
absl::string_view DemoNote();

absl::Status SeedDemo(Transaction& txn, const CidDirectory* cids);

}  // namespace viewer

#endif  // VIEWER_APP_DEMO_SEED_H_
