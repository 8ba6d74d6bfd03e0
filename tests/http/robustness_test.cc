// Robustness: random requests never get a 5xx; the memory limit is a 507
// that changes nothing; concurrent clients see consistent results.
#include <random>
#include <string>
#include <thread>
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

class RobustnessTest : public ::testing::TestWithParam<BackendKind> {};

std::string RandomBytes(std::mt19937& rng, size_t max) {
  std::uniform_int_distribution<size_t> len(0, max);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string s(len(rng), '\0');
  for (char& c : s) c = static_cast<char>(byte(rng));
  return s;
}

std::string Pick(std::mt19937& rng, const std::vector<std::string>& options) {
  return options[std::uniform_int_distribution<size_t>(0, options.size() - 1)(rng)];
}

std::string RandomSegment(std::mt19937& rng) {
  switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
    case 0: return "x";
    case 1: return "name.json";
    case 2: return "AAAAAAAFaGVsbG8";
    case 3: return UrlEncode(RandomBytes(rng, 12));
    case 4: return "..%2f%00";
    default: return std::string(std::uniform_int_distribution<int>(0, 120)(rng), 'n');
  }
}

std::string RandomPath(std::mt19937& rng) {
  std::string path = Pick(rng, {"", "/servers", "/aliases", "/variables",
                                "/secrets", "/upload", "/uploads", "/api/cids",
                                "/history", "/search", "/status", "/cids.json",
                                "/interactions.json", "/static/style.css"});
  const int extra = std::uniform_int_distribution<int>(0, 3)(rng);
  for (int i = 0; i < extra; ++i) absl::StrAppend(&path, "/", RandomSegment(rng));
  if (path.empty()) path = "/";
  if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) path += ".json";
  if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) {
    absl::StrAppend(&path, "?",
                    Pick(rng, {"q", "page", "start", "end", "prefix", "limit",
                               "entity_type", "entity_name", "enabled"}),
                    "=", UrlEncode(RandomBytes(rng, 10)));
  }
  return path;
}

std::string RandomBody(std::mt19937& rng, std::string* content_type) {
  switch (std::uniform_int_distribution<int>(0, 6)(rng)) {
    case 0:
      *content_type = "application/json";
      return json({{"name", RandomSegment(rng)},
                   {"definition", ToValidUtf8(RandomBytes(rng, 40))}})
          .dump();
    case 1:
      *content_type = "application/json";
      return Pick(rng, {"{", "[]", "null", "{\"name\": []}", "{\"enabled\": 1}",
                        "{\"name\": \"a\", \"definition\": \"{{x}}\"}",
                        std::string(2000, '[')});
    case 2:
      *content_type = "application/x-www-form-urlencoded";
      return absl::StrCat("name=", UrlEncode(RandomBytes(rng, 8)),
                          "&definition=", UrlEncode(RandomBytes(rng, 30)),
                          "&enabled=", RandomSegment(rng), "&text=",
                          UrlEncode(RandomBytes(rng, 20)));
    case 3:
      *content_type = "multipart/form-data; boundary=XyZ";
      return absl::StrCat("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
                          "filename=\"a.bin\"\r\n\r\n",
                          RandomBytes(rng, 50), "\r\n--XyZ--\r\n");
    case 4:
      *content_type = "multipart/form-data; boundary=XyZ";
      return RandomBytes(rng, 100);
    case 5:
      *content_type = Pick(rng, {"text/plain", "application/octet-stream", ""});
      return RandomBytes(rng, 200);
    default:
      *content_type = "";
      return "";
  }
}

TEST_P(RobustnessTest, RandomRequestsNeverGetA5xx) {
  ViewerFixture v(GetParam(), {.max_body_bytes = 1500});
  v.client().set_url_encode(false);
  ASSERT_EQ(Status(v.PostJson("/servers", {{"name", "x"}, {"definition", "{{y}}"}})),
            201);
  ASSERT_EQ(Status(v.PostJson("/aliases", {{"name", "r"},
                                           {"definition", "[regex] /(a+)+b -> /t"}})),
            201);
  std::mt19937 rng(20240229);
  for (int i = 0; i < 400; ++i) {
    httplib::Request req;
    req.method = Pick(rng, {"GET", "GET", "HEAD", "POST", "POST", "PUT",
                            "DELETE", "PATCH", "OPTIONS"});
    req.path = RandomPath(rng);
    std::string content_type;
    if (req.method != "GET" && req.method != "HEAD") {
      req.body = RandomBody(rng, &content_type);
      if (!content_type.empty()) req.set_header("Content-Type", content_type);
    }
    if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
      req.set_header("Accept", "application/json");
    }
    httplib::Result r = v.client().send(req);
    ASSERT_TRUE(r) << i << " " << req.method << " " << req.path << ": "
                   << httplib::to_string(r.error());
    EXPECT_LT(r->status, 500) << i << " " << req.method << " " << req.path
                              << " -> " << r->body.substr(0, 300);
  }
  EXPECT_EQ(Status(v.Get("/status.json")), 200);
}

// Every row of every table, read straight from the store.
std::vector<std::vector<Row>> AllRows(Store& store) {
  std::vector<std::vector<Row>> out;
  auto txn = store.Begin(TransactionMode::kReadOnly);
  EXPECT_TRUE(txn.ok()) << txn.status();
  if (!txn.ok()) return out;
  for (const TableSchema& t : store.catalog().tables()) {
    auto rows = (*txn)->Select(t.name(), Query{});
    EXPECT_TRUE(rows.ok()) << rows.status();
    out.push_back(rows.ok() ? *rows : std::vector<Row>{});
  }
  return out;
}

TEST(MemoryLimitTest, FullStoreIs507AndChangesNothing) {
  ViewerFixture v(BackendKind::kMemory, {.max_body_bytes = 1 << 20,
                                         .byte_limit = 256 << 10});
  int status = 0;
  json before;
  std::vector<std::vector<Row>> rows_before;
  std::string body;
  for (int i = 0; i < 100 && status != 507; ++i) {
    before = ViewerFixture::Json(v.Get("/status.json"))["tables"];
    rows_before = AllRows(v.store());
    httplib::Result r = v.PostRaw("/api/cids",
                                  absl::StrCat(i, std::string(40 << 10, 'm')),
                                  "application/octet-stream");
    status = Status(r);
    body = Body(r);
    ASSERT_TRUE(status == 201 || status == 507) << status << " " << body;
  }
  ASSERT_EQ(status, 507);
  EXPECT_THAT(json::parse(body)["error"].get<std::string>(), HasSubstr(" "));
  // Nothing changed: every row of every table, and what /status.json says.
  ASSERT_FALSE(rows_before.empty());
  EXPECT_EQ(AllRows(v.store()), rows_before);
  json after = ViewerFixture::Json(v.Get("/status.json"))["tables"];
  ASSERT_TRUE(after.is_array());
  ASSERT_EQ(after.size(), v.store().catalog().tables().size()) << after.dump();
  ASSERT_EQ(after.size(), before.size());
  int64_t stored_rows = 0;
  for (size_t t = 0; t < after.size(); ++t) {
    EXPECT_EQ(after[t]["name"], before[t]["name"]);
    EXPECT_EQ(after[t]["rows"], before[t]["rows"]) << after[t]["name"];
    stored_rows += after[t]["rows"].get<int64_t>();
  }
  EXPECT_GT(stored_rows, 0);
  // Reads still work.
  EXPECT_EQ(Status(v.Get("/uploads.json")), 200);
}

TEST_P(RobustnessTest, ConcurrentClients) {
  ViewerFixture v(GetParam());
  constexpr int kThreads = 6, kEach = 15;
  std::vector<int> created(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", v.port());
      c.set_keep_alive(true);
      for (int i = 0; i < kEach; ++i) {
        httplib::Result r = c.Post(
            "/servers",
            json({{"name", absl::StrCat("s", t, "_", i)}, {"definition", "d"}})
                .dump(),
            "application/json");
        // A writer that waits past the busy timeout gets 503; nothing else.
        EXPECT_TRUE(r && (r->status == 201 || r->status == 503))
            << (r ? r->body : "no response");
        if (r && r->status == 201) ++created[t];
        httplib::Result list = c.Get("/servers.json");
        EXPECT_EQ(Status(list), 200);
        EXPECT_EQ(Status(c.Get("/AAAAAAAFaGVsbG8")), 200);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  int total = 0;
  for (int n : created) total += n;
  EXPECT_GT(total, 0);
  EXPECT_EQ(ViewerFixture::Json(v.Get("/servers.json"))["servers"].size(),
            static_cast<size_t>(total));
  EXPECT_EQ(ViewerFixture::Json(v.Get("/history.json"))["total"],
            kThreads * kEach);
}

INSTANTIATE_TEST_SUITE_P(Backends, RobustnessTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
