#include "app/store_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "app/export_import.h"
#include "app/schemas.h"
#include "app/store_copy.h"
#include "engine/status_macros.h"
#include "sqlite_backend/sqlite_store.h"

namespace viewer {
namespace {

constexpr absl::string_view kSqliteMagic("SQLite format 3\0", 16);

absl::Status ErrnoError(absl::StatusCode code, absl::string_view what,
                        int err) {
  return absl::Status(code, absl::StrCat(what, ": ", strerror(err)));
}

absl::Status WithContext(absl::string_view context, const absl::Status& s) {
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat(context, ": ", s.message()));
}

// The size of the file at `path`, or -1 when there is none.
int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

std::string DirectoryOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

absl::Status SyncPath(const std::string& path, int flags) {
  int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) {
    return ErrnoError(absl::StatusCode::kInternal,
                      absl::StrCat("cannot open ", path, " to sync it"), errno);
  }
  const int rc = fsync(fd);
  const int err = errno;
  close(fd);
  if (rc != 0) {
    return ErrnoError(absl::StatusCode::kInternal,
                      absl::StrCat("cannot sync ", path), err);
  }
  return absl::OkStatus();
}

// Replacing a database whose write-ahead log holds frames would let SQLite
// replay those frames onto the new file.
absl::Status CheckNoLiveWal(const std::string& path) {
  if (FileSize(path + "-wal") > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, "-wal is not empty: ", path,
        " is open in another process or was not closed cleanly; open and "
        "close it with viewer first, or dump to another path"));
  }
  return absl::OkStatus();
}

void RemoveTemporary(const std::string& temp) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    unlink((temp + suffix).c_str());
  }
}

// Writes the dump into the existing, empty file `temp` and syncs it.
absl::Status WriteDump(Store& from, const std::string& temp, Clock* clock) {
  {
    SqliteOptions options;
    options.path = temp;
    options.catalog = from.catalog();
    options.clock = clock != nullptr ? clock : SystemClock::Get();
    options.pool_size = 1;
    VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store,
                            SqliteStore::Open(std::move(options)));
    VIEWER_RETURN_IF_ERROR(CopyStore(from, *store));
  }  // Closing the last connection checkpoints the WAL into the file.
  if (FileSize(temp + "-wal") > 0) {
    return absl::InternalError(absl::StrCat(
        "SQLite left a non-empty write-ahead log for ", temp,
        " after closing it; the dump is not complete in the file"));
  }
  unlink((temp + "-wal").c_str());
  unlink((temp + "-shm").c_str());
  return SyncPath(temp, O_RDONLY);
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return ErrnoError(err == ENOENT ? absl::StatusCode::kNotFound
                                    : absl::StatusCode::kInternal,
                      absl::StrCat("cannot open ", path), err);
  }
  absl::Cleanup closer = [fd] { close(fd); };
  std::string out;
  char buffer[1 << 16];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return ErrnoError(absl::StatusCode::kInternal,
                        absl::StrCat("cannot read ", path), errno);
    }
    if (n == 0) return out;
    out.append(buffer, static_cast<size_t>(n));
  }
}

// `bytes`: the whole file at `path`, a SQLite database.
absl::StatusOr<std::unique_ptr<Store>> LoadSqlite(const std::string& path,
                                                  std::string bytes,
                                                  MemoryOptions options) {
  // SQLite is never pointed at the file: opening it would create -wal and
  // -shm files next to it (or change its journal mode). Its bytes are read
  // and SQLite works on an in-memory image of them, so loading writes
  // nothing anywhere.
  if (FileSize(path + "-wal") > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, "-wal holds changes not yet in ", path,
        " (is a viewer still using it?); stop that viewer, or run "
        "\"sqlite3 ", path, " 'PRAGMA wal_checkpoint(TRUNCATE)'\", then "
        "load again"));
  }
  SqliteOptions sqlite_options;
  sqlite_options.path = ":memory:";
  sqlite_options.image = std::make_shared<const std::string>(std::move(bytes));
  sqlite_options.catalog = options.catalog;
  sqlite_options.clock = options.clock;
  sqlite_options.pool_size = 1;
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> source,
                          SqliteStore::Open(std::move(sqlite_options)));
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<MemoryStore> memory,
                          MemoryStore::Open(std::move(options)));
  VIEWER_RETURN_IF_ERROR(CopyStore(*source, *memory));
  return std::unique_ptr<Store>(std::move(memory));
}

// `text`: the whole file, which should be an export document.
absl::StatusOr<std::unique_ptr<Store>> LoadDocument(const std::string& text,
                                                    MemoryOptions options) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] != '{') {
    return absl::InvalidArgumentError(
        "neither a SQLite database nor an export document (a JSON object)");
  }
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<MemoryStore> memory,
                          MemoryStore::Open(std::move(options)));
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          memory->Begin(TransactionMode::kReadWrite));
  VIEWER_RETURN_IF_ERROR(ApplyImport(*txn, text).status());
  VIEWER_RETURN_IF_ERROR(txn->Commit());
  txn.reset();
  return std::unique_ptr<Store>(std::move(memory));
}

}  // namespace

absl::Status DumpToSqliteFile(Store& from, const std::string& path,
                              Clock* clock) {
  if (path.empty())
    return absl::InvalidArgumentError("dump: the path is empty");
  const std::string context = absl::StrCat("dump to ", path);
  struct stat st;
  const bool exists = stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(context, ": it is a directory"));
  }
  VIEWER_RETURN_IF_ERROR(WithContext(context, CheckNoLiveWal(path)));
  std::string temp = path + ".tmp-XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) {
    return ErrnoError(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat(context, ": cannot create a temporary file in ",
                     DirectoryOf(path)),
        errno);
  }
  const mode_t mode = exists ? (st.st_mode & 07777) : 0600;
  absl::Status status;
  if (fchmod(fd, mode) != 0) {
    status = ErrnoError(absl::StatusCode::kInternal,
                        absl::StrCat("cannot set the mode of ", temp), errno);
  }
  close(fd);
  if (status.ok()) status = WriteDump(from, temp, clock);
  if (status.ok()) status = CheckNoLiveWal(path);
  if (status.ok() && rename(temp.c_str(), path.c_str()) != 0) {
    status =
        ErrnoError(absl::StatusCode::kInternal,
                   absl::StrCat("cannot rename ", temp, " to ", path), errno);
  }
  if (!status.ok()) {
    RemoveTemporary(temp);
    return WithContext(context, status);
  }
  // The rename is durable once the directory is synced.
  return WithContext(context,
                     SyncPath(DirectoryOf(path), O_RDONLY | O_DIRECTORY));
}

absl::StatusOr<std::unique_ptr<Store>> LoadIntoMemory(const std::string& path,
                                                      MemoryOptions options) {
  if (options.catalog.tables().empty()) options.catalog = AppCatalog();
  const std::string context = absl::StrCat("loading ", path);
  absl::StatusOr<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) return WithContext(context, bytes.status());
  absl::StatusOr<std::unique_ptr<Store>> store =
      absl::StartsWith(*bytes, kSqliteMagic)
          ? LoadSqlite(path, std::move(*bytes), std::move(options))
          : LoadDocument(*bytes, std::move(options));
  if (!store.ok()) return WithContext(context, store.status());
  return store;
}

}  // namespace viewer
