// GoogleTest printers for the repositories' structs (app/*.h), so a failed
// comparison shows every field of both sides.
#ifndef VIEWER_TESTS_APP_REPOSITORY_PRINTERS_H_
#define VIEWER_TESTS_APP_REPOSITORY_PRINTERS_H_

#include <optional>
#include <ostream>
#include <string>

#include "absl/strings/escaping.h"
#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/exports.h"
#include "app/interactions.h"
#include "app/invocations.h"
#include "app/page_views.h"

namespace viewer {

namespace printers_internal {
inline std::string Opt(const std::optional<std::string>& s) {
  return s ? "\"" + absl::CHexEscape(*s) + "\"" : "NULL";
}
inline std::string Q(const std::string& s) {
  return "\"" + absl::CHexEscape(s) + "\"";
}
}  // namespace printers_internal

inline void PrintTo(EntityKind kind, std::ostream* os) {
  *os << EntityDisplayName(kind);
}
inline void PrintTo(const Entity& e, std::ostream* os) {
  using namespace printers_internal;
  *os << "{id=" << e.id << " " << EntityDisplayName(e.kind) << " " << Q(e.name)
      << " definition=" << Opt(e.definition)
      << " definition_cid=" << Opt(e.definition_cid)
      << " created=" << e.created_at.ToString()
      << " updated=" << e.updated_at.ToString() << " enabled=" << e.enabled
      << "}";
}
inline void PrintTo(const Interaction& i, std::ostream* os) {
  using namespace printers_internal;
  *os << "{id=" << i.id << " " << i.entity_type << "/" << Q(i.entity_name)
      << " " << i.action << " message=" << Opt(i.message)
      << " content=" << Q(i.content) << " at " << i.created_at.ToString()
      << "}";
}
inline void PrintTo(const CidRecord& r, std::ostream* os) {
  using namespace printers_internal;
  *os << "{id=" << r.id << " " << r.cid
      << " data=" << (r.data ? Q(r.data->substr(0, 40)) : std::string("null"))
      << " size=" << r.file_size << " at " << r.created_at.ToString() << "}";
}
inline void PrintTo(const PageView& v, std::ostream* os) {
  using namespace printers_internal;
  *os << "{id=" << v.id << " " << Opt(v.method) << " " << Q(v.path)
      << " ua=" << Opt(v.user_agent) << " ip=" << Opt(v.ip_address) << " at "
      << v.viewed_at.ToString() << "}";
}
inline void PrintTo(const PathCount& p, std::ostream* os) {
  *os << "{" << printers_internal::Q(p.path) << ": " << p.count << "}";
}
inline void PrintTo(const PageViewPage& p, std::ostream* os) {
  *os << "{page " << p.page << " of " << p.pages() << " (" << p.per_page
      << " per page, " << p.total << " in all):";
  for (const PageView& v : p.views) {
    *os << " ";
    PrintTo(v, os);
  }
  *os << "}";
}
inline void PrintTo(const Invocation& i, std::ostream* os) {
  using namespace printers_internal;
  *os << "{id=" << i.id << " server=" << Q(i.server_name)
      << " result=" << Q(i.result_cid) << " servers=" << Opt(i.servers_cid)
      << " variables=" << Opt(i.variables_cid)
      << " secrets=" << Opt(i.secrets_cid)
      << " request=" << Opt(i.request_details_cid)
      << " invocation=" << Opt(i.invocation_cid)
      << " external=" << Opt(i.external_calls_cid) << " at "
      << i.invoked_at.ToString() << "}";
}
inline void PrintTo(const ExportRecord& r, std::ostream* os) {
  *os << "{id=" << r.id << " " << r.cid << " at " << r.created_at.ToString()
      << "}";
}

}  // namespace viewer

#endif  // VIEWER_TESTS_APP_REPOSITORY_PRINTERS_H_
