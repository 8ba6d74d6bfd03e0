// The one function that turns SQLite result codes into absl::Status.
#include "sqlite_backend/internal/errors.h"

#include <sqlite3.h>

#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "tests/sqlite_backend/test_catalog.h"
#include "tests/testutil.h"

namespace viewer::sqlite_internal {
namespace {

using ::viewer::testing::StatusIs;

struct Case {
  int rc;
  std::string sqlite_message;
  bool with_table;
  absl::StatusCode code;
  std::optional<std::string> message;  // nullopt: any message
};

TEST(SqliteErrorTest, MapsEveryResultCodeFamily) {
  const Catalog catalog = viewer::testing::TestCatalog();
  const TableSchema* server = catalog.Find("server");
  const Case cases[] = {
      {SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: server.name", true,
       absl::StatusCode::kAlreadyExists,
       "UNIQUE constraint failed: server.name"},
      // A taken explicit id.
      {SQLITE_CONSTRAINT_PRIMARYKEY, "UNIQUE constraint failed: server.id",
       true, absl::StatusCode::kAlreadyExists,
       "UNIQUE constraint failed: server.id"},
      // A multi-column index names its first column.
      {SQLITE_CONSTRAINT_UNIQUE,
       "UNIQUE constraint failed: server.name, server.definition", true,
       absl::StatusCode::kAlreadyExists,
       "UNIQUE constraint failed: server.name"},
      // An index SQLite names by its name.
      {SQLITE_CONSTRAINT_UNIQUE,
       "UNIQUE constraint failed: index 'ix_server_name'", true,
       absl::StatusCode::kAlreadyExists,
       "UNIQUE constraint failed: server.name"},
      // Names nothing in the schema: SQLite's text, same code.
      {SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: server.legacy",
       true, absl::StatusCode::kAlreadyExists,
       "UNIQUE constraint failed: server.legacy"},
      {SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: cid.path", true,
       absl::StatusCode::kAlreadyExists, "UNIQUE constraint failed: cid.path"},
      {SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: server.name", false,
       absl::StatusCode::kAlreadyExists,
       "UNIQUE constraint failed: server.name"},
      {SQLITE_CONSTRAINT_NOTNULL,
       "NOT NULL constraint failed: server.definition", true,
       absl::StatusCode::kInvalidArgument,
       "NOT NULL constraint failed: server.definition"},
      {SQLITE_CONSTRAINT_CHECK, "CHECK constraint failed: enabled", true,
       absl::StatusCode::kInvalidArgument, "CHECK constraint failed: enabled"},
      {SQLITE_BUSY, "database is locked", false, absl::StatusCode::kUnavailable,
       "database is locked"},
      {SQLITE_BUSY_SNAPSHOT, "database is locked", true,
       absl::StatusCode::kUnavailable, "database is locked"},
      {SQLITE_LOCKED, "database table is locked", false,
       absl::StatusCode::kUnavailable, "database is locked"},
      {SQLITE_ERROR, "integer overflow", true, absl::StatusCode::kOutOfRange,
       "integer overflow"},
      {SQLITE_ERROR, "no such table: nope", false, absl::StatusCode::kInternal,
       "sqlite: no such table: nope (code 1)"},
      {SQLITE_FULL, "database or disk is full", false,
       absl::StatusCode::kResourceExhausted, std::nullopt},
      {SQLITE_NOMEM, "out of memory", false,
       absl::StatusCode::kResourceExhausted, std::nullopt},
      {SQLITE_CORRUPT, "database disk image is malformed", false,
       absl::StatusCode::kDataLoss, std::nullopt},
      {SQLITE_NOTADB, "file is not a database", false,
       absl::StatusCode::kDataLoss, std::nullopt},
      {SQLITE_CANTOPEN, "unable to open database file", false,
       absl::StatusCode::kFailedPrecondition, std::nullopt},
      {SQLITE_READONLY, "attempt to write a readonly database", false,
       absl::StatusCode::kFailedPrecondition, std::nullopt},
      {SQLITE_INTERRUPT, "interrupted", false, absl::StatusCode::kCancelled,
       std::nullopt},
      {SQLITE_TOOBIG, "string or blob too big", false,
       absl::StatusCode::kInvalidArgument, std::nullopt},
      {SQLITE_IOERR_WRITE, "disk I/O error", false, absl::StatusCode::kInternal,
       "sqlite: disk I/O error (code 778)"},
      {SQLITE_MISUSE, "bad parameter or other API misuse", false,
       absl::StatusCode::kInternal, std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sqlite_message);
    absl::Status s =
        SqliteError(c.rc, c.sqlite_message, c.with_table ? server : nullptr);
    if (c.message) {
      EXPECT_THAT(s, StatusIs(c.code, *c.message));
    } else {
      EXPECT_THAT(s, StatusIs(c.code));
    }
  }
}

TEST(SqliteErrorTest, SuccessCodesAreOk) {
  EXPECT_OK(SqliteError(SQLITE_OK, "", nullptr));
  EXPECT_OK(SqliteError(SQLITE_ROW, "", nullptr));
  EXPECT_OK(SqliteError(SQLITE_DONE, "", nullptr));
}

}  // namespace
}  // namespace viewer::sqlite_internal
