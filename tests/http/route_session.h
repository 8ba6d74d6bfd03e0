// A scripted HTTP session, run against one viewer and recorded, so that
// two runs (e.g. SQLite and PostgreSQL stores) can be compared request by
// request
// (the plan's phase 6, "API route equivalence").
//
//   std::vector<Step> script = {Get("/", 200), PostJson("/servers", ...)};
//   ViewerFixture memory(BackendKind::kMemory), disk(BackendKind::kSqlite);
//   std::vector<Recorded> m = RunSession(memory, script);
//   std::vector<Recorded> d = RunSession(disk, script);
//   std::string diff = CompareSessions(script, m, d);  // "" when equal
//
// Before each request both clocks move on by one second, so timestamps
// (created_at, page views, invocations) agree. Each response is reduced to
// its status, the headers a client acts on (kComparedHeaders) and its body,
// with only what must differ by backend taken out (Normalize): the memory
// banner on pages, the database line of the home page, and in /status.json
// everything but the row counts and the cids folder figures.
//
// Thread safety: single-threaded, like the session it runs.
#ifndef VIEWER_TESTS_HTTP_ROUTE_SESSION_H_
#define VIEWER_TESTS_HTTP_ROUTE_SESSION_H_

#include <string>
#include <utility>
#include <vector>

#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {

// How a response body is reduced before comparing.
enum class BodyView {
  kExact,       // as sent (after removing the memory banner from pages)
  kHome,        // "/": the line naming the database is backend-specific
  kStatusJson,  // "/status.json": row counts and cids folder figures only
};

struct Step {
  std::string method;
  // May hold "{location}": the Location header of the latest response in
  // this run that had one (e.g. the CID a server invocation produced).
  std::string path;
  httplib::Headers headers;
  std::string body;
  std::string content_type;  // sent when the body is not empty
  // The status this step must get (on both sides).
  int expect = 200;
  BodyView view = BodyView::kExact;
};

// What is compared of one response.
struct Recorded {
  std::string path;  // the path actually requested
  int status = -1;   // -1: no response
  std::vector<std::pair<std::string, std::string>> headers;  // compared ones
  std::string body;                                          // normalized
};

// Headers compared; any other (Date, Content-Length, Keep-Alive) is not.
inline constexpr const char* kComparedHeaders[] = {
    "Content-Type",          "Location", "ETag",
    "Cache-Control",         "Allow",    "Retry-After",
    "X-Content-Type-Options"};

// Step builders.
Step Get(std::string path, int expect, httplib::Headers headers = {});
// GET with Accept: application/json.
Step GetJson(std::string path, int expect);
Step Head(std::string path, int expect, httplib::Headers headers = {});
Step Delete(std::string path, int expect);
Step PostJson(std::string path, const nlohmann::json& body, int expect);
Step PutJson(std::string path, const nlohmann::json& body, int expect);
// application/x-www-form-urlencoded, fields in the given order.
Step PostForm(std::string path,
              const std::vector<std::pair<std::string, std::string>>& fields,
              int expect);
// multipart/form-data with a fixed boundary; a part with a non-empty
// filename is a file.
struct Part {
  std::string name;
  std::string content;
  std::string filename;
  std::string content_type;
};
Step PostMultipart(std::string path, const std::vector<Part>& parts,
                   int expect);
// Any method, raw body.
Step Raw(std::string method, std::string path, std::string body,
         std::string content_type, int expect);

// Sends every step in order on `v`'s keep-alive client, advancing its
// clock by one second before each.
std::vector<Recorded> RunSession(ViewerFixture& v,
                                 const std::vector<Step>& script);

// The body reduced as `view` says; `memory` tells whether it came from a
// memory-mode viewer (whose pages carry the banner). Adds a failure when a
// page of a memory-mode viewer lacks the banner.
std::string Normalize(BodyView view, bool memory, const std::string& path,
                      const std::string& content_type, std::string body);

// "" when both runs agree everywhere and each step got its expected
// status; otherwise one report per differing request (at most
// `max_reports`): its number, method and path, and both sides, labelled
// `a_name` and `b_name`.
std::string CompareSessions(const std::vector<Step>& script,
                            const std::vector<Recorded>& a,
                            const std::vector<Recorded>& b, int max_reports = 5,
                            const std::string& a_name = "memory",
                            const std::string& b_name = "sqlite");

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_HTTP_ROUTE_SESSION_H_
