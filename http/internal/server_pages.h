// HTML and JSON for server runs and editing: a server's definition
// history and runs (on its page), /server_events, the CID editor and the
// variables/secrets document editor.
//
//   ctx.Page("Server events", ServerEventsHtml(page, form), "servers");
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_INTERNAL_SERVER_PAGES_H_
#define VIEWER_HTTP_INTERNAL_SERVER_PAGES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "app/entities.h"
#include "app/invocations.h"
#include "app/server_versions.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

nlohmann::json InvocationJson(const Invocation& run);
nlohmann::json VersionJson(const DefinitionVersion& version);

// The sections a server's page adds: its definitions by CID (each runs at
// /<server>/<cid-prefix>) and its latest runs.
std::string ServerVersionsHtml(absl::string_view server,
                               const std::vector<DefinitionVersion>& versions);
std::string ServerRunsHtml(absl::string_view server, const InvocationPage& runs);

// The filters as the user typed them, kept in the form and the pager.
struct ServerEventsForm {
  std::string server;
  std::string result;
  std::string start;
  std::string end;
};
nlohmann::json ServerEventsJson(const InvocationPage& page);
std::string ServerEventsHtml(const InvocationPage& page,
                             const ServerEventsForm& form);

// /edit/<cid>: the text of `cid` in a form that saves it as a new CID.
// `crlf`: the original had CRLF line ends (a browser sends CRLF either
// way; the handler keeps LF for text that had it).
std::string CidEditHtml(absl::string_view cid, absl::string_view text,
                        bool crlf, absl::string_view message);

// /variables/_/edit, /secrets/_/edit: the kind's entities as one JSON
// document.
std::string BulkEditHtml(EntityKind kind, absl::string_view document,
                         absl::string_view message);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_SERVER_PAGES_H_
