#include "tests/http/route_session.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "http/render.h"

namespace viewer::testing {
namespace {

using json = nlohmann::json;

constexpr char kBoundary[] = "viewer-equivalence-boundary";

Step Make(std::string method, std::string path, int expect) {
  Step s;
  s.method = std::move(method);
  s.path = std::move(path);
  s.expect = expect;
  return s;
}

// Removes the memory-mode banner (the element right after the navigation
// bar) from a viewer page. False when `body` is a page without one.
bool StripBanner(std::string& body) {
  const size_t nav_end = body.find("</nav>\n");
  if (nav_end == std::string::npos) return false;
  const size_t start = nav_end + 7;
  constexpr absl::string_view kOpen = "<div class=\"banner\"";
  if (body.compare(start, kOpen.size(), kOpen.data(), kOpen.size()) != 0) {
    return false;
  }
  const size_t end = body.find("</div>\n", start);
  if (end == std::string::npos) return false;
  body.erase(start, end + 7 - start);
  return true;
}

bool IsViewerPage(const std::string& content_type, const std::string& body) {
  return absl::StartsWith(content_type, "text/html") &&
         absl::StartsWith(body, "<!DOCTYPE html>") &&
         absl::StrContains(body, "<nav class=\"top\">");
}

std::string HomeView(const std::string& content_type, std::string body) {
  if (absl::StartsWith(content_type, "application/json")) {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return body;
    j.erase("mode");
    j.erase("database");
    return j.dump();
  }
  // "<p>Running on <code>/tmp/x/test.db</code>.</p>" or the memory line.
  const size_t start = body.find("<p>Running on ");
  if (start == std::string::npos) return body;
  const size_t end = body.find("</p>\n", start);
  if (end == std::string::npos) return body;
  body.replace(start, end - start, "<p>Running on [the store]");
  return body;
}

std::string StatusView(std::string body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return body;
  json kept = json::object();
  for (const char* key : {"version", "started_at", "uptime_seconds"}) {
    if (j.contains(key)) kept[key] = j[key];
  }
  json rows = json::object();
  if (j.contains("tables") && j["tables"].is_array()) {
    for (const json& t : j["tables"]) {
      if (t.contains("name") && t.contains("rows")) {
        rows[t["name"].get<std::string>()] = t["rows"];
      }
    }
  }
  kept["rows"] = rows;
  if (j.contains("cids_folder") && j["cids_folder"].is_object()) {
    json folder = j["cids_folder"];
    folder.erase("listing_ms");  // wall time
    kept["cids_folder"] = folder;
  }
  return kept.dump();
}

std::string Describe(const Recorded& r) {
  std::string out = absl::StrCat("    status ", r.status, "\n");
  for (const auto& [name, value] : r.headers) {
    absl::StrAppend(&out, "    ", name, ": ", absl::CHexEscape(value), "\n");
  }
  constexpr size_t kShown = 400;
  absl::StrAppend(&out, "    body (", r.body.size(),
                  " bytes): ", absl::CHexEscape(r.body.substr(0, kShown)),
                  r.body.size() > kShown ? "..." : "", "\n");
  return out;
}

std::string FirstDifference(const std::string& a, const std::string& b,
                            const std::string& a_name,
                            const std::string& b_name) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const size_t from = i > 60 ? i - 60 : 0;
  return absl::StrCat("  bodies first differ at byte ", i, ":\n    ", a_name,
                      ": ...", absl::CHexEscape(a.substr(from, 160)), "\n    ",
                      b_name, ": ...", absl::CHexEscape(b.substr(from, 160)),
                      "\n");
}

}  // namespace

Step Get(std::string path, int expect, httplib::Headers headers) {
  Step s = Make("GET", std::move(path), expect);
  s.headers = std::move(headers);
  return s;
}

Step GetJson(std::string path, int expect) {
  return Get(std::move(path), expect, {{"Accept", "application/json"}});
}

Step Head(std::string path, int expect, httplib::Headers headers) {
  Step s = Make("HEAD", std::move(path), expect);
  s.headers = std::move(headers);
  return s;
}

Step Delete(std::string path, int expect) {
  Step s = Make("DELETE", std::move(path), expect);
  s.headers = {{"Accept", "application/json"}};
  return s;
}

Step PostJson(std::string path, const json& body, int expect) {
  return Raw("POST", std::move(path), body.dump(), "application/json", expect);
}

Step PutJson(std::string path, const json& body, int expect) {
  return Raw("PUT", std::move(path), body.dump(), "application/json", expect);
}

Step PostForm(std::string path,
              const std::vector<std::pair<std::string, std::string>>& fields,
              int expect) {
  std::vector<std::string> pairs;
  for (const auto& [name, value] : fields) {
    pairs.push_back(absl::StrCat(UrlEncode(name), "=", UrlEncode(value)));
  }
  return Raw("POST", std::move(path), absl::StrJoin(pairs, "&"),
             "application/x-www-form-urlencoded", expect);
}

Step PostMultipart(std::string path, const std::vector<Part>& parts,
                   int expect) {
  std::string body;
  for (const Part& p : parts) {
    absl::StrAppend(&body, "--", kBoundary,
                    "\r\nContent-Disposition: form-data; name=\"", p.name,
                    "\"");
    if (!p.filename.empty()) {
      absl::StrAppend(&body, "; filename=\"", p.filename, "\"");
    }
    absl::StrAppend(&body, "\r\n");
    if (!p.content_type.empty()) {
      absl::StrAppend(&body, "Content-Type: ", p.content_type, "\r\n");
    }
    absl::StrAppend(&body, "\r\n", p.content, "\r\n");
  }
  absl::StrAppend(&body, "--", kBoundary, "--\r\n");
  return Raw("POST", std::move(path), std::move(body),
             absl::StrCat("multipart/form-data; boundary=", kBoundary), expect);
}

Step Raw(std::string method, std::string path, std::string body,
         std::string content_type, int expect) {
  Step s = Make(std::move(method), std::move(path), expect);
  s.body = std::move(body);
  s.content_type = std::move(content_type);
  return s;
}

std::vector<Recorded> RunSession(ViewerFixture& v,
                                 const std::vector<Step>& script) {
  const bool memory = v.kind() == BackendKind::kMemory;
  std::vector<Recorded> out;
  std::string location;
  for (const Step& step : script) {
    v.clock().Advance(absl::Seconds(1));
    httplib::Request req;
    req.method = step.method;
    req.path = absl::StrReplaceAll(step.path, {{"{location}", location}});
    req.headers = step.headers;
    if (!step.body.empty()) {
      req.body = step.body;
      req.set_header("Content-Type", step.content_type);
    }
    Recorded rec;
    rec.path = req.path;
    httplib::Result r = v.client().send(req);
    if (r) {
      rec.status = r->status;
      for (const char* name : kComparedHeaders) {
        if (r->has_header(name)) {
          rec.headers.emplace_back(name, r->get_header_value(name));
        }
      }
      if (r->has_header("Location")) location = r->get_header_value("Location");
      rec.body = Normalize(step.view, memory, rec.path,
                           r->get_header_value("Content-Type"), r->body);
    }
    out.push_back(std::move(rec));
  }
  return out;
}

std::string Normalize(BodyView view, bool memory, const std::string& path,
                      const std::string& content_type, std::string body) {
  if (memory && IsViewerPage(content_type, body) && !StripBanner(body)) {
    ADD_FAILURE() << "a memory-mode page without the banner: " << path;
  }
  switch (view) {
    case BodyView::kExact:
      return body;
    case BodyView::kHome:
      return HomeView(content_type, std::move(body));
    case BodyView::kStatusJson:
      return StatusView(std::move(body));
  }
  return body;
}

std::string CompareSessions(const std::vector<Step>& script,
                            const std::vector<Recorded>& a,
                            const std::vector<Recorded>& b, int max_reports,
                            const std::string& a_name,
                            const std::string& b_name) {
  std::string report;
  int reports = 0, more = 0;
  const size_t n = std::min({script.size(), a.size(), b.size()});
  if (a.size() != script.size() || b.size() != script.size()) {
    absl::StrAppend(&report, "runs of different lengths: script ",
                    script.size(), ", ", a_name, " ", a.size(), ", ", b_name,
                    " ", b.size(), "\n");
  }
  for (size_t i = 0; i < n; ++i) {
    const Step& step = script[i];
    const Recorded& m = a[i];
    const Recorded& d = b[i];
    std::string problems;
    if (m.status != d.status) problems += "  statuses differ\n";
    if (m.headers != d.headers) problems += "  headers differ\n";
    if (m.path != d.path) problems += "  paths differ\n";
    if (m.status != step.expect || d.status != step.expect) {
      absl::StrAppend(&problems, "  expected status ", step.expect, "\n");
    }
    const bool bodies_differ = m.body != d.body;
    if (bodies_differ) problems += "  bodies differ\n";
    if (problems.empty()) continue;
    if (reports == max_reports) {
      ++more;
      continue;
    }
    ++reports;
    absl::StrAppend(&report, "request #", i + 1, ": ", step.method, " ",
                    absl::CHexEscape(m.path), "\n", problems, "  ", a_name,
                    ":\n", Describe(m), "  ", b_name, ":\n", Describe(d));
    if (bodies_differ) {
      absl::StrAppend(&report, FirstDifference(m.body, d.body, a_name, b_name));
    }
  }
  if (more > 0) absl::StrAppend(&report, "... and ", more, " more requests\n");
  return report;
}

}  // namespace viewer::testing
