// cid: compute, add and verify files named by their CID (docs/cids.md,
// docs/design.md "CIDs").
//
//   cid compute README.md logo.png     # "<CID>  <file>" per file
//   cid add notes.md --dir cids        # copy into cids/ named by CID
//   cid verify cids                    # exit 1 and list the bad files
//
// Exit status: 0 success, 1 a file was bad or could not be read or written,
// 2 bad usage. `add` writes each file to a hidden temp file in DIR and
// renames it into place, so a reader never sees a half-written CID file.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "app/cid.h"
#include "app/cid_directory.h"

namespace viewer {
namespace {

constexpr char kUsage[] =
    "Usage:\n"
    "  cid compute FILE...        print \"<CID>  <FILE>\" for each file\n"
    "                             (\"-\" reads standard input)\n"
    "  cid add FILE... --dir DIR  copy each file into DIR, named by its CID;\n"
    "                             files already there are left alone\n"
    "  cid verify DIR             check every file in DIR against its name;\n"
    "                             list the bad ones and exit 1 if any\n"
    "  cid --help                 show this text\n"
    "Exit status: 0 success, 1 a bad or unreadable file, 2 bad usage.\n";

int UsageError(absl::string_view message) {
  std::cerr << "cid: " << message << "\n" << kUsage;
  return 2;
}

std::string ErrnoText(int error) {
  char buffer[256];
  return strerror_r(error, buffer, sizeof(buffer));
}

// The whole content of `path` ("-": standard input).
absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  const bool is_stdin = path == "-";
  const int fd =
      is_stdin ? STDIN_FILENO : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot open ", path, ": ", ErrnoText(errno)));
  }
  std::string bytes;
  char buffer[1 << 16];
  absl::Status status;
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = absl::DataLossError(
          absl::StrCat("cannot read ", path, ": ", ErrnoText(errno)));
      break;
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  if (!is_stdin) close(fd);
  if (!status.ok()) return status;
  return bytes;
}

absl::Status WriteAll(int fd, absl::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::DataLossError(ErrnoText(errno));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

// Writes `bytes` to dir/name through a hidden temp file in `dir` and a
// rename, so the name only ever holds complete content.
absl::Status WriteAtomically(const std::string& dir, const std::string& name,
                             absl::string_view bytes) {
  std::string temp = absl::StrCat(dir, "/.cid-add-XXXXXX");
  const int fd = mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) {
    return absl::DataLossError(absl::StrCat("cannot create a temp file in ",
                                            dir, ": ", ErrnoText(errno)));
  }
  absl::Status status = WriteAll(fd, bytes);
  if (status.ok() && fchmod(fd, 0644) != 0) {
    status = absl::DataLossError(ErrnoText(errno));
  }
  if (status.ok() && fsync(fd) != 0) {
    status = absl::DataLossError(ErrnoText(errno));
  }
  if (close(fd) != 0 && status.ok()) {
    status = absl::DataLossError(ErrnoText(errno));
  }
  const std::string target = absl::StrCat(dir, "/", name);
  if (status.ok() && rename(temp.c_str(), target.c_str()) != 0) {
    status = absl::DataLossError(ErrnoText(errno));
  }
  if (!status.ok()) {
    unlink(temp.c_str());
    return absl::DataLossError(
        absl::StrCat("cannot write ", target, ": ", status.message()));
  }
  return absl::OkStatus();
}

int Compute(const std::vector<std::string>& files) {
  if (files.empty()) return UsageError("compute needs at least one FILE");
  int exit_code = 0;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> bytes = ReadWholeFile(file);
    if (!bytes.ok()) {
      std::cerr << "cid: " << bytes.status().message() << "\n";
      exit_code = 1;
      continue;
    }
    std::cout << ComputeCid(*bytes) << "  " << file << "\n";
  }
  return exit_code;
}

int Add(const std::vector<std::string>& files, const std::string& dir) {
  if (files.empty()) return UsageError("add needs at least one FILE");
  if (dir.empty()) return UsageError("add needs --dir DIR");
  struct stat st;
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    std::cerr << "cid: " << dir << " is not a directory\n";
    return 1;
  }
  int exit_code = 0;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> bytes = ReadWholeFile(file);
    if (!bytes.ok()) {
      std::cerr << "cid: " << bytes.status().message() << "\n";
      exit_code = 1;
      continue;
    }
    const std::string cid = ComputeCid(*bytes);
    const std::string target = absl::StrCat(dir, "/", cid);
    const char* outcome = "added";
    if (lstat(target.c_str(), &st) == 0) {
      absl::StatusOr<std::string> existing =
          S_ISREG(st.st_mode)
              ? ReadWholeFile(target)
              : absl::StatusOr<std::string>(absl::FailedPreconditionError(""));
      if (existing.ok() && *existing == *bytes) {
        std::cout << cid << "  " << file << "  already present\n";
        continue;
      }
      // The name is the CID of our bytes, so what is there is damaged.
      outcome = "replaced a damaged copy";
    }
    absl::Status written = WriteAtomically(dir, cid, *bytes);
    if (!written.ok()) {
      std::cerr << "cid: " << written.message() << "\n";
      exit_code = 1;
      continue;
    }
    std::cout << cid << "  " << file << "  " << outcome << "\n";
  }
  // Make the renames durable.
  const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return exit_code;
}

int Verify(const std::string& dir) {
  CidDirectory::Options options;
  options.path = dir;
  options.max_cache_bytes = 0;  // Check each file once; keep none.
  absl::StatusOr<std::unique_ptr<CidDirectory>> opened =
      CidDirectory::Open(options);
  if (!opened.ok()) {
    std::cerr << "cid: " << opened.status().message() << "\n";
    return 1;
  }
  CidDirectory& cids = **opened;
  if (!cids.folder_exists()) {
    std::cerr << "cid: " << dir << " does not exist\n";
    return 1;
  }
  size_t good = 0;
  size_t unreadable = 0;
  for (const std::string& name : cids.Names()) {
    absl::StatusOr<std::shared_ptr<const std::string>> bytes = cids.Read(name);
    if (bytes.ok()) {
      ++good;
    } else if (bytes.status().code() != absl::StatusCode::kDataLoss) {
      std::cerr << "cid: " << bytes.status().message() << "\n";
      ++unreadable;
    }
  }
  const std::vector<CidDirectory::Problem> bad = cids.BadFiles();
  for (const CidDirectory::Problem& problem : bad) {
    std::cout << "BAD  " << problem.name << "  " << problem.reason << "\n";
  }
  std::cout << dir << ": " << good << " good, " << bad.size() << " bad";
  if (unreadable > 0) std::cout << ", " << unreadable << " unreadable";
  if (cids.ignored_count() > 0) {
    std::cout << " (" << cids.ignored_count()
              << " ignored: subfolders, hidden files, symlinks)";
  }
  std::cout << "\n";
  return bad.empty() && unreadable == 0 ? 0 : 1;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
  }
  if (args.empty()) return UsageError("missing command");
  const std::string command = args[0];
  std::vector<std::string> operands;
  std::string dir;
  bool dir_given = false;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--dir") {
      if (i + 1 == args.size()) return UsageError("--dir needs a value");
      dir = args[++i];
      dir_given = true;
    } else if (absl::string_view(arg).substr(0, 6) == "--dir=") {
      dir = arg.substr(6);
      dir_given = true;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return UsageError(absl::StrCat("unknown option ", arg));
    } else {
      operands.push_back(arg);
    }
  }
  if (dir_given && command != "add") {
    return UsageError(absl::StrCat("--dir only applies to add, not ", command));
  }
  if (command == "compute") return Compute(operands);
  if (command == "add") return Add(operands, dir);
  if (command == "verify") {
    if (operands.size() != 1) return UsageError("verify needs exactly one DIR");
    return Verify(operands[0]);
  }
  return UsageError(absl::StrCat("unknown command ", command));
}

}  // namespace
}  // namespace viewer

int main(int argc, char** argv) { return viewer::Main(argc, argv); }
