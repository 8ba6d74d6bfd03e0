// Store files: a whole store dumped to a SQLite file, and a file (SQLite or an
// export document) loaded into a memory store (--dump-db-on-exit and --load:
// docs/in_memory_database.md, "Keeping work").
//
//   // --dump-db-on-exit FILE, POST /api/dump:
//   VIEWER_RETURN_IF_ERROR(DumpToSqliteFile(*memory_store, "/srv/dump.db"));
//   // --load FILE:
//   MemoryOptions options;
//   options.catalog = AppCatalog();
//   options.byte_limit = max_memory;
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Store> store,
//                           LoadIntoMemory("/srv/dump.db", options));
//
// Both go through the storage contract (CopyStore, app/store_copy.h); only
// the choice of backend is made here, which is why these live in their own
// library, `app_store_files` (app plus sqlite_backend), and not in `app`,
// which knows no backend.
//
// Thread safety: no state of its own. Stores may be shared (engine/store.h).
#ifndef VIEWER_APP_STORE_FILES_H_
#define VIEWER_APP_STORE_FILES_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/clock.h"
#include "engine/memory_store.h"
#include "engine/store.h"

namespace viewer {

// Writes everything `from` holds (one read-only snapshot; writers may go on)
// to a SQLite file at `path` in the disk layout (sqlite_backend), which
// `viewer` on disk opens directly. `clock` is the new store's clock (null:
// the system clock); every copied row keeps its own timestamps.
//
// Atomic: the file is written as `path` + ".tmp-XXXXXX" in the same
// directory, synced, closed, renamed over `path` only when complete, and
// the directory synced. An error or a crash before the rename leaves `path`
// as it was (old file or none); an error also removes the temporary file
// (and its -wal/-shm). A process killed mid-dump may leave a
// "PATH.tmp-XXXXXX" behind, never read by anything and safe to delete. The
// new file takes the mode of the file it replaces (0600 when there is none:
// it may hold secrets).
//
// Errors: kInvalidArgument for an empty path or a path naming a directory;
// kFailedPrecondition when `path`-wal is not empty (`path` is open in
// another process, or was not closed cleanly: replacing the file under its
// write-ahead log would corrupt it), or when the temporary file cannot be
// created (the message has the errno text); kInternal for a failed
// write, sync or rename; the stores' errors.
absl::Status DumpToSqliteFile(Store& from, const std::string& path,
                              Clock* clock = nullptr);

// A new memory store holding the contents of the file at `path`:
//   - a SQLite database (it starts with "SQLite format 3"), in the disk
//     layout: every row copied exactly (CopyStore). The file is only
//     read: its bytes are handed to SQLite as an in-memory image
//     (SqliteOptions::image), so nothing is written anywhere, not even a
//     temporary file. A file with rows still in its -wal is refused with
//     the way out (stop the viewer using it, or checkpoint it with sqlite3).
//     Load a file no process is writing.
//   - otherwise an export document (app/export_import.h), applied with
//     ApplyImport to the empty store.
// An empty `options.catalog` means AppCatalog(); an export document needs
// the application's tables.
//
// Errors: kNotFound when `path` does not exist; kInvalidArgument when it is
// neither a SQLite database nor a valid export document (ApplyImport's
// problems), or the catalogs differ; kFailedPrecondition when the SQLite
// file does not fit the catalog; kResourceExhausted past
// options.byte_limit; kInternal for I/O errors. Each message names `path`.
absl::StatusOr<std::unique_ptr<Store>> LoadIntoMemory(const std::string& path,
                                                      MemoryOptions options);

}  // namespace viewer

#endif  // VIEWER_APP_STORE_FILES_H_
