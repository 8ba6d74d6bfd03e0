// End-to-end tests of the real `viewer` binary: the command line, start-up
// lines, signals, disk mode, and the promise that a memory session writes
// nothing anywhere (checked by listing its working directory and, with
// strace, by every open/create/rename/unlink it makes).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "app/cid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/http/process.h"
#include "tests/http/viewer_fixture.h"
#include "tests/temp_dir.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using json = nlohmann::json;

const char* const kViewer = VIEWER_BINARY;

int PortOf(const std::string& url) {
  // "http://127.0.0.1:41203 (Ctrl-C to stop)"
  size_t colon = url.rfind(':', url.find(' '));
  int port = -1;
  absl::SimpleAtoi(url.substr(colon + 1, url.find(' ') - colon - 1), &port);
  return port;
}

// The IPv4 TCP sockets of this machine (/proc/net/tcp) on 127.0.0.1 with
// local port `local`: for each, its remote port, state (0x0A: listening,
// 0x01: established) and inode (0 while a connection waits in the listen
// queue, unaccepted).
struct TcpSocket {
  int remote_port;
  int state;
  long inode;
};
std::vector<TcpSocket> LoopbackSockets(int local) {
  std::vector<TcpSocket> out;
  std::ifstream in("/proc/net/tcp");
  std::string line;
  std::getline(in, line);  // the header
  const std::string want =
      absl::StrCat("0100007F:", absl::Hex(local, absl::kZeroPad4));
  while (std::getline(in, line)) {
    std::vector<std::string> f =
        absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (f.size() < 10 || !absl::EqualsIgnoreCase(f[1], want)) continue;
    TcpSocket s{0, 0, 0};
    const std::vector<std::string> remote = absl::StrSplit(f[2], ':');
    if (remote.size() != 2 || !absl::SimpleHexAtoi(remote[1], &s.remote_port) ||
        !absl::SimpleHexAtoi(f[3], &s.state) ||
        !absl::SimpleAtoi(f[9], &s.inode)) {
      continue;
    }
    out.push_back(s);
  }
  return out;
}

// Waits (up to 10 s) until `done()`; false if it never was.
bool Eventually(const std::function<bool()>& done) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// One run of `viewer`, in `cwd`, with its output in a separate folder.
struct ViewerRun {
  ViewerRun(std::vector<std::string> args,
      std::map<std::string, std::optional<std::string>> env = {},
      std::string cwd = "", std::vector<std::string> wrapper = {}) {
    std::vector<std::string> argv = wrapper;
    argv.push_back(kViewer);
    argv.insert(argv.end(), args.begin(), args.end());
    if (!env.count("DATABASE_URL")) env["DATABASE_URL"] = std::nullopt;
    child = std::make_unique<ChildProcess>(
        argv, ChildOptions{.cwd = cwd.empty() ? work.path() : cwd,
                           .logs = logs.path(),
                           .env = env});
  }
  TempDir work;
  TempDir logs;
  std::unique_ptr<ChildProcess> child;
};

std::vector<std::string> NonEmptyLines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

TEST(ViewerBinaryTest, HelpAndVersion) {
  ViewerRun help({"--help"});
  EXPECT_EQ(help.child->Wait(), 0);
  EXPECT_THAT(help.child->Stdout(), HasSubstr("--in-memory-db"));
  EXPECT_THAT(help.child->Stdout(), HasSubstr("DATABASE_URL"));
  ViewerRun version({"--version"});
  EXPECT_EQ(version.child->Wait(), 0);
  EXPECT_THAT(version.child->Stdout(), HasSubstr("viewer 0."));
}

TEST(ViewerBinaryTest, BadCommandLinesAreOneLineErrors) {
  struct Case {
    std::vector<std::string> args;
    std::optional<std::string> database_url;
    std::string message;
  };
  const Case cases[] = {
      {{"--nope"}, std::nullopt, "nope"},
      {{"--port", "http"}, std::nullopt, "--port must be"},
      {{"extra"}, std::nullopt, "unexpected argument 'extra'"},
      {{},
       "mysql://me:pw@localhost/viewer",
       "unsupported DATABASE_URL 'mysql://me:***@"},
      {{}, "sqlite:///:memory:", "use --in-memory-db"},
  };
  for (const Case& c : cases) {
    ViewerRun run(c.args, {{"DATABASE_URL", c.database_url}});
    EXPECT_EQ(run.child->Wait(), 2) << c.message;
    std::vector<std::string> lines = NonEmptyLines(run.child->Stderr());
    ASSERT_EQ(lines.size(), 1u) << run.child->Stderr();
    EXPECT_THAT(lines[0], HasSubstr("viewer: error: "));
    EXPECT_THAT(lines[0], HasSubstr(c.message));
    EXPECT_THAT(ListTree(run.work.path()), IsEmpty());
  }
}

TEST(ViewerBinaryTest, PortInUseIsAnError) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string port = std::to_string(ntohs(addr.sin_port));
  ViewerRun run({"--in-memory-db", "--port", port});
  EXPECT_EQ(run.child->Wait(), 1);
  std::vector<std::string> lines = NonEmptyLines(run.child->Stderr());
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines.back(),
              HasSubstr("cannot listen on 127.0.0.1:" + port +
                        ": Address already in use"));
  close(fd);
}

// A whole session: every kind created, edited, enabled and deleted, CIDs
// uploaded and served, an alias followed, a server run, search, history.
void DriveSession(int port) {
  httplib::Client c("127.0.0.1", port);
  auto post = [&](const std::string& path, json body) {
    httplib::Result r = c.Post(path, body.dump(), "application/json");
    EXPECT_EQ(Status(r), 201) << path << " " << Body(r);
  };
  post("/variables", {{"name", "who"}, {"definition", "Ada"}});
  post("/secrets", {{"name", "TOKEN"}, {"definition", "t0k3n"}});
  post("/servers", {{"name", "hi"}, {"definition", "Hi {{who}} {{request.query.x}}"}});
  post("/aliases", {{"name", "go"}, {"definition", "go -> /hi"}});
  EXPECT_EQ(Status(c.Post("/servers/new", httplib::Params{{"name", "f"},
                                                          {"definition", "form"}})),
            303);
  EXPECT_EQ(Status(c.Put("/variables/who", json({{"definition", "Bob"}}).dump(),
                         "application/json")),
            200);
  EXPECT_EQ(Status(c.Post("/secrets/TOKEN/enabled",
                          httplib::Params{{"enabled", "0"}})),
            303);
  httplib::Result alias = c.Get("/go?x=1");
  ASSERT_EQ(Status(alias), 302);
  httplib::Result run = c.Get(alias->get_header_value("Location"));
  ASSERT_EQ(Status(run), 302);
  httplib::Result out = c.Get(run->get_header_value("Location"));
  EXPECT_EQ(Body(out), "Hi Bob 1");
  httplib::Result up = c.Post(
      "/upload", httplib::MultipartFormDataItems{{"file", "file bytes", "a.txt",
                                                  "text/plain"}});
  EXPECT_EQ(Status(up), 303);
  EXPECT_EQ(Body(c.Get(up->get_header_value("Location"))), "file bytes");
  EXPECT_EQ(Status(c.Post("/api/cids", std::string(5000, 'b'), "text/plain")), 201);
  for (const char* page : {"/", "/servers", "/servers/hi", "/aliases",
                           "/variables", "/secrets/TOKEN", "/uploads", "/upload",
                           "/history", "/search?q=hi", "/status", "/status.json",
                           "/static/style.css", "/cids.json?prefix=A"}) {
    EXPECT_EQ(Status(c.Get(page)), 200) << page;
  }
  EXPECT_EQ(Status(c.Delete("/aliases/go")), 204);
  EXPECT_EQ(Status(c.Post("/servers/f/delete", httplib::Params{})), 303);
  EXPECT_EQ(Status(c.Get("/nothing-here")), 404);
}

std::map<std::string, std::filesystem::file_time_type> Stamps(
    const std::string& dir) {
  std::map<std::string, std::filesystem::file_time_type> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    out[entry.path().filename().string()] = entry.last_write_time();
  }
  return out;
}

TEST(ViewerBinaryTest, MemorySessionWritesNothingAndSaysWhatItDiscards) {
  const auto cids_before = Stamps(ProjectCidsDir());
  ViewerRun run({"--in-memory-db", "--port", "0", "--cids-dir", ProjectCidsDir()},
          {{"DATABASE_URL", "sqlite:///would-be-created.db"}});
  std::optional<std::string> url = run.child->WaitForLine("listening on ");
  ASSERT_TRUE(url.has_value()) << run.child->Stdout() << run.child->Stderr();
  DriveSession(PortOf(*url));
  EXPECT_EQ(run.child->Stop(SIGTERM), 0);

  const std::string out = run.child->Stdout();
  const std::string err = run.child->Stderr();
  EXPECT_THAT(err, HasSubstr("WARNING: in-memory database"));
  EXPECT_THAT(err, HasSubstr("lost when viewer stops"));
  EXPECT_THAT(err, HasSubstr("only read"));
  for (const std::string& line : NonEmptyLines(out)) {
    EXPECT_THAT(line, HasSubstr("viewer [memory] "));  // the mode on every line
  }
  EXPECT_THAT(out, HasSubstr("starting in memory mode"));
  EXPECT_THAT(out, HasSubstr("--in-memory-db wins over DATABASE_URL="
                             "sqlite:///would-be-created.db"));
  EXPECT_THAT(out, HasSubstr(absl::StrCat("cids: ",
                                          ListTree(ProjectCidsDir()).size(),
                                          " files in ")));
  EXPECT_THAT(out, HasSubstr("SIGTERM: finishing requests in progress"));
  EXPECT_THAT(out, HasSubstr("discarding the in-memory database: "));
  EXPECT_THAT(out, HasSubstr("server 1,"));
  EXPECT_THAT(out, HasSubstr("CIDs created this session"));

  EXPECT_THAT(ListTree(run.work.path()), IsEmpty());
  EXPECT_EQ(Stamps(ProjectCidsDir()), cids_before);
}

// The flags of open/openat that mean writing, and the calls that change
// the file system.
bool WritesSomething(const std::string& line) {
  for (const char* flag : {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC",
                           "O_APPEND", "O_TMPFILE"}) {
    if (absl::StrContains(line, flag)) return true;
  }
  for (const char* call : {"creat(", "mkdir(", "mkdirat(", "rename(",
                           "renameat(", "renameat2(", "unlink(", "unlinkat(",
                           "link(", "linkat(", "symlink(", "symlinkat(",
                           "truncate("}) {
    // Lines are "PID call(args) = result".
    if (absl::StrContains(line, std::string(" ") + call)) return true;
  }
  return false;
}

TEST(ViewerBinaryTest, MemorySessionOpensNothingForWritingUnderStrace) {
  // A test that cannot run what it needs fails and says why (test.sh
  // installs strace).
  if (access("/usr/bin/strace", X_OK) != 0) {
    GTEST_FAIL() << "strace is not installed (Debian: apt-get install strace)";
  }
  if (std::string(VIEWER_SANITIZE_NAME) == "thread") {
    GTEST_SKIP() << "the thread sanitizer's runtime writes files of its own "
                    "(/tmp/tsan.rodata.*)";
  }
  TempDir trace_dir;
  const std::string trace = trace_dir.path() + "/trace.txt";
  // LeakSanitizer (in sanitizer builds) cannot run under ptrace.
  ViewerRun run({"--in-memory-db", "--port", "0", "--cids-dir", ProjectCidsDir()},
          {{"ASAN_OPTIONS", "detect_leaks=0"}}, "",
          {"/usr/bin/strace", "-f", "-qq", "-o", trace, "-e",
           "trace=open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,"
           "renameat2,unlink,unlinkat,link,linkat,symlink,symlinkat,truncate"});
  std::optional<std::string> url = run.child->WaitForLine("listening on ", 20000);
  if (!url && absl::StrContains(run.child->Stderr(), "ptrace")) {
    GTEST_FAIL() << "strace cannot trace here: " << run.child->Stderr();
  }
  ASSERT_TRUE(url.has_value()) << run.child->Stdout() << run.child->Stderr();
  DriveSession(PortOf(*url));
  // Signal viewer itself (strace's child), not strace.
  std::ifstream children(absl::StrCat("/proc/", run.child->pid(), "/task/",
                                      run.child->pid(), "/children"));
  pid_t viewer_pid = 0;
  children >> viewer_pid;
  ASSERT_GT(viewer_pid, 0);
  kill(viewer_pid, SIGTERM);
  EXPECT_EQ(run.child->Wait(20000), 0) << run.child->Stderr();
  EXPECT_THAT(run.child->Stdout(), HasSubstr("discarding the in-memory"));

  std::ifstream in(trace);
  std::string line;
  int opens = 0;
  std::vector<std::string> writes;
  while (std::getline(in, line)) {
    if (absl::StrContains(line, "open")) ++opens;
    // The dynamic loader and runtime open libraries read-only; anything
    // that writes or changes the file system is a broken promise.
    if (WritesSomething(line)) writes.push_back(line);
  }
  EXPECT_GT(opens, 0) << "the trace recorded nothing";
  EXPECT_THAT(writes, IsEmpty());
  EXPECT_THAT(ListTree(run.work.path()), IsEmpty());
}

TEST(ViewerBinaryTest, DiskModeKeepsDataAcrossRestarts) {
  TempDir work;
  const std::map<std::string, std::optional<std::string>> env = {
      {"DATABASE_URL", "sqlite:///data.db"}};
  {
    ViewerRun first({"--port", "0", "--cids-dir", ProjectCidsDir()}, env, work.path());
    std::optional<std::string> url = first.child->WaitForLine("listening on ");
    ASSERT_TRUE(url.has_value()) << first.child->Stderr();
    httplib::Client c("127.0.0.1", PortOf(*url));
    ASSERT_EQ(Status(c.Post("/servers",
                            json({{"name", "kept"}, {"definition", "d"}}).dump(),
                            "application/json")),
              201);
    EXPECT_EQ(first.child->Stop(SIGINT), 0);
    EXPECT_THAT(first.child->Stdout(), HasSubstr("viewer [disk] "));
    EXPECT_THAT(first.child->Stdout(), HasSubstr("everything is kept in data.db"));
    EXPECT_THAT(first.child->Stderr(), Not(HasSubstr("WARNING")));
  }
  EXPECT_TRUE(std::filesystem::exists(work.path() + "/data.db"));
  ViewerRun second({"--port", "0", "--cids-dir", ProjectCidsDir()}, env, work.path());
  std::optional<std::string> url = second.child->WaitForLine("listening on ");
  ASSERT_TRUE(url.has_value()) << second.child->Stderr();
  httplib::Client c("127.0.0.1", PortOf(*url));
  EXPECT_EQ(Status(c.Get("/servers/kept.json")), 200);
  EXPECT_EQ(second.child->Stop(SIGTERM), 0);
}

TEST(ViewerBinaryTest, StopLetsTheRequestInProgressFinish) {
  ViewerRun run({"--in-memory-db", "--port", "0", "--cids-dir", ProjectCidsDir()});
  std::optional<std::string> url = run.child->WaitForLine("listening on ");
  ASSERT_TRUE(url.has_value());
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(PortOf(*url)));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  const std::string head =
      "POST /api/cids HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n"
      "Connection: close\r\n\r\nhalf-";
  ASSERT_EQ(send(fd, head.data(), head.size(), 0),
            static_cast<ssize_t>(head.size()));
  // The server has accepted this connection (its end has an inode): the
  // request is in progress, half its body still to come.
  sockaddr_in mine{};
  socklen_t mine_size = sizeof(mine);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&mine), &mine_size), 0);
  const int port = PortOf(*url), client_port = ntohs(mine.sin_port);
  ASSERT_TRUE(Eventually([&] {
    for (const TcpSocket& s : LoopbackSockets(port)) {
      if (s.remote_port == client_port && s.inode != 0) return true;
    }
    return false;
  })) << "the server never accepted the connection";
  kill(run.child->pid(), SIGTERM);
  // The server has stopped: it says so, and its listening socket is gone.
  ASSERT_TRUE(run.child->WaitForLine("SIGTERM: finishing requests in progress")
                  .has_value())
      << run.child->Stdout();
  ASSERT_TRUE(Eventually([&] {
    for (const TcpSocket& s : LoopbackSockets(port)) {
      if (s.state == 0x0A) return false;
    }
    return true;
  })) << "the server kept listening after SIGTERM";
  ASSERT_EQ(send(fd, "done!", 5, 0), 5);
  std::string response;
  char buf[1024];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) response.append(buf, n);
  close(fd);
  EXPECT_EQ(RawStatus(response), 201) << response;
  EXPECT_THAT(response, HasSubstr(ComputeCid("half-done!")));
  EXPECT_EQ(run.child->Wait(), 0);
  EXPECT_THAT(run.child->Stdout(), HasSubstr("cid 1,"));
}

}  // namespace
}  // namespace viewer::testing
