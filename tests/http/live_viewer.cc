#include "tests/http/live_viewer.h"

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"

namespace viewer::testing {

const char* ViewerBinary() { return VIEWER_BINARY; }

LiveViewer::LiveViewer(std::vector<std::string> args,
                       std::map<std::string, std::optional<std::string>> env,
                       std::string cwd)
    : cwd_(cwd.empty() ? work_.path() : std::move(cwd)) {
  std::vector<std::string> argv = {ViewerBinary(), "--port", "0", "--cids-dir",
                                   std::string(VIEWER_SOURCE_DIR) + "/cids"};
  argv.insert(argv.end(), args.begin(), args.end());
  if (!env.count("DATABASE_URL")) env["DATABASE_URL"] = std::nullopt;
  child_ = std::make_unique<ChildProcess>(
      argv, ChildOptions{.cwd = cwd_, .logs = logs_.path(), .env = env});
  // "http://127.0.0.1:41203 (Ctrl-C to stop)"
  std::optional<std::string> url = child_->WaitForLine("listening on ", 30000);
  if (!url) return;
  const size_t colon = url->rfind(':', url->find(' '));
  int port = -1;
  if (colon != std::string::npos &&
      absl::SimpleAtoi(url->substr(colon + 1, url->find(' ') - colon - 1),
                       &port)) {
    port_ = port;
  }
}

std::unique_ptr<httplib::Client> LiveViewer::Client() const {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client->set_keep_alive(true);
  client->set_tcp_nodelay(true);
  client->set_read_timeout(30, 0);
  client->set_write_timeout(30, 0);
  return client;
}

nlohmann::json JsonOf(const httplib::Result& r) {
  if (!r) {
    ADD_FAILURE() << "no response: " << httplib::to_string(r.error());
    return nullptr;
  }
  nlohmann::json j = nlohmann::json::parse(r->body, nullptr, false);
  if (j.is_discarded()) {
    ADD_FAILURE() << "not JSON (" << r->status
                  << "): " << r->body.substr(0, 300);
    return nullptr;
  }
  return j;
}

}  // namespace viewer::testing
