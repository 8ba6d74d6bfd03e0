// Routes for server runs and editing content:
//
//   GET  /server_events[.json]     server runs, newest first; ?server=,
//                                  ?result= (a result CID), ?start=, ?end=
//                                  (inclusive, app/time_text.h), ?page=
//   GET  /edit/<cid-prefix>        the CID's text in a form
//   POST /edit/<cid-prefix>        text=... -> stores it as a new CID, 303
//                                  to it (JSON: 201 {"cid": ...})
//   GET  /variables/_/edit         every variable as one JSON object
//   POST /variables/_/edit         document=... (form) or the JSON object
//                                  itself (application/json): validated
//                                  whole, then applied; 303 to /variables
//   GET  /secrets/_/edit, POST     the same for secrets
//
// These routes are added before the entity routes, so /variables/_/edit is
// this editor (the entity forms refuse the name "_").
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "app/bulk_edit.h"
#include "app/cid_edit.h"
#include "app/invocations.h"
#include "app/time_text.h"
#include "engine/status_macros.h"
#include "http/internal/server_pages.h"
#include "http/internal/site.h"
#include "http/render.h"
#include "http/status_map.h"

namespace viewer::http_internal {
namespace {

constexpr int64_t kEventsPerPage = 50;

// The time bound in query parameter `key`, or nullopt when absent.
absl::StatusOr<std::optional<Timestamp>> Bound(const Ctx& ctx,
                                               const std::string& key,
                                               bool is_end) {
  std::optional<std::string> value = ctx.Query(key);
  if (!value || value->empty()) return std::nullopt;
  return ParseTimeBound(key, *value, is_end);
}

void ServerEvents(const Site& site, Ctx& ctx) {
  ServerEventsForm form{.server = ctx.Query("server").value_or(""),
                        .result = ctx.Query("result").value_or(""),
                        .start = ctx.Query("start").value_or(""),
                        .end = ctx.Query("end").value_or("")};
  int64_t page = 1;
  if (std::optional<std::string> text = ctx.Query("page");
      text && !text->empty() && (!absl::SimpleAtoi(*text, &page) || page < 1)) {
    return ctx.Error(400, absl::StrCat("page must be a whole number from 1, "
                                       "got '",
                                       *text, "'"));
  }
  InvocationFilter filter{.server_name = form.server,
                          .result_cid = form.result};
  HTTP_ASSIGN_OR_FAIL(ctx, filter.start, Bound(ctx, "start", false));
  HTTP_ASSIGN_OR_FAIL(ctx, filter.end, Bound(ctx, "end", true));
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, InvocationPage events,
                      FilteredInvocations(*txn, filter, page, kEventsPerPage));
  if (ctx.json) return ctx.Json(200, ServerEventsJson(events));
  ctx.Page("Server events", ServerEventsHtml(events, form), "servers");
}

void EditCidForm(const Site& site, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, std::string cid,
                      ResolveCidPrefix(*txn, site.cids(), ctx.args[0]));
  HTTP_ASSIGN_OR_FAIL(ctx, std::string text,
                      EditableText(*txn, site.cids(), cid));
  const bool crlf = text.find('\r') != std::string::npos;
  ctx.Page("Edit CID", CidEditHtml(cid, text, crlf, ""), "uploads");
}

void SaveCidEdit(const Site& site, Ctx& ctx) {
  std::optional<std::string> text = ctx.Form("text");
  if (!text) return ctx.Error(400, "the form needs a 'text' field");
  // A browser sends a textarea's line ends as CRLF; text that had LF
  // keeps LF.
  if (ctx.Form("newlines").value_or("lf") != "crlf") {
    *text = absl::StrReplaceAll(*text, {{"\r\n", "\n"}});
  }
  std::string saved;
  absl::Status status = site.Write([&](Transaction& txn) -> absl::Status {
    // The prefix must still name one readable CID: an edit of nothing is
    // refused, not stored.
    VIEWER_ASSIGN_OR_RETURN(std::string cid,
                            ResolveCidPrefix(txn, site.cids(), ctx.args[0]));
    VIEWER_RETURN_IF_ERROR(EditableText(txn, site.cids(), cid).status());
    VIEWER_ASSIGN_OR_RETURN(saved, SaveEditedText(txn, site.cids(), *text));
    return absl::OkStatus();
  });
  if (!status.ok()) {
    if (ctx.json) return ctx.Fail(status);
    return ctx.Page("Edit CID",
                    CidEditHtml(ctx.args[0], *text, false, status.message()),
                    "uploads", HttpStatusFor(status));
  }
  if (ctx.json) return ctx.Json(201, {{"cid", saved}});
  ctx.Redirect(303, absl::StrCat("/", saved));
}

void BulkEditForm(const Site& site, EntityKind kind, Ctx& ctx) {
  HTTP_ASSIGN_OR_FAIL(ctx, auto txn, site.Read());
  HTTP_ASSIGN_OR_FAIL(ctx, std::string document,
                      BulkDefinitionsText(*txn, kind));
  if (ctx.json) return ctx.Json(200, nlohmann::json::parse(document));
  ctx.Page(absl::StrCat("Edit all ", EntityPluralName(kind)),
           BulkEditHtml(kind, document, ""), EntityPluralName(kind));
}

void SaveBulkEdit(const Site& site, EntityKind kind, Ctx& ctx) {
  const std::string document =
      ctx.json ? ctx.body.bytes : ctx.Form("document").value_or("");
  BulkEditSummary summary;
  absl::Status status = [&]() -> absl::Status {
    VIEWER_ASSIGN_OR_RETURN(BulkDefinitions wanted,
                            ParseBulkDefinitions(kind, document));
    return site.Write([&](Transaction& txn) -> absl::Status {
      VIEWER_ASSIGN_OR_RETURN(summary, ApplyBulkDefinitions(txn, kind, wanted));
      return absl::OkStatus();
    });
  }();
  if (!status.ok()) {
    if (ctx.json) return ctx.Fail(status);
    return ctx.Page(absl::StrCat("Edit all ", EntityPluralName(kind)),
                    BulkEditHtml(kind, document, status.message()),
                    EntityPluralName(kind), HttpStatusFor(status));
  }
  if (ctx.json) {
    return ctx.Json(200, {{"created", summary.created},
                          {"updated", summary.updated},
                          {"deleted", summary.deleted},
                          {"unchanged", summary.unchanged}});
  }
  ctx.Redirect(303, absl::StrCat("/", EntityPluralName(kind)));
}

}  // namespace

void AddServerRoutes(Site& site, Router& r) {
  const Site* s = &site;
  r.Add("GET", "/server_events", kJsonSuffix | kPageView,
        [s](Ctx& c) { ServerEvents(*s, c); });
  r.Add("GET", "/edit/{}", kPageView, [s](Ctx& c) { EditCidForm(*s, c); });
  r.Add("POST", "/edit/{}", kNoFlags, [s](Ctx& c) { SaveCidEdit(*s, c); });
  for (EntityKind kind : {EntityKind::kVariable, EntityKind::kSecret}) {
    const std::string path =
        absl::StrCat("/", EntityPluralName(kind), "/_/edit");
    r.Add("GET", path, kPageView,
          [s, kind](Ctx& c) { BulkEditForm(*s, kind, c); });
    r.Add("POST", path, kNoFlags,
          [s, kind](Ctx& c) { SaveBulkEdit(*s, kind, c); });
  }
}

}  // namespace viewer::http_internal
