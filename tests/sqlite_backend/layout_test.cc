// The file on disk: the original application's layout, how values are
// stored, what reopening does, and how a file that does not fit is reported.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sqlite_backend/internal/sql_builder.h"
#include "sqlite_backend/sqlite_store.h"
#include "tests/sqlite_backend/sqlite_test_util.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::testing::HasSubstr;
using ::viewer::testing::FileBytes;
using ::viewer::testing::IsOkAndHolds;
using ::viewer::testing::RawDb;
using ::viewer::testing::Rows;
using ::viewer::testing::SqliteTestDir;
using ::viewer::testing::StatusIs;
using ::viewer::testing::TestOptions;

class LayoutTest : public ::testing::Test {
 protected:
  absl::StatusOr<std::unique_ptr<SqliteStore>> OpenStore() {
    return SqliteStore::Open(TestOptions(dir_.db(), &clock_));
  }

  SqliteTestDir dir_;
  // 1700000000 s after the epoch is 2023-11-14 22:13:20 UTC.
  ManualClock clock_{Timestamp{1'700'000'000'000'000}};
};

TEST_F(LayoutTest, CreatesTheOriginalTablesAndIndexes) {
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore());
  RawDb raw(dir_.db());
  EXPECT_EQ(raw.Query("SELECT type, name, tbl_name FROM sqlite_master "
                      "ORDER BY type, name"),
            (Rows{{"index", "ix_cid_path", "cid"},
                  {"index", "ix_server_definition_cid", "server"},
                  {"index", "ix_server_name", "server"},
                  {"index", "sqlite_autoindex_tag_1", "tag"},
                  {"table", "cid", "cid"},
                  {"table", "server", "server"},
                  {"table", "tag", "tag"}}));
  EXPECT_EQ(raw.Query("SELECT sql FROM sqlite_master WHERE type = 'index' "
                      "AND sql IS NOT NULL ORDER BY name"),
            (Rows{{"CREATE UNIQUE INDEX \"ix_cid_path\" ON \"cid\" (\"path\")"},
                  {"CREATE INDEX \"ix_server_definition_cid\" ON \"server\" "
                   "(\"definition_cid\")"},
                  {"CREATE UNIQUE INDEX \"ix_server_name\" ON \"server\" "
                   "(\"name\")"}}));
  EXPECT_EQ(raw.Query("SELECT name, type, \"notnull\", pk "
                      "FROM pragma_table_info('server')"),
            (Rows{{"id", "INTEGER", "1", "1"},
                  {"name", "VARCHAR", "1", "0"},
                  {"definition", "VARCHAR", "1", "0"},
                  {"definition_cid", "VARCHAR", "0", "0"},
                  {"created_at", "DATETIME", "0", "0"},
                  {"updated_at", "DATETIME", "0", "0"},
                  {"enabled", "BOOLEAN", "1", "0"}}));
  EXPECT_EQ(raw.Query("SELECT name, type FROM pragma_table_info('cid')"),
            (Rows{{"id", "INTEGER"},
                  {"path", "VARCHAR"},
                  {"file_data", "BLOB"},
                  {"file_size", "INTEGER"}}));
  // No DEFAULT clauses: the contract layer fills every value.
  EXPECT_EQ(raw.Query("SELECT COUNT(*) FROM pragma_table_info('server') "
                      "WHERE dflt_value IS NOT NULL"),
            (Rows{{"0"}}));
  EXPECT_EQ(raw.Query("PRAGMA journal_mode"), (Rows{{"wal"}}));
}

TEST_F(LayoutTest, StoresValuesAsTheOriginalApplicationDid) {
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore());
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
  ASSERT_OK(txn->Insert("server", {{"name", Value::Text("a")},
                                   {"definition", Value::Text("x")}}));
  clock_.Advance(absl::Microseconds(1'234'567));
  ASSERT_OK(txn->Insert("server", {{"name", Value::Text("b")},
                                   {"definition", Value::Text("y")},
                                   {"enabled", Value::Boolean(false)}}));
  ASSERT_OK(txn->Insert("cid", {{"path", Value::Text("/empty")},
                                {"file_data", Value::Blob("")}}));
  ASSERT_OK(txn->Commit());

  RawDb raw(dir_.db());
  EXPECT_EQ(
      raw.Query("SELECT id, typeof(created_at), created_at, "
                "typeof(enabled), enabled FROM server ORDER BY id"),
      (Rows{{"1", "text", "2023-11-14 22:13:20.000000", "integer", "1"},
            {"2", "text", "2023-11-14 22:13:21.234567", "integer", "0"}}));
  // A zero-length blob stays a BLOB (not NULL, not TEXT).
  EXPECT_EQ(raw.Query("SELECT typeof(file_data), length(file_data), "
                      "typeof(file_size) FROM cid"),
            (Rows{{"blob", "0", "null"}}));
}

TEST_F(LayoutTest, ReadsBackEveryByte) {
  using namespace std::string_literals;
  // Text is UTF-8 without NUL (engine/store.h); blobs hold any bytes.
  const std::string text = "\x01control \xc3\xa9 \xf4\x8f\xbf\xbf bytes"s;
  const std::string blob = "\0\x01\xff"s;
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore());
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
  clock_.Set(Timestamp{253402300799999999});  // 9999-12-31 23:59:59.999999
  ASSERT_OK_AND_ASSIGN(
      int64_t id, txn->Insert("server", {{"name", Value::Text(text)},
                                         {"definition", Value::Text("")}}));
  ASSERT_OK(txn->Insert(
      "cid", {{"path", Value::Text("/p")}, {"file_data", Value::Blob(blob)}}));
  ASSERT_OK(txn->Commit());

  ASSERT_OK_AND_ASSIGN(auto reader, store->Begin(TransactionMode::kReadOnly));
  ASSERT_OK_AND_ASSIGN(Row row, reader->Get("server", id));
  EXPECT_EQ(row[1], Value::Text(text));
  EXPECT_EQ(row[2], Value::Text(""));
  EXPECT_EQ(row[3], Value::Null());
  EXPECT_EQ(row[4], Value::Time(Timestamp{253402300799999999}));
  EXPECT_EQ(row[6], Value::Boolean(true));
  ASSERT_OK_AND_ASSIGN(Row cid, reader->Get("cid", 1));
  EXPECT_EQ(cid[2], Value::Blob(blob));
}

TEST_F(LayoutTest, ReopeningLeavesTheFileUnchanged) {
  {
    ASSERT_OK_AND_ASSIGN(auto store, OpenStore());
    ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
    ASSERT_OK(txn->Insert("server", {{"name", Value::Text("a")},
                                     {"definition", Value::Text("x")}}));
    ASSERT_OK(txn->Commit());
  }
  const Rows master = RawDb(dir_.db()).Query("SELECT * FROM sqlite_master");
  const std::string bytes = FileBytes(dir_.db());
  ASSERT_FALSE(bytes.empty());
  {
    ASSERT_OK_AND_ASSIGN(auto store, OpenStore());
    ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadOnly));
    EXPECT_THAT(txn->Count("server"), IsOkAndHolds(1));
  }
  EXPECT_EQ(RawDb(dir_.db()).Query("SELECT * FROM sqlite_master"), master);
  EXPECT_TRUE(FileBytes(dir_.db()) == bytes) << "the file changed";
}

// SQLAlchemy's DDL for server, as the original application made it: a
// table-level PRIMARY KEY, VARCHAR(n) and TEXT, and a column we do not know.
constexpr char kOriginalServerDdl[] =
    "CREATE TABLE server (\n\tid INTEGER NOT NULL, \n\tname VARCHAR(100) "
    "NOT NULL, \n\tdefinition TEXT NOT NULL, \n\tdefinition_cid "
    "VARCHAR(255), \n\tcreated_at DATETIME, \n\tupdated_at DATETIME, "
    "\n\tenabled BOOLEAN NOT NULL, \n\tlegacy VARCHAR, \n\tPRIMARY KEY "
    "(id)\n)";

TEST_F(LayoutTest, MissingColumnIsReportedAndNothingIsCreated) {
  ASSERT_EQ(RawDb(dir_.db(), /*create=*/true)
                .Exec("CREATE TABLE server (id INTEGER NOT NULL, "
                      "name VARCHAR NOT NULL, definition VARCHAR NOT NULL, "
                      "created_at DATETIME, updated_at DATETIME, "
                      "enabled BOOLEAN NOT NULL, PRIMARY KEY (id))"),
            SQLITE_OK);
  auto store = OpenStore();
  EXPECT_THAT(store, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store.status().message(),
              HasSubstr("has no column server.definition_cid"));
  EXPECT_EQ(RawDb(dir_.db()).Query("SELECT name FROM sqlite_master"),
            (Rows{{"server"}}));
}

TEST_F(LayoutTest, UniqueColumnWithoutAUniqueIndexIsReported) {
  ASSERT_EQ(RawDb(dir_.db(), /*create=*/true)
                .Exec(std::string(kOriginalServerDdl) +
                      "; CREATE INDEX ix_server_name ON server (name)"),
            SQLITE_OK);
  auto store = OpenStore();
  EXPECT_THAT(store, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store.status().message(),
              HasSubstr("has no unique index on server.name"));
  EXPECT_EQ(RawDb(dir_.db()).Query("SELECT name FROM sqlite_master"),
            (Rows{{"server"}, {"ix_server_name"}}));
}

TEST_F(LayoutTest, DuplicatesThatBlockAUniqueIndexAreReported) {
  ASSERT_EQ(RawDb(dir_.db(), /*create=*/true)
                .Exec(std::string(kOriginalServerDdl) +
                      "; INSERT INTO server (id, name, definition, enabled)"
                      " VALUES (1, 'twin', 'a', 1), (2, 'twin', 'b', 1)"),
            SQLITE_OK);
  auto store = OpenStore();
  EXPECT_THAT(store, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store.status().message(),
              HasSubstr("UNIQUE constraint failed: server.name"));
  EXPECT_EQ(RawDb(dir_.db()).Query("SELECT name FROM sqlite_master"),
            (Rows{{"server"}}));
}

TEST_F(LayoutTest, OpensAFileMadeByTheOriginalApplication) {
  // Timestamps written without microseconds by SQLite's CURRENT_TIMESTAMP.
  const std::string ddl = kOriginalServerDdl;
  ASSERT_EQ(
      RawDb(dir_.db(), /*create=*/true)
          .Exec(ddl + "; CREATE UNIQUE INDEX ix_server_name ON server (name);"
                      " INSERT INTO server VALUES (5, 'old', 'def', NULL,"
                      " '2020-01-02 03:04:05', '2020-01-02 03:04:05.5', 1,"
                      " 'x');"),
      SQLITE_OK);

  ASSERT_OK_AND_ASSIGN(auto store, OpenStore());
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
  ASSERT_OK_AND_ASSIGN(Row row, txn->Get("server", 5));
  ASSERT_OK_AND_ASSIGN(Timestamp created,
                       Timestamp::Parse("2020-01-02 03:04:05"));
  EXPECT_EQ(row[4], Value::Time(created));
  EXPECT_EQ(row[5].timestamp().micros, created.micros + 500'000);
  EXPECT_THAT(txn->Insert("server", {{"name", Value::Text("old")},
                                     {"definition", Value::Text("d")}}),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       "UNIQUE constraint failed: server.name"));
  EXPECT_THAT(txn->Insert("server", {{"name", Value::Text("new")},
                                     {"definition", Value::Text("d")}}),
              IsOkAndHolds(6));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(RawDb(dir_.db()).Query(
                "SELECT sql FROM sqlite_master WHERE name = 'server'"),
            (Rows{{ddl}}));
}

TEST_F(LayoutTest, UnreadableStoredValueIsDataLoss) {
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore());
  RawDb raw(dir_.db());
  ASSERT_EQ(raw.Exec("INSERT INTO server (id, name, definition, created_at, "
                     "enabled) VALUES (7, 'a', 'b', 'yesterday', 1), "
                     "(8, 'c', 'd', NULL, 2)"),
            SQLITE_OK);
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadOnly));
  EXPECT_THAT(txn->Get("server", 7),
              StatusIs(absl::StatusCode::kDataLoss,
                       "cannot read server.created_at of row 7: stored TEXT "
                       "\"yesterday\" is not a TIMESTAMP"));
  EXPECT_THAT(txn->Get("server", 8),
              StatusIs(absl::StatusCode::kDataLoss,
                       "cannot read server.enabled of row 8: stored INTEGER 2 "
                       "is not a BOOLEAN"));
  EXPECT_THAT(txn->CountBy("server", "enabled"),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(LayoutTest, CreateIfMissingFalseDoesNotCreate) {
  SqliteOptions options = TestOptions(dir_.db(), &clock_);
  options.create_if_missing = false;
  EXPECT_THAT(SqliteStore::Open(std::move(options)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_FALSE(std::filesystem::exists(dir_.db()));
}

TEST_F(LayoutTest, DescribeNamesThePath) {
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore());
  EXPECT_EQ(store->Describe(), "sqlite:" + dir_.db());
}

TEST_F(LayoutTest, StatsUseDbstatWhenThisSqliteHasIt) {
  const bool compiled_in =
      !RawDb(":memory:")
           .Query(
               "SELECT 1 FROM pragma_compile_options "
               "WHERE compile_options = 'ENABLE_DBSTAT_VTAB'")
           .empty();
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore());
  EXPECT_EQ(store->uses_dbstat(), compiled_in);
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(txn->Insert("cid", {{"path", Value::Text(absl::StrCat("/", i))},
                                  {"file_data", Value::Blob("data")}}));
  }
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(StoreStats stats, store->Stats());
  ASSERT_EQ(stats.tables.size(), 3u);
  EXPECT_EQ(stats.tables[0].table, "server");
  EXPECT_EQ(stats.tables[0].rows, 0);
  EXPECT_EQ(stats.tables[1].table, "cid");
  EXPECT_EQ(stats.tables[1].rows, 3);
  EXPECT_EQ(stats.byte_limit, 0);
  int64_t sum = 0;
  for (const TableStats& t : stats.tables) sum += t.bytes;
  EXPECT_EQ(stats.bytes_used, sum);
  if (store->uses_dbstat()) {
    // Whole pages: the table's b-tree plus its ix_cid_path index.
    EXPECT_EQ(stats.tables[1].bytes, 2 * 4096);
  }
}

TEST_F(LayoutTest, PayloadFallbackSumsValueLengths) {
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore());
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
  ASSERT_OK(txn->Insert("cid", {{"path", Value::Text("/abc")},
                                {"file_data", Value::Blob("12345")},
                                {"file_size", Value::Integer(5)}}));
  ASSERT_OK(txn->Commit());
  const Catalog catalog = viewer::testing::TestCatalog();
  // id (8) + "/abc" (4) + 5 blob bytes + file_size (8).
  EXPECT_EQ(RawDb(dir_.db()).Query(
                sqlite_internal::PayloadBytesSql(*catalog.Find("cid"))),
            (Rows{{"25"}}));
}

TEST(MemoryStoreTest, OneConnectionSharedByEveryTransaction) {
  ManualClock clock;
  SqliteOptions options = TestOptions(":memory:", &clock);
  ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(std::move(options)));
  EXPECT_EQ(store->Describe(), "sqlite::memory:");
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
    ASSERT_OK(txn->Insert("tag", {{"label", Value::Text("x")}}));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(auto reader, store->Begin(TransactionMode::kReadOnly));
  EXPECT_THAT(reader->Count("tag"), IsOkAndHolds(1));
  // The single connection is taken: documented, others wait, then fail.
  EXPECT_THAT(store->Begin(TransactionMode::kReadWrite),
              StatusIs(absl::StatusCode::kUnavailable, "database is locked"));
  EXPECT_THAT(store->Begin(TransactionMode::kReadOnly),
              StatusIs(absl::StatusCode::kUnavailable, "database is locked"));
  reader.reset();
  ASSERT_OK_AND_ASSIGN(auto writer, store->Begin(TransactionMode::kReadWrite));
  EXPECT_THAT(writer->Count("tag"), IsOkAndHolds(1));
  ASSERT_OK(writer->Rollback());
  ASSERT_OK_AND_ASSIGN(StoreStats stats, store->Stats());
  EXPECT_EQ(stats.tables[2].rows, 1);
}

}  // namespace
}  // namespace viewer
