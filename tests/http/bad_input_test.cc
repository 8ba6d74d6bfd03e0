// Bad input, table-driven: every request below must get a 4xx with a
// message saying what was wrong ({"error": ...} for JSON clients, an HTML
// page otherwise), the server must keep answering, and nothing stored may
// change (the /status.json row counts and every JSON list are compared
// before and after).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/render.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr uint64_t kMaxBody = 4096;

struct BadRequest {
  std::string label;
  std::string method;
  std::string path;  // sent as is (percent-escapes included)
  std::string body;
  std::string content_type;  // empty: no body headers
  int status;
  bool json;              // expect {"error": ...}; else an HTML page
  std::string message;    // a part of the message; may be empty
  httplib::Headers headers = {};
};

std::vector<BadRequest> Cases() {
  const std::string kJson = "application/json";
  const std::string kForm = "application/x-www-form-urlencoded";
  auto make = [&](std::string name) {
    return json({{"name", name}, {"definition", "d"}}).dump();
  };
  std::vector<BadRequest> cases = {
      {"malformed JSON", "POST", "/servers", "{\"name\": ", kJson, 400, true,
       "not valid JSON"},
      {"JSON array", "POST", "/servers", "[1, 2]", kJson, 400, true,
       "must be a JSON object, got an array"},
      {"JSON string", "POST", "/variables", "\"x\"", kJson, 400, true,
       "JSON object"},
      {"empty body", "POST", "/servers", "", kJson, 400, true, "empty"},
      {"name is a number", "POST", "/servers", R"({"name": 5, "definition": "d"})",
       kJson, 400, true, "field 'name' must be a string, got a number"},
      {"definition is an object", "POST", "/secrets",
       R"({"name": "a", "definition": {}})", kJson, 400, true,
       "field 'definition' must be a string"},
      {"enabled is a string", "POST", "/servers",
       R"({"name": "a", "definition": "d", "enabled": "yes"})", kJson, 400, true,
       "field 'enabled' must be true or false"},
      {"null definition for a server", "POST", "/servers",
       R"({"name": "a", "definition": null})", kJson, 400, true,
       "field 'definition' must be a string, got null"},
      {"missing name", "POST", "/servers", R"({"definition": "d"})", kJson, 400,
       true, "missing field 'name'"},
      {"missing definition", "POST", "/variables", R"({"name": "a"})", kJson,
       400, true, "missing field 'definition'"},
      {"unknown field", "POST", "/servers",
       R"({"name": "a", "definition": "d", "nmae": 1})", kJson, 400, true,
       "unknown field 'nmae'"},
      {"invalid UTF-8 in JSON", "POST", "/servers",
       "{\"name\": \"a\", \"definition\": \"\xff\"}", kJson, 400, true,
       "not valid JSON"},
      {"name with slash", "POST", "/servers", make("a/b"), kJson, 400, true,
       "name must be"},
      {"name with space", "POST", "/servers", make("a b"), kJson, 400, true,
       "name must be"},
      {"name ..", "POST", "/aliases", make(".."), kJson, 400, true, "name must"},
      {"empty name", "POST", "/variables", make(""), kJson, 400, true,
       "name must be"},
      {"101-character name", "POST", "/secrets", make(std::string(101, 'n')),
       kJson, 400, true, "name must be"},
      {"reserved name", "POST", "/servers", make("new"), kJson, 400, true,
       "reserved"},
      {"invalid UTF-8 name by form", "POST", "/servers/new",
       "name=%FF%FE&definition=d", kForm, 400, false, "name must be"},
      {"invalid UTF-8 definition by form", "POST", "/variables/new",
       "name=ok&definition=%FF", kForm, 400, false, "not valid UTF-8"},
      {"bad alias definition", "POST", "/aliases",
       R"({"name": "al", "definition": "no arrow"})", kJson, 400, true,
       "alias definition: line 1"},
      {"alias to another site", "POST", "/aliases",
       R"({"name": "al", "definition": "x -> //evil.example"})", kJson, 400,
       true, "starting with '/'"},
      {"duplicate create", "POST", "/servers", make("dup"), kJson, 409, true,
       "already exists"},
      {"duplicate by form", "POST", "/servers/new", "name=dup&definition=x",
       kForm, 409, false, "already exists"},
      {"rename onto another", "PUT", "/servers/dup",
       R"({"name": "other"})", kJson, 409, true, "already exists"},
      {"rename to a bad name", "PUT", "/servers/dup", R"({"name": "a b"})",
       kJson, 400, true, "name must be"},
      {"unknown entity view", "GET", "/servers/nope", "", "", 404, false,
       "no server named 'nope'"},
      {"unknown entity JSON", "GET", "/variables/nope.json", "", "", 404, true,
       "no variable named 'nope'"},
      {"unknown entity edit", "GET", "/aliases/nope/edit", "", "", 404, false,
       "nope"},
      {"unknown entity PUT", "PUT", "/servers/nope", R"({"definition": "x"})",
       kJson, 404, true, "nope"},
      {"unknown entity DELETE", "DELETE", "/secrets/nope", "", "", 404, true,
       "nope", {{"Accept", "application/json"}}},
      {"unknown entity enable", "POST", "/servers/nope/enabled", "enabled=1",
       kForm, 404, false, "nope"},
      {"unknown entity delete form", "POST", "/servers/nope/delete", "", kForm,
       404, false, "nope"},
      {"enabled missing", "POST", "/servers/dup/enabled", "", kForm, 400, false,
       "enabled=1"},
      {"enabled maybe", "POST", "/servers/dup/enabled", "enabled=maybe", kForm,
       400, false, "enabled=1"},
      {"unknown hashed CID", "GET",
       "/AAAAAAEAzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
       "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzw",
       "", "", 404, false, "nothing at"},
      {"malformed CID", "GET", "/AAAAAAAFaGVsbG9x", "", "", 404, false,
       "nothing at"},
      {"malformed CID, JSON client", "GET", "/AAAA!!", "", "", 404, true,
       "nothing at", {{"Accept", "application/json"}}},
      {"CID with empty extension", "GET", "/AAAAAAAFaGVsbG8.", "", "", 404,
       false, "nothing at"},
      {"traversal, encoded", "GET", "/..%2f..%2fetc%2fpasswd", "", "", 404,
       false, "nothing at"},
      {"traversal, plain", "GET", "/cids/../secureapp.db", "", "", 404, false,
       "nothing at"},
      {"traversal to the cids folder", "GET", "/cids/AAAAAAAFaGVsbG8", "", "",
       404, false, "nothing at"},
      {"encoded NUL", "GET", "/AAAAAAAFaGVsbG8%00.txt", "", "", 404, false,
       "nothing at"},
      {"encoded NUL in a name", "GET", "/servers/a%00b", "", "", 404, false,
       "no server named"},
      {"body over the limit, API", "POST", "/api/cids",
       std::string(kMaxBody + 1, 'x'), "application/octet-stream", 413, true,
       "over the limit"},
      {"body over the limit, JSON", "POST", "/servers",
       std::string(kMaxBody + 1, ' '), kJson, 413, true, "over the limit"},
      {"body over the limit, form", "POST", "/upload",
       "text=" + std::string(kMaxBody, 'x'), kForm, 413, false,
       "over the limit"},
      {"wrong method, fixed page", "DELETE", "/upload", "", "", 405, false,
       "not allowed"},
      {"wrong method, list", "PUT", "/servers", "{}", kJson, 405, true,
       "not allowed"},
      {"wrong method, entity", "PATCH", "/servers/dup", "{}", kJson, 405, true,
       "not allowed"},
      {"wrong method, history", "POST", "/history", "", kForm, 405, false,
       "not allowed"},
      {"wrong method, CID", "PUT", "/AAAAAAAFaGVsbG8", "x", "text/plain", 405,
       false, "not allowed on a CID"},
      {"bad history page", "GET", "/history?page=0", "", "", 400, false,
       "page must be"},
      {"bad history page, JSON", "GET", "/history.json?page=x", "", "", 400,
       true, "page must be"},
      {"bad history start", "GET", "/history.json?start=yesterday", "", "", 400,
       true, "start must be"},
      {"bad history end", "GET", "/history?end=2024-13-45", "", "", 400, false,
       "end must be"},
      {"interactions without a name", "GET",
       "/interactions.json?entity_type=server", "", "", 400, true, "required"},
      {"interactions of a bad type", "GET",
       "/interactions.json?entity_type=user&entity_name=x", "", "", 400, true,
       "entity_type must be"},
      {"cids.json bad limit", "GET", "/cids.json?limit=0", "", "", 400, true,
       "limit must be"},
      {"empty upload", "POST", "/upload", "text=", kForm, 400, false,
       "Choose a file"},
      {"unknown placeholder", "GET", "/broken", "", "", 422, false,
       "{{nowhere}}"},
      {"unknown page", "GET", "/no/such/page", "", "", 404, false, "nothing at"},
  };
  return cases;
}

// Everything a client can see of what is stored.
json Snapshot(ViewerFixture& v) {
  json s;
  const json status = ViewerFixture::Json(v.Get("/status.json"));
  for (const auto& t : status["tables"]) {
    s["rows"][t["name"].get<std::string>()] = t["rows"];
  }
  for (const char* path :
       {"/servers.json", "/aliases.json", "/variables.json", "/secrets.json",
        "/uploads.json", "/history.json", "/cids.json?limit=1000"}) {
    s[path] = ViewerFixture::Json(v.Get(path));
  }
  for (const char* path : {"/servers/dup.json", "/servers/other.json",
                           "/servers/broken.json", "/secrets/key.json"}) {
    s[path] = ViewerFixture::Json(v.Get(path));
  }
  return s;
}

httplib::Result Send(ViewerFixture& v, const BadRequest& c) {
  httplib::Request req;
  req.method = c.method;
  req.path = c.path;
  req.headers = c.headers;
  if (!c.content_type.empty()) {
    req.body = c.body;
    req.set_header("Content-Type", c.content_type);
  }
  return v.client().send(req);
}

class BadInputTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(BadInputTest, EveryBadRequestIsA4xxAndChangesNothing) {
  ViewerFixture v(GetParam(), {.max_body_bytes = kMaxBody});
  v.client().set_url_encode(false);  // send the paths exactly as written
  for (const auto& [kind, name, def] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"servers", "dup", "d"},
           {"servers", "other", "o"},
           {"servers", "broken", "x {{nowhere}} y"},
           {"secrets", "key", "v"}}) {
    ASSERT_EQ(Status(v.PostJson("/" + kind, {{"name", name}, {"definition", def}})),
              201);
  }
  ASSERT_EQ(Status(v.PostRaw("/api/cids", "stored bytes", "text/plain")), 201);
  ASSERT_EQ(Status(v.Get("/")), 200);  // one page view
  const json before = Snapshot(v);

  for (const BadRequest& c : Cases()) {
    SCOPED_TRACE(c.label + ": " + c.method + " " + c.path);
    httplib::Result r = Send(v, c);
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, c.status) << r->body.substr(0, 400);
    if (c.json) {
      EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
      json j = json::parse(r->body, nullptr, false);
      ASSERT_TRUE(j.is_object() && j["error"].is_string()) << r->body;
      EXPECT_THAT(j["error"].get<std::string>(), HasSubstr(c.message));
    } else {
      EXPECT_THAT(r->get_header_value("Content-Type"), HasSubstr("text/html"));
      EXPECT_THAT(r->body, HasSubstr("<!DOCTYPE html>"));
      EXPECT_THAT(r->body, HasSubstr(HtmlEscape(c.message)));
    }
    // Still answering.
    ASSERT_EQ(Status(v.Get("/status.json")), 200);
  }
  EXPECT_EQ(Snapshot(v), before);
}

TEST_P(BadInputTest, MalformedRequestsGetA4xx) {
  ViewerFixture v(GetParam(), {.max_body_bytes = kMaxBody});
  // (A body over the limit is drained before the 413 goes out, so it is
  // tested above with a client that sends it.)
  const std::vector<std::pair<std::string, int>> raw = {
      {"GARBAGE\r\n\r\n", 400},
      {"GET /\r\n\r\n", 400},
      {"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
       "boundary=\r\nContent-Length: 4\r\nConnection: close\r\n\r\nxxxx",
       400},
      {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414},
  };
  for (const auto& [request, status] : raw) {
    std::string response = RawExchange(v.port(), request, 1000);
    EXPECT_EQ(RawStatus(response), status)
        << request.substr(0, 80) << " -> " << response.substr(0, 200);
  }
  EXPECT_EQ(Status(v.Get("/status.json")), 200);
}

TEST_P(BadInputTest, BodyOfAGetIsNotTakenForTheNextRequest) {
  ViewerFixture v(GetParam());
  // httplib does not read a GET's body: viewer answers and closes, rather
  // than parse "GET /nope..." out of the body as a second request.
  std::string response = RawExchange(
      v.port(),
      "GET /status.json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 35\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\r\n\r\n",
      1000);
  EXPECT_EQ(RawStatus(response), 200);
  EXPECT_THAT(response, HasSubstr("Connection: close"));
  EXPECT_THAT(response, ::testing::Not(HasSubstr("404")));
}

INSTANTIATE_TEST_SUITE_P(Backends, BadInputTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
