// Runs the viewer binary (or any program) as a child process for
// end-to-end tests: its own working directory and environment, standard
// output and error captured in files.
//
//   ChildProcess viewer({VIEWER_BINARY, "--in-memory-db", "--port", "0"},
//                       {.cwd = dir.path(), .logs = logs.path()});
//   std::string url = viewer.WaitForLine("listening on ");
//   ...
//   int code = viewer.Stop(SIGTERM);   // exit code
//   EXPECT_THAT(viewer.Stdout(), HasSubstr("discarding"));
#ifndef VIEWER_TESTS_HTTP_PROCESS_H_
#define VIEWER_TESTS_HTTP_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace viewer::testing {

struct ChildOptions {
  // Working directory of the child.
  std::string cwd = ".";
  // Where stdout.txt and stderr.txt go (must not be `cwd` when a test
  // checks that the child wrote nothing there).
  std::string logs;
  // Environment changes: a value sets the variable, nullopt removes it.
  std::map<std::string, std::optional<std::string>> env;
};

class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, ChildOptions options);
  ~ChildProcess();  // SIGKILLs the child if it is still running.
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Waits (up to timeout_ms) for a stdout line containing `marker`; returns
  // the rest of that line after the marker, or nullopt if the child exited
  // or time ran out.
  std::optional<std::string> WaitForLine(const std::string& marker,
                                         int timeout_ms = 10000);
  // Waits for the child to exit (up to timeout_ms; SIGKILL after) and
  // returns its exit code (128+signal when killed by a signal).
  int Wait(int timeout_ms = 10000);
  // Sends `sig`, then Wait().
  int Stop(int sig, int timeout_ms = 10000);

  std::string Stdout() const;
  std::string Stderr() const;

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_code_ = -1;
  std::string stdout_path_;
  std::string stderr_path_;
};

// Every file and folder under `dir`, relative, sorted (empty for none).
std::vector<std::string> ListTree(const std::string& dir);

// A TCP port on 127.0.0.1 that nothing listens on right now.
int FreePort();

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_HTTP_PROCESS_H_
