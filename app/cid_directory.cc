#include "app/cid_directory.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "app/cid.h"

namespace viewer {
namespace {

std::string ErrnoText(int error) {
  char buffer[256];
  // GNU strerror_r: returns a pointer to the message, which may or may not
  // be `buffer`.
  return strerror_r(error, buffer, sizeof(buffer));
}

// Errors that say nothing about the file: the next attempt may succeed.
bool IsTransient(int error) {
  return error == EMFILE || error == ENFILE || error == ENOMEM ||
         error == EINTR || error == EAGAIN;
}

// Closes a file descriptor on every path out of a scope.
struct FdCloser {
  int fd;
  ~FdCloser() { close(fd); }
};

// The result of reading one file: its bytes, or why it could not be read
// and whether that is the file's fault (bad) or the moment's (transient).
struct FileRead {
  enum class Kind { kOk, kBad, kTransient };
  Kind kind = Kind::kOk;
  std::string bytes;
  std::string reason;
};

FileRead Failure(FileRead::Kind kind, std::string reason) {
  FileRead r;
  r.kind = kind;
  r.reason = std::move(reason);
  return r;
}

// Reads `name` in the folder `dir_fd`, expecting `expected` bytes. Never
// follows a symlink and never blocks on a FIFO (O_NONBLOCK; it has no
// effect on regular files).
FileRead ReadFileAt(int dir_fd, const std::string& name, uint64_t expected) {
  const int fd = openat(dir_fd, name.c_str(),
                        O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    const int error = errno;
    if (IsTransient(error)) {
      return Failure(FileRead::Kind::kTransient,
                     absl::StrCat("cannot open: ", ErrnoText(error)));
    }
    if (error == ELOOP) {
      return Failure(FileRead::Kind::kBad,
                     "became a symlink after the listing; links are not "
                     "followed");
    }
    if (error == ENOENT) {
      return Failure(FileRead::Kind::kBad, "disappeared after the listing");
    }
    return Failure(FileRead::Kind::kBad,
                   absl::StrCat("cannot open: ", ErrnoText(error)));
  }
  const FdCloser closer{fd};
  struct stat st;
  if (fstat(fd, &st) != 0) {
    return Failure(FileRead::Kind::kBad,
                   absl::StrCat("cannot stat: ", ErrnoText(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return Failure(FileRead::Kind::kBad, "is not a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) != expected) {
    return Failure(FileRead::Kind::kBad,
                   absl::StrCat("the name says ", expected,
                                " bytes but the file holds ", st.st_size));
  }
  FileRead result;
  // One byte more than expected, so a file that grew since fstat shows up
  // as a length mismatch instead of being cut short.
  result.bytes.resize(expected + 1);
  size_t done = 0;
  while (done < result.bytes.size()) {
    const ssize_t n =
        read(fd, result.bytes.data() + done, result.bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Failure(FileRead::Kind::kBad,
                     absl::StrCat("cannot read: ", ErrnoText(errno)));
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  result.bytes.resize(done);
  return result;
}

}  // namespace

CidDirectory::CidDirectory(Options options) : options_(std::move(options)) {}

CidDirectory::~CidDirectory() {
  if (dir_fd_ >= 0) close(dir_fd_);
}

absl::StatusOr<std::unique_ptr<CidDirectory>> CidDirectory::Open(
    Options options) {
  std::unique_ptr<CidDirectory> dir(new CidDirectory(std::move(options)));
  const absl::Time start = absl::Now();
  absl::Status listed = dir->List();
  if (!listed.ok()) return listed;
  dir->listing_time_ = absl::Now() - start;
  return dir;
}

absl::Status CidDirectory::List() {
  const std::string& path = options_.path;
  dir_fd_ = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) {
    const int error = errno;
    if (error == ENOENT) return absl::OkStatus();  // No folder, no files.
    const std::string message = absl::StrCat("cannot open the cids folder ",
                                             path, ": ", ErrnoText(error));
    if (error == ENOTDIR) {
      return absl::FailedPreconditionError(
          absl::StrCat("the cids folder ", path, " is not a directory"));
    }
    if (error == EACCES || error == EPERM) {
      return absl::PermissionDeniedError(message);
    }
    return absl::InternalError(message);
  }
  folder_exists_ = true;
  // A second open file description, so listing leaves dir_fd_ untouched.
  const int list_fd = openat(dir_fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* listing = list_fd < 0 ? nullptr : fdopendir(list_fd);
  if (listing == nullptr) {
    const int error = errno;
    if (list_fd >= 0) close(list_fd);
    return absl::InternalError(absl::StrCat("cannot list the cids folder ",
                                            path, ": ", ErrnoText(error)));
  }
  MutexLock lock(&mutex_);
  while (true) {
    errno = 0;  // readdir() says "end" and "error" both by nullptr.
    const struct dirent* entry = readdir(listing);
    if (entry == nullptr) break;
    const std::string name = entry->d_name;
    if (name.empty() || name[0] == '.') {  // Hidden, "." and "..".
      if (name != "." && name != "..") ++ignored_count_;
      continue;
    }
    bool regular = entry->d_type == DT_REG;
    if (entry->d_type == DT_UNKNOWN) {
      struct stat st;
      regular = fstatat(dir_fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISREG(st.st_mode);
    }
    if (!regular) {  // Subfolders, symlinks, FIFOs, sockets, devices.
      ++ignored_count_;
      continue;
    }
    ++listed_count_;
    absl::StatusOr<ParsedCid> parsed = ParseCid(name);
    if (!parsed.ok()) {
      MarkBad(name, absl::StrCat("the name is not a CID: ",
                                 parsed.status().message()))
          .IgnoreError();
      continue;
    }
    good_[name].parsed = *std::move(parsed);
  }
  const int error = errno;
  closedir(listing);
  if (error != 0) {
    return absl::InternalError(absl::StrCat("cannot list the cids folder ",
                                            path, ": ", ErrnoText(error)));
  }
  return absl::OkStatus();
}

absl::Status CidDirectory::BadStatus(const std::string& name,
                                     absl::string_view reason) const {
  return absl::DataLossError(
      absl::StrCat(options_.path, "/", name, " is not served: ", reason));
}

absl::Status CidDirectory::MarkBad(const std::string& name,
                                   std::string reason) {
  auto [it, inserted] = bad_.try_emplace(name, reason);
  if (inserted) {
    auto good = good_.find(name);
    if (good != good_.end()) {
      if (good->second.bytes) cached_bytes_ -= good->second.bytes->size();
      good_.erase(good);
    }
    pending_problems_.push_back(Problem{name, std::move(reason)});
  }
  return BadStatus(name, it->second);
}

absl::StatusOr<std::shared_ptr<const std::string>> CidDirectory::Read(
    absl::string_view cid) {
  ParsedCid parsed;
  {
    MutexLock lock(&mutex_);
    auto it = good_.find(cid);
    if (it == good_.end()) {
      auto bad = bad_.find(cid);
      if (bad != bad_.end()) return BadStatus(bad->first, bad->second);
      absl::StatusOr<ParsedCid> valid = ParseCid(cid);
      if (!valid.ok()) return valid.status();
      return absl::NotFoundError(
          absl::StrCat("CID ", cid, " is not in ", options_.path));
    }
    if (it->second.bytes) return it->second.bytes;
    parsed = it->second.parsed;
  }

  if (parsed.length > options_.max_file_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        options_.path, "/", parsed.cid, " holds ", parsed.length,
        " bytes, more than the limit of ", options_.max_file_bytes));
  }
  // Read and check without the lock: other CIDs stay readable meanwhile.
  FileRead file = ReadFileAt(dir_fd_, parsed.cid, parsed.length);
  if (file.kind == FileRead::Kind::kOk) {
    absl::Status check = CheckCidBytes(parsed, file.bytes);
    if (!check.ok()) {
      file.kind = FileRead::Kind::kBad;
      file.reason = std::string(check.message());
    }
  }
  if (file.kind == FileRead::Kind::kTransient) {
    return absl::UnavailableError(absl::StrCat(
        "cannot read ", options_.path, "/", parsed.cid, ": ", file.reason));
  }

  MutexLock lock(&mutex_);
  if (file.kind == FileRead::Kind::kBad) {
    return MarkBad(parsed.cid, std::move(file.reason));
  }
  auto bytes = std::make_shared<const std::string>(std::move(file.bytes));
  auto it = good_.find(parsed.cid);
  if (it == good_.end()) {
    // Another thread found the file bad meanwhile: trust the bad verdict.
    auto bad = bad_.find(parsed.cid);
    if (bad != bad_.end()) return BadStatus(bad->first, bad->second);
    return bytes;
  }
  if (it->second.bytes) return it->second.bytes;  // Another thread won.
  if (cached_bytes_ + bytes->size() <= options_.max_cache_bytes) {
    it->second.bytes = bytes;
    cached_bytes_ += bytes->size();
  }
  return bytes;
}

bool CidDirectory::Contains(absl::string_view cid) const {
  MutexLock lock(&mutex_);
  return good_.contains(cid);
}

std::vector<std::string> CidDirectory::Names() const {
  return NamesWithPrefix("");
}

std::vector<std::string> CidDirectory::NamesWithPrefix(absl::string_view prefix,
                                                       size_t limit) const {
  std::vector<std::string> names;
  MutexLock lock(&mutex_);
  for (auto it = good_.lower_bound(prefix);
       it != good_.end() && names.size() < limit &&
       absl::string_view(it->first).substr(0, prefix.size()) == prefix;
       ++it) {
    names.push_back(it->first);
  }
  return names;
}

std::vector<CidDirectory::Problem> CidDirectory::DrainProblems() {
  MutexLock lock(&mutex_);
  std::vector<Problem> problems;
  problems.swap(pending_problems_);
  return problems;
}

std::vector<CidDirectory::Problem> CidDirectory::BadFiles() const {
  MutexLock lock(&mutex_);
  std::vector<Problem> problems;
  problems.reserve(bad_.size());
  for (const auto& [name, reason] : bad_) problems.push_back({name, reason});
  return problems;
}

size_t CidDirectory::file_count() const {
  MutexLock lock(&mutex_);
  return good_.size();
}

size_t CidDirectory::bad_count() const {
  MutexLock lock(&mutex_);
  return bad_.size();
}

uint64_t CidDirectory::cached_bytes() const {
  MutexLock lock(&mutex_);
  return cached_bytes_;
}

std::string CidDirectory::Summary() const {
  if (!folder_exists_) {
    return absl::StrCat("cids: folder ", options_.path,
                        " does not exist; no files");
  }
  MutexLock lock(&mutex_);
  return absl::StrCat("cids: ", good_.size(), " files in ", options_.path, " (",
                      bad_.size(), " bad, ", ignored_count_,
                      " ignored), listed in ",
                      absl::FormatDuration(listing_time_));
}

}  // namespace viewer
