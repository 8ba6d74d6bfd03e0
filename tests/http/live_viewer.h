// LiveViewer: the real `viewer` binary running on a free port of 127.0.0.1,
// for end-to-end, load and fault tests. The project's cids/
// folder is served; DATABASE_URL is removed unless `env` sets it.
//
//   TempDir dir;
//   LiveViewer v({"--in-memory-db", "--max-memory", "2M"}, {}, dir.path());
//   ASSERT_TRUE(v.started()) << v.child().Stderr();
//   std::unique_ptr<httplib::Client> c = v.Client();
//   httplib::Result r = c->Get("/status.json");
//   EXPECT_EQ(v.Stop(), 0);   // SIGTERM, then the exit code
//
// Thread safety: one thread drives a LiveViewer; Client()s may be used from
// one thread each.
#ifndef VIEWER_TESTS_HTTP_LIVE_VIEWER_H_
#define VIEWER_TESTS_HTTP_LIVE_VIEWER_H_

#include <signal.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/http/process.h"
#include "tests/temp_dir.h"

namespace viewer::testing {

// The viewer binary under test.
const char* ViewerBinary();

class LiveViewer {
 public:
  // Starts `viewer --port 0 --cids-dir <project cids> ARGS` in `cwd` (a
  // fresh temporary folder when empty) and waits for its "listening on"
  // line.
  LiveViewer(std::vector<std::string> args,
             std::map<std::string, std::optional<std::string>> env = {},
             std::string cwd = "");

  // True once the viewer printed its address.
  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  ChildProcess& child() { return *child_; }
  const std::string& cwd() const { return cwd_; }

  // A new keep-alive client of this viewer (10 s read timeout).
  std::unique_ptr<httplib::Client> Client() const;

  // Sends `sig` and returns the exit code (128+signal when killed).
  int Stop(int sig = SIGTERM, int timeout_ms = 30000) {
    return child_->Stop(sig, timeout_ms);
  }

 private:
  TempDir work_;
  TempDir logs_;
  std::string cwd_;
  std::unique_ptr<ChildProcess> child_;
  int port_ = -1;
};

// The JSON body of `r`, or null (with a test failure) when it is not JSON.
nlohmann::json JsonOf(const httplib::Result& r);

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_HTTP_LIVE_VIEWER_H_
