// CopyStore: a store-to-store copy through the storage contract
// (engine/store.h), the heart of dump and load (app/store_files.h).
//
//   // A memory session written to a SQLite store, or the reverse:
//   VIEWER_RETURN_IF_ERROR(CopyStore(*memory_store, *sqlite_store));
//
// Every row of every table of `from`'s catalog is copied exactly: ids,
// timestamps, NULLs and every other column, as `from` shows them. The copy
// reads one read-only snapshot of `from` (so writers may keep working on
// it; they are not seen) and writes one read-write transaction of `to`,
// committed at the end: `to` holds either the whole copy or nothing of it.
//
// Errors:
//   kInvalidArgument    the catalogs differ: a table of `from` missing in
//                       `to`, or a table whose columns (names and types, in
//                       order) differ ("catalogs differ: table server ...")
//   kFailedPrecondition `to` is not empty ("CopyStore needs an empty
//                       destination: table server holds 3 rows")
//   anything either store returns (kUnavailable when `to`'s write slot is
//   busy, kResourceExhausted past a memory store's limit, ...). On any error
//   `to` is left as it was.
//
// Thread safety: no state of its own; `from` and `to` are Stores, safe to
// share (engine/store.h). `from` and `to` must be different stores.
#ifndef VIEWER_APP_STORE_COPY_H_
#define VIEWER_APP_STORE_COPY_H_

#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/store.h"

namespace viewer {

// Told after each page of rows written to `to` (and once for an empty
// table): the table, the rows of it copied so far, and whether the table
// is done. Runs on the calling thread, inside the copy.
using CopyProgress =
    std::function<void(absl::string_view table, int64_t rows, bool done)>;

absl::Status CopyStore(Store& from, Store& to,
                       const CopyProgress& progress = nullptr);

// OK when every table of `from` is in `to` with the same columns (names and
// types, in order); else kInvalidArgument naming the first difference.
absl::Status CheckSameTables(const Catalog& from, const Catalog& to);

}  // namespace viewer

#endif  // VIEWER_APP_STORE_COPY_H_
