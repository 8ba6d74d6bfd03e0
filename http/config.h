// The viewer command line and DATABASE_URL, parsed into a Config without
// side effects, so every rule is testable:
//
//   absl::StatusOr<viewer::CommandLine> cl = viewer::ParseCommandLine(
//       argc, argv, viewer::GetEnv("DATABASE_URL"));
//   if (!cl.ok()) { std::cerr << "viewer: " << cl.status().message() << "\n";
//                   return 2; }
//   if (cl->action == CommandLine::kHelp) { std::cout << cl->text; return 0; }
//   Use(cl->config);
//
// Rules (docs/in_memory_database.md, "Command line"; docs/postgres.md):
//   - DATABASE_URL picks the disk file: "sqlite:///relative.db" (relative to
//     the working directory) or "sqlite:////absolute.db"; unset or empty
//     means "sqlite:///secureapp.db". "postgresql://..." or "postgres://..."
//     picks a PostgreSQL database instead (StoreMode::kPostgres; libpq
//     parses the URL when the store opens).
//   - "viewer copy FROM TO" copies a whole store between two such URLs
//     (CommandLine::kCopy); it takes no other flag.
//   - --in-memory-db wins over DATABASE_URL; Config says it did, so the log
//     can say so. DATABASE_URL is then not even checked.
//   - "sqlite:///:memory:" is refused with a hint to use --in-memory-db
//     (memory mode never uses SQLite); any other scheme, an empty path, a
//     query string or a NUL is refused as unsupported.
//   - --read-only implies memory mode. --dump-db-on-exit, --load and
//     --seed need memory mode (--in-memory-db or --read-only); the only seed
//     is "demo"; --dump-db-on-exit with --read-only is refused (nothing to
//     dump).
//   - Unknown flags, stray arguments and bad values are kInvalidArgument
//     with a one-line message.
//
// Thread safety: pure functions.
#ifndef VIEWER_HTTP_CONFIG_H_
#define VIEWER_HTTP_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/store_handle.h"

namespace viewer {

inline constexpr char kDefaultDatabaseUrl[] = "sqlite:///secureapp.db";

std::string UrlWithoutPassword(absl::string_view url);

struct Config {
  // Which store backs this run.
  StoreMode mode = StoreMode::kDisk;
  // The DATABASE_URL in effect (the default when unset); kept in memory
  // mode for the "--in-memory-db wins" log line.
  std::string database_url = kDefaultDatabaseUrl;
  // Disk mode: the SQLite file, as DatabasePathFromUrl gives it.
  std::string database_path;
  // DATABASE_URL without its password, for logs and messages.
  std::string database_url_shown() const {
    return UrlWithoutPassword(database_url);
  }
  // True when --in-memory-db was given while DATABASE_URL was set.
  bool memory_overrides_database_url = false;
  // Interface to listen on.
  std::string host = "127.0.0.1";
  // Host names accepted besides the listening address (--allowed-host).
  std::vector<std::string> allowed_hosts;
  // TCP port; 0 picks a free one (the start-up log prints it).
  int port = 5000;
  // The read-only folder of CID files.
  std::string cids_dir = "./cids";
  // Log every request (method, path, status, time; never bodies).
  bool debug = false;
  // Largest request body accepted; larger ones get 413.
  uint64_t max_body_bytes = uint64_t{64} << 20;
  // Memory mode: bytes the engine may hold; past it writes get 507.
  uint64_t max_memory_bytes = uint64_t{1} << 30;
  // Worker threads; 0: the number of CPUs, at least 8.
  int threads = 0;
  // Memory mode: the SQLite file written at shutdown and by POST /api/dump
  // (--dump-db-on-exit); empty: neither. The only path a dump ever goes to.
  std::string dump_path;
  // Memory mode: the SQLite file or export document to start from, or the
  // PostgreSQL database ("postgresql://...", only read) (--load); empty:
  // start empty.
  std::string load_path;
  // Memory mode: the seed to add at start ("demo"); empty: none.
  std::string seed;
  // The CID of an export document (viewer's, or the original's version 6)
  // to import at start, from the store or the cids folder (--boot-cid);
  // empty: none. The key of the original's encrypted secrets comes from
  // the VIEWER_SECRET_KEY environment variable; without it they are left
  // out and named.
  std::string boot_cid;
  // A demo session (--read-only, which implies memory mode): every method
  // but GET and HEAD gets 405, and no page views are recorded.
  bool read_only = false;

  bool in_memory() const { return mode == StoreMode::kMemory; }
};

struct CommandLine {
  enum Action { kRun, kHelp, kVersion, kCopy };
  Action action = kRun;
  Config config;
  // kHelp: the usage text; kVersion: "viewer 0.1.0".
  std::string text;
  // kCopy: the store to copy from and the (empty) store to copy to, each a
  // sqlite:/// or postgresql:// URL.
  std::string copy_from;
  std::string copy_to;
};

// Parses argv (argv[0] is the program name) with `database_url_env` being
// DATABASE_URL (nullopt when unset). Errors are kInvalidArgument with a
// one-line message meant to follow "viewer: ".
absl::StatusOr<CommandLine> ParseCommandLine(
    int argc, const char* const* argv,
    const std::optional<std::string>& database_url_env);

// "sqlite:///x.db" -> "x.db", "sqlite:////var/x.db" -> "/var/x.db".
// kInvalidArgument for anything else, with the reason (see above).
absl::StatusOr<std::string> DatabasePathFromUrl(absl::string_view url);

// True for "postgresql://..." and "postgres://..." (case-insensitive
// scheme).
bool IsPostgresUrl(absl::string_view url);

// `url` with any password replaced by "***": the user-info password of a
// URL ("postgresql://u:secret@h/db"), a "password=" query parameter, or
// the password of a libpq "key=value" string. Everything else unchanged.
std::string UrlWithoutPassword(absl::string_view url);

// "65536", "64K", "64KiB", "512M", "1G", "1GB", "1.5G" (powers of 1024; a
// fraction of a unit is rounded down to whole bytes) -> bytes.
// kInvalidArgument for anything else, zero, or past 2^62.
absl::StatusOr<uint64_t> ParseByteSize(absl::string_view text);

// The environment variable `name`, or nullopt when unset.
std::optional<std::string> GetEnv(const char* name);

// The program's version, e.g. "0.1.0".
absl::string_view ViewerVersion();

}  // namespace viewer

#endif  // VIEWER_HTTP_CONFIG_H_
