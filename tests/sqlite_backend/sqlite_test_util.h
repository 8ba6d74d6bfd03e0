// Fixtures for the SQLite backend's unit tests: a temporary directory per
// test, a small catalog in the application's style, and a raw sqlite3
// handle to look at the file the way another program would.
//
//   SqliteTestDir dir;
//   ASSERT_OK_AND_ASSIGN(auto store, OpenTestStore(dir.db()));
//   RawDb raw(dir.db());
//   EXPECT_EQ(raw.Query("SELECT typeof(enabled) FROM server"),
//             Rows({{"integer"}}));
#ifndef VIEWER_TESTS_SQLITE_BACKEND_SQLITE_TEST_UTIL_H_
#define VIEWER_TESTS_SQLITE_BACKEND_SQLITE_TEST_UTIL_H_

#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/clock.h"
#include "engine/query.h"
#include "engine/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sqlite_backend/sqlite_store.h"
#include "tests/sqlite_backend/test_catalog.h"

namespace viewer {

// Readable values in failure messages.
inline void PrintTo(const Value& v, std::ostream* os) {
  *os << v.DebugString();
}
inline void PrintTo(const Row& r, std::ostream* os) { *os << r.DebugString(); }
inline void PrintTo(const GroupCount& g, std::ostream* os) {
  *os << "{" << g.key.DebugString() << ": " << g.count << "}";
}

}  // namespace viewer

namespace viewer::testing {

// A fresh directory under ::testing::TempDir(), removed with its contents.
class SqliteTestDir {
 public:
  SqliteTestDir() {
    std::string pattern = ::testing::TempDir() + "sqlite-backend-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed for " << pattern;
    }
    path_ = pattern;
  }
  SqliteTestDir(const SqliteTestDir&) = delete;
  SqliteTestDir& operator=(const SqliteTestDir&) = delete;
  ~SqliteTestDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::string& path() const { return path_; }
  std::string db() const { return path_ + "/test.db"; }

 private:
  std::string path_;
};

inline SqliteOptions TestOptions(const std::string& path, Clock* clock) {
  SqliteOptions options;
  options.path = path;
  options.catalog = TestCatalog();
  options.clock = clock;
  options.busy_timeout = absl::Milliseconds(50);
  return options;
}

// Matches an ok StatusOr whose value matches `matcher`.
MATCHER_P(IsOkAndHolds, matcher,
          absl::StrCat(negation ? "is not" : "is", " ok with a value that ",
                       ::testing::DescribeMatcher<
                           typename std::remove_cvref_t<arg_type>::value_type>(
                           matcher))) {
  if (!arg.ok()) {
    *result_listener << "whose status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
}

using Rows = std::vector<std::vector<std::string>>;

// A plain sqlite3 connection to a file, as another program would open it.
// Query renders every value as text ("NULL" for NULL, x'..' for blobs).
class RawDb {
 public:
  explicit RawDb(const std::string& path, bool create = false) {
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, flags, nullptr), SQLITE_OK)
        << path;
    sqlite3_busy_timeout(db_, 5000);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() { sqlite3_close(db_); }

  Rows Query(const std::string& sql) {
    Rows rows;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return rows;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        row.push_back(Render(stmt, i));
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return rows;
  }
  // Runs statements, returning SQLite's result code.
  int Exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  sqlite3* get() { return db_; }

 private:
  static std::string Render(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_NULL:
        return "NULL";
      case SQLITE_BLOB: {
        const auto* p =
            static_cast<const unsigned char*>(sqlite3_column_blob(stmt, i));
        std::string out = "x'";
        for (int k = 0; k < sqlite3_column_bytes(stmt, i); ++k) {
          static const char kHex[] = "0123456789abcdef";
          out += kHex[p[k] >> 4];
          out += kHex[p[k] & 15];
        }
        return out + "'";
      }
      default: {
        const unsigned char* t = sqlite3_column_text(stmt, i);
        return std::string(reinterpret_cast<const char*>(t),
                           sqlite3_column_bytes(stmt, i));
      }
    }
  }
  sqlite3* db_ = nullptr;
};

inline std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_SQLITE_BACKEND_SQLITE_TEST_UTIL_H_
