// Dump and load (app/store_files.h): a dump is a complete SQLite database
// in the disk layout, replaces its destination only when complete, and
// leaves the old file (and no temporary file) on failure; loading copies a
// dump or an export document into memory without touching the file.
// store_files_kill_test.cc kills dumping processes.
#include "app/store_files.h"

#include <grp.h>
#include <pwd.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "app/entities.h"
#include "app/export_import.h"
#include "app/schemas.h"
#include "gtest/gtest.h"
#include "sqlite_backend/sqlite_store.h"
#include "tests/app/store_files_test_util.h"
#include "tests/app/store_io_util.h"
#include "tests/storage/backends.h"
#include "tests/temp_dir.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

class StoreFilesTest : public ::testing::Test {
 protected:
  StoreFilesTest() : memory_(BackendKind::kMemory, AppCatalog()) {
    auto txn = memory_.Write();
    EXPECT_OK(FillSample(*txn, {.blob_bytes = 300'000, .page_views = 40}));
    EXPECT_OK(txn->Commit());
    dest_ = dir_.path() + "/dump.db";
  }

  StoreContents Want() {
    absl::StatusOr<StoreContents> c = ReadContents(memory_.store());
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : StoreContents{};
  }

  // Writes `bytes` to a file `name` in the folder; returns its path.
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = dir_.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  StoreHarness memory_;
  TempDir dir_;
  std::string dest_;
};

TEST_F(StoreFilesTest, ADumpIsACompleteDatabaseTheDiskStoreOpens) {
  ASSERT_OK(DumpToSqliteFile(memory_.store(), dest_));
  EXPECT_EQ(IntegrityCheck(dest_), "ok");
  EXPECT_EQ(FilesIn(dir_.path()), std::vector<std::string>{"dump.db"});
  struct stat st;
  ASSERT_EQ(stat(dest_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // it may hold secrets
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> disk, OpenDisk(dest_));
  ASSERT_OK_AND_ASSIGN(StoreContents got, ReadContents(*disk));
  ExpectSameContents(Want(), got);
}

TEST_F(StoreFilesTest, ADumpReplacesAnOlderFileAndKeepsItsMode) {
  StoreHarness other(BackendKind::kMemory, AppCatalog());
  ASSERT_OK(DumpToSqliteFile(other.store(), dest_));
  ASSERT_EQ(chmod(dest_.c_str(), 0640), 0);
  ASSERT_OK(DumpToSqliteFile(memory_.store(), dest_));
  struct stat st;
  ASSERT_EQ(stat(dest_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(IntegrityCheck(dest_), "ok");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> disk, OpenDisk(dest_));
  ASSERT_OK_AND_ASSIGN(StoreContents got, ReadContents(*disk));
  ExpectSameContents(Want(), got);
  disk.reset();
  EXPECT_EQ(FilesIn(dir_.path()), std::vector<std::string>{"dump.db"});
}

TEST_F(StoreFilesTest, AFailedDumpLeavesTheOldFileAndNoTemporaryFile) {
  const std::string old = Write("dump.db", "the old file");
  // The destination's write-ahead log holds frames: refused before writing.
  Write("dump.db-wal", "frames");
  EXPECT_THAT(DumpToSqliteFile(memory_.store(), dest_),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(FileBytes(old), "the old file");
  EXPECT_EQ(FilesIn(dir_.path()),
            (std::vector<std::string>{"dump.db", "dump.db-wal"}));
  // A destination whose folder does not exist: no temporary file either.
  EXPECT_THAT(DumpToSqliteFile(memory_.store(), dir_.path() + "/no/dump.db"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(DumpToSqliteFile(memory_.store(), dir_.path()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DumpToSqliteFile(memory_.store(), ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// The dump runs in a child process as an unprivileged user (as "nobody"
// when this process is root, which writes to read-only folders), after
// checking that this user can read the folder and cannot write to it.
TEST_F(StoreFilesTest, ADumpIntoAReadOnlyFolderFailsAndLeavesTheOldFile) {
  const std::string old = Write("dump.db", "the old file");
  ASSERT_EQ(chmod(dir_.path().c_str(), 0555), 0);
  ChildResult child = RunInChild([&] {
    if (geteuid() == 0) {
      const struct passwd* nobody = getpwnam("nobody");
      if (nobody == nullptr) return 3;
      if (setgroups(0, nullptr) != 0 || setgid(nobody->pw_gid) != 0 ||
          setuid(nobody->pw_uid) != 0 || geteuid() == 0) {
        return 4;
      }
    }
    if (access(old.c_str(), R_OK) != 0) return 5;
    if (access(dir_.path().c_str(), W_OK) == 0) return 6;
    absl::Status s = DumpToSqliteFile(memory_.store(), dest_);
    return s.code() == absl::StatusCode::kFailedPrecondition
               ? 0
               : 10 + static_cast<int>(s.code());
  });
  ASSERT_EQ(chmod(dir_.path().c_str(), 0755), 0);
  ASSERT_TRUE(child.exited);
  EXPECT_EQ(child.code, 0)
      << "3: there is no user nobody; 4: cannot become nobody; 5: the user "
         "cannot read the folder; 6: the user can write to it after all; "
         "10 + code: the dump's status code (0: it succeeded)";
  EXPECT_EQ(FileBytes(old), "the old file");
  EXPECT_EQ(FilesIn(dir_.path()), std::vector<std::string>{"dump.db"});
}

// A disk that fills up half way (RLIMIT_FSIZE in a child process): the dump
// fails, the old file stays and the temporary file is removed.
TEST_F(StoreFilesTest, ADumpThatRunsOutOfSpaceLeavesTheOldFile) {
  StoreHarness old_store(BackendKind::kMemory, AppCatalog());
  ASSERT_OK(DumpToSqliteFile(old_store.store(), dest_));
  const std::string old_bytes = FileBytes(dest_);
  ChildResult child = RunInChild([&] {
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = {256 << 10, 256 << 10};
    setrlimit(RLIMIT_FSIZE, &limit);
    absl::Status s = DumpToSqliteFile(memory_.store(), dest_);
    return s.ok() ? 0 : 10 + static_cast<int>(s.code());
  });
  ASSERT_TRUE(child.exited);
  EXPECT_GT(child.code, 10) << "the dump should have failed";
  EXPECT_EQ(FileBytes(dest_), old_bytes);
  EXPECT_EQ(FilesIn(dir_.path()), std::vector<std::string>{"dump.db"});
}

TEST_F(StoreFilesTest, LoadingADumpGivesTheSameRowsAndLeavesTheFileAlone) {
  ASSERT_OK(DumpToSqliteFile(memory_.store(), dest_));
  const std::string bytes = FileBytes(dest_);
  const int64_t mtime = MtimeNanos(dest_);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> loaded,
                       LoadIntoMemory(dest_, MemoryOptions{}));
  EXPECT_EQ(loaded->Describe(), "memory");
  ASSERT_OK_AND_ASSIGN(StoreContents got, ReadContents(*loaded));
  ExpectSameContents(Want(), got);
  EXPECT_EQ(FileBytes(dest_), bytes);
  EXPECT_EQ(MtimeNanos(dest_), mtime);
  EXPECT_EQ(FilesIn(dir_.path()), std::vector<std::string>{"dump.db"});
}

// Loading reads the file's bytes, never opens it with SQLite (which would
// write -wal/-shm files); rows still only in a live database's -wal are
// therefore refused with the way out, and nothing is written.
TEST_F(StoreFilesTest, LoadingALiveDatabaseIsRefusedUntilCheckpointed) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> disk, OpenDisk(dest_));
  ASSERT_OK(CopyToDisk(memory_.store(), *disk));
  ASSERT_GT(FileSize(dest_ + "-wal"), 0);  // the rows are in the log
  const std::string db = FileBytes(dest_), wal = FileBytes(dest_ + "-wal");
  absl::StatusOr<std::unique_ptr<Store>> refused =
      LoadIntoMemory(dest_, MemoryOptions{});
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(std::string(refused.status().message()),
              ::testing::HasSubstr("wal_checkpoint"));
  EXPECT_EQ(FileBytes(dest_), db);
  EXPECT_EQ(FileBytes(dest_ + "-wal"), wal);
  disk.reset();  // closing the last connection checkpoints the log
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> loaded,
                       LoadIntoMemory(dest_, MemoryOptions{}));
  ASSERT_OK_AND_ASSIGN(StoreContents got, ReadContents(*loaded));
  ExpectSameContents(Want(), got);
}

// A file the original application made, in rollback-journal mode and
// without most tables: opening it in place would convert and extend it.
TEST_F(StoreFilesTest, LoadingAnOriginalFileNeverModifiesIt) {
  ASSERT_EQ(ExecSql(dest_,
                    "CREATE TABLE variable (id INTEGER NOT NULL PRIMARY KEY, "
                    "name VARCHAR(100) NOT NULL, definition TEXT NOT NULL, "
                    "created_at DATETIME, updated_at DATETIME, "
                    "enabled BOOLEAN NOT NULL);"
                    "CREATE UNIQUE INDEX ix_variable_name ON variable (name);"
                    "INSERT INTO variable VALUES (4, 'greeting', 'Hi', "
                    "'2023-01-02 03:04:05.000000', NULL, 1);"),
            "");
  const std::string bytes = FileBytes(dest_);
  const int64_t mtime = MtimeNanos(dest_);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> loaded,
                       LoadIntoMemory(dest_, MemoryOptions{}));
  auto txn = loaded->Begin(TransactionMode::kReadOnly);
  ASSERT_OK(txn);
  ASSERT_OK_AND_ASSIGN(Entity v,
                       GetEntity(**txn, EntityKind::kVariable, "greeting"));
  EXPECT_EQ(v.id, 4);
  EXPECT_EQ(v.definition, "Hi");
  EXPECT_EQ(v.created_at.ToString(), "2023-01-02 03:04:05.000000");
  EXPECT_EQ(FileBytes(dest_), bytes);
  EXPECT_EQ(MtimeNanos(dest_), mtime);
  EXPECT_EQ(FilesIn(dir_.path()), std::vector<std::string>{"dump.db"});
}

TEST_F(StoreFilesTest, LoadingAnExportDocument) {
  StoreHarness source(BackendKind::kMemory, AppCatalog());
  {
    auto txn = source.Write();
    ASSERT_OK(CreateEntity(*txn, EntityKind::kServer,
                           {.name = "hello", .definition = "{{greeting}}"}));
    ASSERT_OK(CreateEntity(*txn, EntityKind::kVariable,
                           {.name = "greeting", .definition = "Hi"}));
    ASSERT_OK(txn->Commit());
  }
  auto reader = source.Read();
  ASSERT_OK_AND_ASSIGN(std::string doc,
                       BuildExport(*reader, CidRepository(), {}));
  const std::string path = Write("export.json", doc);
  const int64_t mtime = MtimeNanos(path);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> loaded,
                       LoadIntoMemory(path, MemoryOptions{}));
  auto txn = loaded->Begin(TransactionMode::kReadOnly);
  ASSERT_OK(txn);
  ASSERT_OK_AND_ASSIGN(Entity s,
                       GetEntity(**txn, EntityKind::kServer, "hello"));
  EXPECT_EQ(s.definition, "{{greeting}}");
  EXPECT_EQ(FileBytes(path), doc);
  EXPECT_EQ(MtimeNanos(path), mtime);
}

TEST_F(StoreFilesTest, LoadingErrorsNameTheFile) {
  EXPECT_THAT(LoadIntoMemory(dir_.path() + "/missing.db", MemoryOptions{}),
              StatusIs(absl::StatusCode::kNotFound));
  const std::string text = Write("notes.txt", "just some notes");
  absl::StatusOr<std::unique_ptr<Store>> r =
      LoadIntoMemory(text, MemoryOptions{});
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument,
                          "loading " + text +
                              ": neither a SQLite database nor an export "
                              "document (a JSON object)"));
  const std::string bad = Write("bad.json", R"({"format": "viewer-export"})");
  r = LoadIntoMemory(bad, MemoryOptions{});
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_TRUE(absl::StrContains(r.status().message(), "version: missing"))
      << r.status();
  // A table lacking a column the catalog needs.
  const std::string odd = dir_.path() + "/odd.db";
  ASSERT_EQ(ExecSql(odd, "CREATE TABLE server (id INTEGER PRIMARY KEY);"), "");
  const std::string odd_bytes = FileBytes(odd);
  EXPECT_THAT(LoadIntoMemory(odd, MemoryOptions{}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(FileBytes(odd), odd_bytes);
  // Past the memory limit.
  ASSERT_OK(DumpToSqliteFile(memory_.store(), dest_));
  MemoryOptions small;
  small.byte_limit = 100'000;
  EXPECT_THAT(LoadIntoMemory(dest_, small),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

}  // namespace
}  // namespace viewer::testing
