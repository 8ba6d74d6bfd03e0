// End-to-end tests of the `cid` command-line tool (tools/cid), run as a
// separate process; VIEWER_CID_TOOL is the path of the built binary.
#include <stdio.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "app/cid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/cid_test_util.h"

namespace viewer {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::viewer::testing::ReadFileOrDie;
using ::viewer::testing::ScopedTempDir;
using ::viewer::testing::WriteFileOrDie;

struct RunResult {
  int exit_code = -1;
  std::string out;  // Standard output and standard error, interleaved.
};

// Runs the tool with `args`, already shell-quoted where needed.
RunResult RunCid(const std::string& args) {
  const std::string command =
      std::string("'") + VIEWER_CID_TOOL + "' " + args + " 2>&1";
  RunResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed for " << command;
    return result;
  }
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    result.out.append(buffer, n);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string Quote(const std::string& path) { return "'" + path + "'"; }

std::vector<std::string> ListFolder(const std::string& path) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class CidToolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = work_.path() + "/a.txt";
    b_ = work_.path() + "/b.bin";
    big_ = std::string(70000, 'q');
    WriteFileOrDie(a_, "hello");
    WriteFileOrDie(b_, big_);
    store_ = work_.path() + "/store";
    std::filesystem::create_directory(store_);
  }

  ScopedTempDir work_;
  std::string a_, b_, big_, store_;
};

TEST_F(CidToolTest, ComputePrintsCidAndFile) {
  RunResult r = RunCid("compute " + Quote(a_) + " " + Quote(b_));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "AAAAAAAFaGVsbG8  " + a_ + "\n" + ComputeCid(big_) + "  " +
                       b_ + "\n");
}

TEST_F(CidToolTest, ComputeOfAMissingFileFails) {
  RunResult r = RunCid("compute " + Quote(a_) + " " + Quote(a_ + ".missing"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("AAAAAAAFaGVsbG8  " + a_ + "\n"));
  EXPECT_THAT(r.out, HasSubstr("cannot open " + a_ + ".missing"));
}

TEST_F(CidToolTest, AddCopiesUnderCidNamesOnce) {
  RunResult r =
      RunCid("add " + Quote(a_) + " " + Quote(b_) + " --dir " + Quote(store_));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("AAAAAAAFaGVsbG8  " + a_ + "  added\n"));
  std::vector<std::string> expected = {"AAAAAAAFaGVsbG8", ComputeCid(big_)};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ListFolder(store_), expected) << "no temp files may be left";
  EXPECT_EQ(ReadFileOrDie(store_ + "/" + ComputeCid(big_)), big_);

  r = RunCid("add --dir=" + Quote(store_) + " " + Quote(a_));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "AAAAAAAFaGVsbG8  " + a_ + "  already present\n");

  // A damaged copy under the right name is replaced with the right bytes.
  WriteFileOrDie(store_ + "/" + ComputeCid(big_), "damaged");
  r = RunCid("add " + Quote(b_) + " --dir " + Quote(store_));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("replaced a damaged copy"));
  EXPECT_EQ(ReadFileOrDie(store_ + "/" + ComputeCid(big_)), big_);
  EXPECT_EQ(ListFolder(store_), expected);
}

TEST_F(CidToolTest, VerifyPassesThenFailsOnABadFile) {
  ASSERT_EQ(
      RunCid("add " + Quote(a_) + " " + Quote(b_) + " --dir " + Quote(store_))
          .exit_code,
      0);
  RunResult r = RunCid("verify " + Quote(store_));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, store_ + ": 2 good, 0 bad\n");

  std::string damaged = big_;
  damaged[12345] = 'Q';
  WriteFileOrDie(store_ + "/" + ComputeCid(big_), damaged);
  WriteFileOrDie(store_ + "/readme.md", "no CID");
  r = RunCid("verify " + Quote(store_));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("BAD  " + ComputeCid(big_) +
                               "  bytes do not match the name (SHA-512 "
                               "differs)\n"));
  EXPECT_THAT(r.out, HasSubstr("BAD  readme.md  the name is not a CID: "));
  EXPECT_THAT(r.out, HasSubstr(store_ + ": 1 good, 2 bad\n"));
}

TEST_F(CidToolTest, VerifyOfAMissingFolderFails) {
  RunResult r = RunCid("verify " + Quote(store_ + "/nope"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "cid: " + store_ + "/nope does not exist\n");
}

TEST_F(CidToolTest, BadUsageExitsTwo) {
  const std::vector<std::string> bad_usages = {
      "",
      "frobnicate",
      "compute",
      "add " + Quote(a_),
      "add --dir " + Quote(store_),
      "verify",
      "verify a b",
      "compute --bogus " + Quote(a_),
      "compute --dir " + Quote(store_) + " " + Quote(a_),
      "add x --dir"};
  for (const std::string& args : bad_usages) {
    RunResult r = RunCid(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.out;
    EXPECT_THAT(r.out, StartsWith("cid: ")) << args;
    EXPECT_THAT(r.out, HasSubstr("Usage:")) << args;
  }
}

TEST_F(CidToolTest, HelpExitsZero) {
  RunResult r = RunCid("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, StartsWith("Usage:\n  cid compute FILE..."));
}

}  // namespace
}  // namespace viewer
