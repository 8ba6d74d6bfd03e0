// A temporary directory removed (with its contents) when the object dies.
//
//   TempDir dir;
//   std::string db = dir.path() + "/test.db";
#ifndef VIEWER_TESTS_TEMP_DIR_H_
#define VIEWER_TESTS_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "gtest/gtest.h"

namespace viewer::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "viewer-XXXXXX";
    char* made = mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr) << "mkdtemp failed for " << pattern;
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::permissions(
        path_, std::filesystem::perms::owner_all,
        std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(path_, ignored);
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_TEMP_DIR_H_
