#include "property_tests/repository_show.h"

#include "absl/strings/escaping.h"

namespace viewer::property {

std::string Render(const std::string& s) {
  return absl::StrCat("\"", absl::CHexEscape(s.substr(0, 120)),
                      s.size() > 120
                          ? absl::StrCat("...\" (", s.size(), " bytes)")
                          : std::string("\""));
}
std::string Render(int64_t n) { return absl::StrCat(n); }
std::string Render(bool b) { return b ? "true" : "false"; }
std::string Render(const std::optional<std::string>& s) {
  return s ? Render(*s) : "NULL";
}

std::string Render(const Entity& e) {
  return absl::StrCat("{id=", e.id, " ", EntityDisplayName(e.kind), " ",
                      Render(e.name), " definition=", Render(e.definition),
                      " definition_cid=", Render(e.definition_cid),
                      " created=", e.created_at.ToString(),
                      " updated=", e.updated_at.ToString(),
                      " enabled=", Render(e.enabled), "}");
}

std::string Render(const Interaction& i) {
  return absl::StrCat(
      "{id=", i.id, " ", Render(i.entity_type), "/", Render(i.entity_name), " ",
      Render(i.action), " message=", Render(i.message),
      " content=", Render(i.content), " at ", i.created_at.ToString(), "}");
}

std::string Render(const CidRecord& r) {
  return absl::StrCat("{id=", r.id, " ", Render(r.cid),
                      " data=", r.data ? Render(*r.data) : std::string("null"),
                      " size=", r.file_size, " at ", r.created_at.ToString(),
                      "}");
}

std::string Render(const PageView& v) {
  return absl::StrCat("{id=", v.id, " ", Render(v.method), " ", Render(v.path),
                      " ua=", Render(v.user_agent),
                      " ip=", Render(v.ip_address), " at ",
                      v.viewed_at.ToString(), "}");
}

std::string Render(const PathCount& p) {
  return absl::StrCat("{", Render(p.path), ": ", p.count, "}");
}

std::string Render(const PageViewPage& p) {
  return absl::StrCat("{page ", p.page, ", ", p.per_page, " per page, ",
                      p.total, " in all: ", Render(p.views), "}");
}

std::string Render(const Invocation& i) {
  return absl::StrCat("{id=", i.id, " server=", Render(i.server_name),
                      " result=", Render(i.result_cid),
                      " servers=", Render(i.servers_cid),
                      " variables=", Render(i.variables_cid),
                      " secrets=", Render(i.secrets_cid),
                      " request=", Render(i.request_details_cid),
                      " invocation=", Render(i.invocation_cid),
                      " external=", Render(i.external_calls_cid), " at ",
                      i.invoked_at.ToString(), "}");
}

std::string Render(const ExportRecord& r) {
  return absl::StrCat("{id=", r.id, " ", Render(r.cid), " at ",
                      r.created_at.ToString(), "}");
}

}  // namespace viewer::property
