// Site: the application behind ViewerServer: the routes, the fallback chain
// (alias, server, CID, 404) and the helpers handlers share. Independent of
// sockets: ViewerServer turns each httplib request into a Ctx and calls
// Handle.
//
//   Site site(options);
//   Ctx ctx(request, response, PageChrome{.memory_mode = true});
//   site.Handle(ctx);
//
// Handlers are thin: parse the request, call app/ in one transaction,
// render. A handler that fails returns before Commit, so the transaction
// rolls back and nothing it wrote remains.
//
// Thread safety: after construction, Handle may be called from many
// threads at once; Site keeps no per-request state (its AliasResolver
// caches parsed alias rules under its own lock).
#ifndef VIEWER_HTTP_INTERNAL_SITE_H_
#define VIEWER_HTTP_INTERNAL_SITE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/alias_resolver.h"
#include "app/cid_repository.h"
#include "app/page_view_budget.h"
#include "engine/store.h"
#include "http/internal/context.h"
#include "http/internal/router.h"
#include "http/server.h"

namespace viewer::http_internal {

class Site {
 public:
  explicit Site(ViewerOptions options);
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  // Answers one request: a fixed route, 405 for a fixed path with another
  // method, else the fallback chain. Records a page view afterwards when
  // the answer was a 200 page or CID to a GET.
  void Handle(Ctx& ctx);

  const ViewerOptions& options() const { return options_; }
  Store& store() const { return *options_.store.store; }
  // Which store this is: memory or disk.
  StoreMode store_mode() const { return options_.store.mode; }
  Clock& clock() const { return *options_.clock; }
  const CidRepository& cids() const { return cids_; }
  const AliasResolver& aliases() const { return aliases_; }
  Timestamp started_at() const { return started_at_; }

  // The memory store's byte limit (--max-memory); 0: none (disk, or a
  // memory store without one).
  int64_t byte_limit() const { return byte_limit_; }
  // What page views may hold of a memory store with a limit (a share of
  // it; the oldest go first), and how many went.
  const PageViewBudget& page_view_budget() const { return page_view_budget_; }

  // A read-only transaction (a snapshot of everything committed).
  absl::StatusOr<std::unique_ptr<Transaction>> Read() const;
  // Runs `body` in a read-write transaction and commits when it returns
  // OK; otherwise the transaction rolls back and its status is returned.
  // A full memory store's kResourceExhausted is reworded to say how much
  // is used and how to get more (MemoryFull). In a read-only session
  // nothing is begun: kFailedPrecondition.
  absl::Status Write(const std::function<absl::Status(Transaction&)>& body) const;
  // `status` (kResourceExhausted from the store) as the client should read
  // it: "memory store is full: 1.0 GiB of 1.0 GiB used; restart viewer
  // with a larger --max-memory, or delete something (...)". Other
  // statuses, and stores without a limit, pass through unchanged.
  absl::Status MemoryFull(const absl::Status& status) const;

  // Writes one log line (when request logging is on, or always for
  // warnings such as a bad file found in the cids folder).
  void Log(absl::string_view line) const;
  // Logs the cids folder's newly found bad files, if any.
  void LogFolderProblems() const;

 private:
  void Fallback(Ctx& ctx);
  void RecordPageView(const Ctx& ctx) const;

  const ViewerOptions options_;
  const CidRepository cids_;
  const AliasResolver aliases_;
  const Timestamp started_at_;
  const int64_t byte_limit_;
  mutable PageViewBudget page_view_budget_;
  Router router_;
};

// Route tables, one per file: http/routes_<name>.cc.
void AddHomeRoutes(Site& site, Router& router);
void AddHistoryRoutes(Site& site, Router& router);
void AddSearchRoutes(Site& site, Router& router);
void AddAliasRoutes(Site& site, Router& router);
// Before AddEntityRoutes: /variables/_/edit is the document editor.
void AddServerRoutes(Site& site, Router& router);
void AddEntityRoutes(Site& site, Router& router);
void AddCidRoutes(Site& site, Router& router);
void AddExportRoutes(Site& site, Router& router);
void AddDumpRoutes(Site& site, Router& router);
void AddMetaRoutes(Site& site, Router& router);

// Fallback steps (http/routes_fallback.cc; TryCid in routes_cids.cc); each
// answers and returns true when it applies.
bool TryAlias(const Site& site, Ctx& ctx);
bool TryServer(const Site& site, Ctx& ctx);
// The server a request for `path` would run if one of that name is
// enabled: the path's first segment ("/hello/x/y": "hello"), if it has
// one (routes_fallback.cc; TryServer and /meta use it).
std::optional<std::string> ServerNameOf(absl::string_view path);
bool TryCid(const Site& site, Ctx& ctx);
// A rendering of the CID's content `bytes` named by `extension` ("md.html",
// "qr", "qr.png", "qr.svg": http/routes_cid_renderings.cc), answered; false
// for any other extension.
bool ServeCidRendering(const std::string& cid, absl::string_view extension,
                       const std::string& bytes, Ctx& ctx);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_SITE_H_
