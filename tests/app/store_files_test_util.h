// Helpers for the dump and load tests: SQLite checks made with sqlite3
// directly (independent of the backend under test), folder listings, and
// running a function in a child process.
//
//   EXPECT_EQ(IntegrityCheck(path), "ok");
//   ChildResult r = RunInChild([&] { return Work() ? 0 : 1; });
#ifndef VIEWER_TESTS_APP_STORE_FILES_TEST_UTIL_H_
#define VIEWER_TESTS_APP_STORE_FILES_TEST_UTIL_H_

#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/schemas.h"
#include "app/store_copy.h"
#include "sqlite_backend/sqlite_store.h"

namespace viewer::testing {

// Runs `sql` (several statements) on the database at `path`, creating it;
// returns "" or SQLite's error message.
inline std::string ExecSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    error = db ? sqlite3_errmsg(db) : "out of memory";
  } else {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) !=
        SQLITE_OK) {
      error = message ? message : "error";
    }
    sqlite3_free(message);
  }
  sqlite3_close(db);
  return error;
}

// The first column of the first row `sql` returns, as text; or the error.
inline std::string QuerySql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) !=
      SQLITE_OK) {
    out = absl::StrCat("cannot open: ", db ? sqlite3_errmsg(db) : "?");
  } else {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      out = absl::StrCat("cannot prepare: ", sqlite3_errmsg(db));
    } else if (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      out = text ? reinterpret_cast<const char*>(text) : "NULL";
    } else {
      out = absl::StrCat("no row: ", sqlite3_errmsg(db));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

inline std::string IntegrityCheck(const std::string& path) {
  return QuerySql(path, "PRAGMA integrity_check");
}

// Names of the entries of `dir`, sorted.
inline std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

inline absl::StatusOr<std::unique_ptr<Store>> OpenDisk(
    const std::string& path) {
  SqliteOptions options;
  options.path = path;
  options.catalog = AppCatalog();
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(std::move(options));
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

inline absl::Status CopyToDisk(Store& from, Store& disk) {
  return CopyStore(from, disk);
}

struct ChildResult {
  bool exited = false;  // exited by itself, with `code`
  int code = -1;
  bool signaled = false;  // killed by `signal`
  int signal = 0;
};

inline ChildResult Wait(pid_t pid) {
  int status = 0;
  ChildResult r;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    r.exited = true;
    r.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.signaled = true;
    r.signal = WTERMSIG(status);
  }
  return r;
}

// Runs `fn` in a forked child that exits with its result (without running
// destructors or gtest's handlers), and waits for it.
inline ChildResult RunInChild(const std::function<int()>& fn) {
  pid_t pid = fork();
  if (pid == 0) _exit(fn());
  return Wait(pid);
}

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_APP_STORE_FILES_TEST_UTIL_H_
