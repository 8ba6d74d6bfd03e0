#include "tests/http/fault_util.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/schemas.h"
#include "app/store_files.h"
#include "engine/memory_store.h"
#include "gtest/gtest.h"
#include "tests/busy_session.h"

namespace viewer::testing {
namespace {

// A connection closed when it goes out of scope.
struct Db {
  explicit Db(const std::string& path, bool immutable) {
    const std::string uri =
        absl::StrCat("file:", path, immutable ? "?immutable=1" : "");
    status = sqlite3_open_v2(
        uri.c_str(), &db,
        (immutable ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
            SQLITE_OPEN_URI,
        nullptr);
  }
  ~Db() { sqlite3_close(db); }
  sqlite3* db = nullptr;
  int status = SQLITE_ERROR;
};

}  // namespace

uint32_t FaultSeed(const std::string& test) {
  uint32_t seed = 0;
  const char* env = std::getenv("VIEWER_FAULT_SEED");
  if (env == nullptr || !absl::SimpleAtoi(env, &seed)) {
    seed = std::random_device{}();
  }
  std::cout << test << ": seed " << seed << " (VIEWER_FAULT_SEED to replay)"
            << std::endl;
  return seed;
}

std::string IntegrityCheck(const std::string& path, bool immutable) {
  Db db(path, immutable);
  if (db.status != SQLITE_OK) {
    return absl::StrCat("cannot open: ", sqlite3_errstr(db.status));
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.db, "PRAGMA integrity_check", -1, &stmt, nullptr) !=
      SQLITE_OK) {
    return absl::StrCat("cannot check: ", sqlite3_errmsg(db.db));
  }
  std::string out;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (!out.empty()) out += "; ";
    out += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  if (rc != SQLITE_DONE) out += absl::StrCat(" (", sqlite3_errmsg(db.db), ")");
  sqlite3_finalize(stmt);
  return out;
}

std::set<std::string> ServerNamesIn(const std::string& path) {
  std::set<std::string> names;
  Db db(path, /*immutable=*/true);
  sqlite3_stmt* stmt = nullptr;
  if (db.status != SQLITE_OK ||
      sqlite3_prepare_v2(db.db, "SELECT name FROM server", -1, &stmt,
                         nullptr) != SQLITE_OK) {
    return names;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    names.insert(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  return names;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

void BuildStoreFile(const std::string& path, int rows) {
  MemoryOptions options;
  options.catalog = AppCatalog();
  auto store = MemoryStore::Open(std::move(options));
  ASSERT_TRUE(store.ok()) << store.status();
  auto txn = (*store)->Begin(TransactionMode::kReadWrite);
  ASSERT_TRUE(txn.ok()) << txn.status();
  Transaction& t = **txn;
  absl::Status filled = FillBusySession(t, rows);
  ASSERT_TRUE(filled.ok()) << filled;
  absl::Status committed = t.Commit();
  ASSERT_TRUE(committed.ok()) << committed;
  txn->reset();
  absl::Status dumped = DumpToSqliteFile(**store, path);
  ASSERT_TRUE(dumped.ok()) << dumped;
}

}  // namespace viewer::testing
