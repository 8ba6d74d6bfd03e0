#include "http/internal/site.h"

#include <algorithm>
#include <iostream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "app/page_views.h"
#include "engine/mutex.h"
#include "engine/status_macros.h"
#include "http/render.h"

namespace viewer::http_internal {
namespace {

Mutex stdout_mutex;

// The most of a request's path and User-Agent a page view keeps: enough
// to read the history, too little for page views to crowd out user data
// (docs/security.md).
constexpr size_t kMaxViewPath = 1024;
constexpr size_t kMaxViewUserAgent = 256;

// `text` cut to at most `limit` bytes, at a UTF-8 character boundary.
std::string Capped(const std::string& text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

int64_t ByteLimitOf(const StoreHandle& handle) {
  // Only a memory store has a limit; a disk store's Stats counts rows.
  if (!handle.in_memory()) return 0;
  absl::StatusOr<StoreStats> stats = handle.store->Stats();
  return stats.ok() ? stats->byte_limit : 0;
}

// The format of a fixed route's answer: a JSON-only route's JSON, else the
// format its suffix names, else the one the Accept header asks for (a
// header naming none keeps what WantsJson decided).
void ChooseFormat(const Router::Match& match, Ctx& ctx) {
  Format format = ctx.json ? Format::kJson : Format::kHtml;
  if (match.route->flags & kJsonOnly) {
    format = Format::kJson;
  } else if (match.format) {
    format = *match.format;
  } else if (ctx.req.has_header("Accept")) {
    format = FormatFromAccept(ctx.req.get_header_value("Accept"), format);
  }
  ctx.format = format;
  ctx.json = format != Format::kHtml;
}

}  // namespace

Site::Site(ViewerOptions options)
    : options_(std::move(options)),
      cids_(options_.cids),
      started_at_(options_.clock->Now()),
      byte_limit_(ByteLimitOf(options_.store)),
      page_view_budget_(byte_limit_ / kPageViewShareDivisor) {
  AddHomeRoutes(*this, router_);
  AddHistoryRoutes(*this, router_);
  AddSearchRoutes(*this, router_);
  AddAliasRoutes(*this, router_);  // before /aliases/{}
  AddServerRoutes(*this, router_);
  AddEntityRoutes(*this, router_);
  AddCidRoutes(*this, router_);
  AddExportRoutes(*this, router_);
  AddDumpRoutes(*this, router_);
  AddMetaRoutes(*this, router_);
}

absl::StatusOr<std::unique_ptr<Transaction>> Site::Read() const {
  return store().Begin(TransactionMode::kReadOnly);
}

absl::Status Site::Write(
    const std::function<absl::Status(Transaction&)>& body) const {
  if (options_.read_only) {
    return absl::FailedPreconditionError(
        "this is a read-only demo: nothing can be changed");
  }
  absl::Status status = [&]() -> absl::Status {
    VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                            store().Begin(TransactionMode::kReadWrite));
    VIEWER_RETURN_IF_ERROR(body(*txn));
    return txn->Commit();
  }();
  return MemoryFull(status);
}

absl::Status Site::MemoryFull(const absl::Status& status) const {
  if (status.code() != absl::StatusCode::kResourceExhausted ||
      byte_limit_ <= 0) {
    return status;
  }
  absl::StatusOr<StoreStats> stats = store().Stats();
  const int64_t used = stats.ok() ? stats->bytes_used : byte_limit_;
  // The refused change is rolled back: say how much room there was, so a
  // large import into a store far from full does not read as "full".
  return absl::ResourceExhaustedError(absl::StrCat(
      "memory store is full: ", HumanBytes(used), " of ",
      HumanBytes(byte_limit_), " used, and this change needs more than the ",
      HumanBytes(std::max<int64_t>(0, byte_limit_ - used)),
      " left; nothing was changed. Restart "
      "viewer with a larger --max-memory (after POST /export or "
      "--dump-db-on-exit to keep your work), or delete something. (",
      status.message(), ")"));
}

void Site::Log(absl::string_view line) const {
  if (options_.log) {
    options_.log(line);
    return;
  }
  MutexLock lock(&stdout_mutex);
  std::cout << line << std::endl;
}

void Site::LogFolderProblems() const {
  if (options_.cids == nullptr) return;
  for (const CidDirectory::Problem& p : options_.cids->DrainProblems()) {
    Log(absl::StrCat("warning: cids folder: ", absl::CHexEscape(p.name),
                     " is not served: ", p.reason));
  }
}

void Site::Handle(Ctx& ctx) {
  const std::string& method = ctx.req.method;
  Router::Match match = router_.Find(method, ctx.req.path);
  switch (match.kind) {
    case Router::Match::kFound: {
      const Route& route = *match.route;
      ctx.args = std::move(match.args);
      ChooseFormat(match, ctx);
      ctx.page_view = (route.flags & kPageView) && !ctx.json;
      route.handler(ctx);
      break;
    }
    case Router::Match::kWrongMethod:
      ctx.res.set_header("Allow", match.allow);
      if (method == "OPTIONS") {
        ctx.NoContent();
      } else {
        ctx.Error(405, absl::StrCat(method, " is not allowed on this path; "
                                            "allowed: ",
                                    match.allow));
      }
      break;
    case Router::Match::kNone:
      Fallback(ctx);
      break;
  }
  if (ctx.page_view && method == "GET" && ctx.res.status == 200 &&
      !options_.read_only) {
    RecordPageView(ctx);
  }
}

void Site::Fallback(Ctx& ctx) {
  if (TryAlias(*this, ctx) || TryServer(*this, ctx) || TryCid(*this, ctx)) {
    return;
  }
  if (ctx.req.method == "OPTIONS") {
    ctx.res.set_header("Allow", "GET, HEAD, POST");
    ctx.NoContent();
    return;
  }
  ctx.Error(404, absl::StrCat("nothing at ", ctx.req.path,
                              ": no page, alias, enabled server or CID has "
                              "that name"));
}

void Site::RecordPageView(const Ctx& ctx) const {
  PageViewInput view;
  view.path = Capped(ctx.req.path, kMaxViewPath);
  view.method = ctx.req.method;
  if (ctx.req.has_header("User-Agent")) {
    view.user_agent =
        Capped(ctx.req.get_header_value("User-Agent"), kMaxViewUserAgent);
  }
  if (!ctx.req.remote_addr.empty()) view.ip_address = ctx.req.remote_addr;
  absl::Status status = Write([&](Transaction& txn) {
    return SavePageView(txn, view).status();
  });
  if (status.ok()) status = page_view_budget_.AfterSave(store());
  if (!status.ok()) {
    // The page was served; losing its history entry is not the client's
    // problem, but it is worth a line in the log.
    Log(absl::StrCat("warning: page view of ", absl::CHexEscape(view.path),
                     " not recorded: ", status.ToString()));
  }
}

}  // namespace viewer::http_internal
