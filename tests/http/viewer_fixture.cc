#include "tests/http/viewer_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "absl/strings/numbers.h"
#include "app/schemas.h"
#include "gtest/gtest.h"

namespace viewer::testing {

std::string ProjectCidsDir() { return std::string(VIEWER_SOURCE_DIR) + "/cids"; }

StoreMode ModeOf(BackendKind kind) {
  switch (kind) {
    case BackendKind::kMemory:
      return StoreMode::kMemory;
    case BackendKind::kPostgres:
      return StoreMode::kPostgres;
    case BackendKind::kSqlite:
      break;
  }
  return StoreMode::kDisk;
}

ViewerFixture::ViewerFixture(BackendKind kind, FixtureOptions options)
    : harness_(kind, AppCatalog(), {.byte_limit = options.byte_limit}) {
  if (options.project_cids) {
    auto dir = CidDirectory::Open({.path = ProjectCidsDir()});
    EXPECT_TRUE(dir.ok()) << dir.status();
    if (dir.ok()) cids_ = *std::move(dir);
  }
  ViewerOptions server_options{
      .store = {.store = &harness_.store(), .mode = ModeOf(kind)},
      .clock = &harness_.clock(),
      .cids = cids_.get(),
      .max_body_bytes = options.max_body_bytes,
      .threads = 4,
      .log_requests = options.log_requests,
      .log = options.log ? options.log : [](absl::string_view) {},
      .read_only = options.read_only,
      .dump = options.dump,
      .dump_path = options.dump_path,
      .allowed_hosts = options.allowed_hosts};
  if (options.max_connections > 0) {
    server_options.max_connections = options.max_connections;
  }
  if (options.max_connections_per_client > 0) {
    server_options.max_connections_per_client =
        options.max_connections_per_client;
  }
  server_options.max_buffered_bytes = options.max_buffered_bytes;
  if (options.request_timeout > absl::ZeroDuration()) {
    server_options.request_timeout = options.request_timeout;
  }
  server_ = std::make_unique<ViewerServer>(std::move(server_options));
  absl::Status bound = server_->Bind("127.0.0.1", 0);
  EXPECT_TRUE(bound.ok()) << bound;
  absl::Status started = server_->Start();
  EXPECT_TRUE(started.ok()) << started;
  client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);
  client_->set_read_timeout(10, 0);
}

ViewerFixture::~ViewerFixture() {
  client_->stop();
  client_.reset();
  server_->Stop();
}

httplib::Result ViewerFixture::Get(const std::string& path,
                                   httplib::Headers headers) {
  return client_->Get(path, headers);
}

httplib::Result ViewerFixture::GetJson(const std::string& path) {
  return client_->Get(path, {{"Accept", "application/json"}});
}

httplib::Result ViewerFixture::Head(const std::string& path,
                                    httplib::Headers headers) {
  return client_->Head(path, headers);
}

httplib::Result ViewerFixture::PostJson(const std::string& path,
                                        const nlohmann::json& body) {
  return client_->Post(path, body.dump(), "application/json");
}

httplib::Result ViewerFixture::PutJson(const std::string& path,
                                       const nlohmann::json& body) {
  return client_->Put(path, body.dump(), "application/json");
}

httplib::Result ViewerFixture::Delete(const std::string& path) {
  return client_->Delete(path, {{"Accept", "application/json"}});
}

httplib::Result ViewerFixture::PostForm(const std::string& path,
                                        const httplib::Params& fields) {
  return client_->Post(path, fields);
}

httplib::Result ViewerFixture::PostRaw(const std::string& path,
                                       const std::string& body,
                                       const std::string& content_type) {
  return client_->Post(path, body, content_type);
}

nlohmann::json ViewerFixture::RowsPerTable() {
  nlohmann::json rows = nlohmann::json::object();
  // Held in a variable: a range-for over a member of a temporary would
  // iterate a destroyed object.
  const nlohmann::json status = Json(Get("/status.json"));
  if (status.is_object() && status.contains("tables")) {
    for (const nlohmann::json& t : status["tables"]) {
      rows[t["name"].get<std::string>()] = t["rows"];
    }
  }
  EXPECT_EQ(rows.size(), kAppTableCount)
      << "tables in /status.json: " << status.dump();
  return rows;
}

nlohmann::json ViewerFixture::Json(const httplib::Result& result) {
  if (!result) {
    ADD_FAILURE() << "no response: " << httplib::to_string(result.error());
    return nullptr;
  }
  nlohmann::json j = nlohmann::json::parse(result->body, nullptr, false);
  if (j.is_discarded()) {
    ADD_FAILURE() << "not JSON: " << result->body.substr(0, 300);
    return nullptr;
  }
  return j;
}

int Status(const httplib::Result& result) {
  return result ? result->status : -1;
}

std::string Body(const httplib::Result& result) {
  return result ? result->body : "";
}

int ConnectLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

std::string RawExchange(int port, const std::string& request, int timeout_ms) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return "";
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = send(fd, request.data() + sent, request.size() - sent,
                     MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string response;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    response.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return response;
}

int RawStatus(const std::string& response) {
  // "HTTP/1.1 404 Not Found"
  if (response.size() < 12 || response.compare(0, 5, "HTTP/") != 0) return -1;
  int status = -1;
  if (!absl::SimpleAtoi(response.substr(9, 3), &status)) return -1;
  return status;
}

}  // namespace viewer::testing
