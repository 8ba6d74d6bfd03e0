// A whole viewer, in process, on a free port of 127.0.0.1, around a store
// of either backend (memory or SQLite in a temporary folder), a manual
// clock and (optionally) the project's own cids/ folder.
//
//   class MyTest : public ::testing::TestWithParam<BackendKind> {};
//   TEST_P(MyTest, Lists) {
//     ViewerFixture v(GetParam());
//     httplib::Result r = v.PostJson("/servers", {{"name", "a"},
//                                                 {"definition", "x"}});
//     ASSERT_EQ(Status(r), 201);
//     EXPECT_EQ(v.Json(v.Get("/servers.json"))["servers"].size(), 1);
//   }
//
// The client keeps one connection alive; it is closed before the server
// stops, so stopping is immediate.
#ifndef VIEWER_TESTS_HTTP_VIEWER_FIXTURE_H_
#define VIEWER_TESTS_HTTP_VIEWER_FIXTURE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "app/cid_directory.h"
#include "http/server.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/storage/backends.h"

namespace viewer::testing {

struct FixtureOptions {
  // Request bodies past this get 413 (small, so the limit is cheap to hit).
  uint64_t max_body_bytes = 1 << 20;
  // Serve the project's cids/ folder (VIEWER_SOURCE_DIR "/cids").
  bool project_cids = true;
  // Memory engine byte limit; 0: none.
  int64_t byte_limit = 0;
  // A read-only demo session (ViewerOptions::read_only).
  bool read_only = false;
  // POST /api/dump's callback and file (ViewerOptions::dump, dump_path).
  std::function<absl::Status()> dump;
  std::string dump_path;
  // Host names accepted besides 127.0.0.1 (ViewerOptions::allowed_hosts).
  std::vector<std::string> allowed_hosts;
  // Connection limits (ViewerOptions); 0 / zero duration: the default.
  size_t max_connections = 0;
  size_t max_connections_per_client = 0;
  uint64_t max_buffered_bytes = 0;
  absl::Duration request_timeout;
  // Request logging (ViewerOptions::log_requests) into `log`; null: lines
  // are dropped.
  bool log_requests = false;
  std::function<void(absl::string_view)> log;
};

class ViewerFixture {
 public:
  explicit ViewerFixture(BackendKind kind, FixtureOptions options = {});
  ~ViewerFixture();

  BackendKind kind() const { return harness_.kind(); }
  Store& store() { return harness_.store(); }
  ManualClock& clock() { return harness_.clock(); }
  CidDirectory* cids() { return cids_.get(); }
  int port() const { return server_->port(); }
  httplib::Client& client() { return *client_; }

  httplib::Result Get(const std::string& path, httplib::Headers headers = {});
  // GET with Accept: application/json.
  httplib::Result GetJson(const std::string& path);
  httplib::Result Head(const std::string& path, httplib::Headers headers = {});
  httplib::Result PostJson(const std::string& path, const nlohmann::json& body);
  httplib::Result PutJson(const std::string& path, const nlohmann::json& body);
  httplib::Result Delete(const std::string& path);
  // application/x-www-form-urlencoded.
  httplib::Result PostForm(const std::string& path,
                           const httplib::Params& fields);
  httplib::Result PostRaw(const std::string& path, const std::string& body,
                          const std::string& content_type);

  // The body as JSON; fails the test (and returns null) if it is not.
  static nlohmann::json Json(const httplib::Result& result);
  // Rows per table from /status.json, as {"server": 2, ...}; a failure is
  // added when the answer does not list every table (kAppTableCount).
  nlohmann::json RowsPerTable();

 private:
  StoreHarness harness_;
  std::unique_ptr<CidDirectory> cids_;
  std::unique_ptr<ViewerServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

// The status of a result, or -1 when there was no response.
int Status(const httplib::Result& result);
// The body of a result, or "" when there was no response.
std::string Body(const httplib::Result& result);

// A socket connected to 127.0.0.1:port, or -1.
int ConnectLoopback(int port);

// Sends `request` (raw bytes) to 127.0.0.1:port and returns everything the
// server sends back until it closes the connection or `timeout_ms` passes.
std::string RawExchange(int port, const std::string& request,
                        int timeout_ms = 2000);
// The status code of a raw HTTP response, or -1.
int RawStatus(const std::string& response);

// The project's cids/ folder.
std::string ProjectCidsDir();

// The mode viewer gives a store of this backend (memory, disk, postgresql).
StoreMode ModeOf(BackendKind kind);

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_HTTP_VIEWER_FIXTURE_H_
