// CidDirectory: read-only access to a folder of files named by the CID of their
// bytes (the project's cids/, docs/cids.md and docs/design.md, "CIDs").
//
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<viewer::CidDirectory> cids,
//                           viewer::CidDirectory::Open({.path = "./cids"}));
//   LOG(INFO) << cids->Summary();  // "cids: 23 files in ./cids, listed in..."
//   absl::StatusOr<std::shared_ptr<const std::string>> bytes =
//       cids->Read("AAAAAAAFaGVsbG8");
//   for (const auto& p : cids->DrainProblems()) LOG(WARNING) << p.name ...;
//
// Open() only lists names: no file is read. A file's bytes are read on its
// first Read(), checked against its name (length, then literal bytes or
// SHA-512) and kept in memory, shared by every caller. A file whose name is
// no CID, or whose bytes do not match its name, is never served; it is
// recorded as bad with the reason, and reported once through
// DrainProblems(). Subfolders, hidden files (name starting with '.'),
// symlinks and other non-regular entries are ignored, never followed.
//
// The folder is never written: no file in it is created, written, renamed or
// deleted, and files are opened O_RDONLY | O_NOFOLLOW. A missing folder is
// not an error: it holds no files, and folder_exists() says so.
//
// Thread safety: every method may be called from any thread at once. Disk
// reads and hashing happen without the lock held, so a slow first read
// does not block reads of other (or cached) CIDs. Two threads reading the
// same uncached CID at once may both read the file; both get the same
// cached bytes.
//
// Invariants (under mutex_):
//   1. A name is in at most one of good_ and bad_.
//   2. Every name in good_ is a valid CID; bytes, when set, match it.
//   3. Each bad name is appended to pending_problems_ exactly once.
//   4. cached_bytes_ is the sum of the sizes of the bytes held in good_.
#ifndef VIEWER_APP_CID_DIRECTORY_H_
#define VIEWER_APP_CID_DIRECTORY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/mutex.h"
#include "absl/time/time.h"
#include "app/cid.h"

namespace viewer {

class CidDirectory {
 public:
  struct Options {
    // The folder to read. Never written.
    std::string path = "./cids";
    // Verified bytes are kept in memory up to this total; past it a file is
    // read and checked again on every Read().
    uint64_t max_cache_bytes = uint64_t{256} << 20;
    // Read() refuses files larger than this (kResourceExhausted) rather
    // than try to hold them in memory.
    uint64_t max_file_bytes = uint64_t{1} << 30;
  };

  // A bad file: its name in the folder and why it is not served.
  struct Problem {
    std::string name;
    std::string reason;
  };

  // Lists the names in options.path. Fails only when the path exists but
  // cannot be listed: kFailedPrecondition when it is not a directory,
  // kPermissionDenied or kInternal for other errors (with the errno text).
  static absl::StatusOr<std::unique_ptr<CidDirectory>> Open(Options options);

  CidDirectory(const CidDirectory&) = delete;
  CidDirectory& operator=(const CidDirectory&) = delete;
  ~CidDirectory();

  // The bytes named by `cid`, read and checked on first use, then shared
  // from memory; the pointer stays valid as long as the caller holds it.
  // Fails with:
  //   kInvalidArgument: `cid` is not a valid CID (ParseCid's message);
  //   kNotFound: no file of that name was listed (literal CIDs included);
  //   kDataLoss: the file is bad ("cids/NAME is not served: <reason>"),
  //              now or since an earlier read;
  //   kResourceExhausted: the name says more than Options::max_file_bytes;
  //              the file is not opened and not recorded as bad;
  //   kUnavailable: a transient error (out of file descriptors or memory);
  //              nothing is recorded, a later Read() tries again.
  absl::StatusOr<std::shared_ptr<const std::string>> Read(absl::string_view cid)
      ABSL_LOCKS_EXCLUDED(mutex_);

  // True when a file named `cid` was listed and has not been found bad.
  // Does not read the file.
  bool Contains(absl::string_view cid) const ABSL_LOCKS_EXCLUDED(mutex_);

  // The names of all files not (yet) found bad, in ascending byte order.
  std::vector<std::string> Names() const ABSL_LOCKS_EXCLUDED(mutex_);
  // As Names(), only those starting with `prefix` (case-sensitive), at most
  // `limit` of them.
  std::vector<std::string> NamesWithPrefix(absl::string_view prefix,
                                           size_t limit = SIZE_MAX) const
      ABSL_LOCKS_EXCLUDED(mutex_);

  // Problems found since the previous call, oldest first. Each bad file is
  // returned by exactly one call.
  std::vector<Problem> DrainProblems() ABSL_LOCKS_EXCLUDED(mutex_);
  // Every bad file found so far, by name, whether drained or not.
  std::vector<Problem> BadFiles() const ABSL_LOCKS_EXCLUDED(mutex_);

  const std::string& path() const { return options_.path; }
  bool folder_exists() const { return folder_exists_; }
  // Files listed by Open(), bad ones included, ignored entries excluded.
  size_t listed_count() const { return listed_count_; }
  // Entries Open() skipped: subfolders, hidden files, symlinks, others.
  size_t ignored_count() const { return ignored_count_; }
  // How long Open() took to list the folder.
  absl::Duration listing_time() const { return listing_time_; }
  // Files currently servable (listed and not found bad).
  size_t file_count() const ABSL_LOCKS_EXCLUDED(mutex_);
  size_t bad_count() const ABSL_LOCKS_EXCLUDED(mutex_);
  // Total bytes held in the cache.
  uint64_t cached_bytes() const ABSL_LOCKS_EXCLUDED(mutex_);
  // One line for the log, e.g. "cids: 23 files in ./cids (1 bad, 2 ignored),
  // listed in 0.41ms" or "cids: folder ./cids does not exist; no files".
  std::string Summary() const ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  struct Entry {
    ParsedCid parsed;
    // Set once the bytes have been read, checked and cached.
    std::shared_ptr<const std::string> bytes;
  };

  explicit CidDirectory(Options options);

  absl::Status List();
  // Records `name` as bad unless it already is. Returns the kDataLoss
  // status Read() gives for it.
  absl::Status MarkBad(const std::string& name, std::string reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::Status BadStatus(const std::string& name,
                         absl::string_view reason) const;

  const Options options_;
  // The folder, open for openat(); -1 when it does not exist.
  int dir_fd_ = -1;
  bool folder_exists_ = false;
  size_t listed_count_ = 0;
  size_t ignored_count_ = 0;
  absl::Duration listing_time_;

  mutable Mutex mutex_;
  absl::btree_map<std::string, Entry> good_ ABSL_GUARDED_BY(mutex_);
  // Name -> reason.
  absl::btree_map<std::string, std::string> bad_ ABSL_GUARDED_BY(mutex_);
  std::vector<Problem> pending_problems_ ABSL_GUARDED_BY(mutex_);
  uint64_t cached_bytes_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace viewer

#endif  // VIEWER_APP_CID_DIRECTORY_H_
