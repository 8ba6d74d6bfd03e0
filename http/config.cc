#include "http/config.h"

#include <cstdlib>
#include <exception>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/cid.h"
#include "cxxopts.hpp"
#include "engine/status_macros.h"

#ifndef VIEWER_VERSION
#define VIEWER_VERSION "0.0.0"
#endif

namespace viewer {
namespace {

constexpr char kSqlitePrefix[] = "sqlite:///";

cxxopts::Options MakeOptions() {
  cxxopts::Options options(
      "viewer",
      "viewer: content-addressed content (CIDs) and the servers, aliases,\n"
      "variables and secrets around it, on a SQLite file, a PostgreSQL\n"
      "database or in memory.\n\n"
      "Typical demo: viewer --read-only --seed demo\n"
      "Keep a memory session: viewer --in-memory-db --load work.db "
      "--dump-db-on-exit work.db\n"
      "Copy a whole store to an empty one: viewer copy FROM_URL TO_URL\n"
      "  (e.g. viewer copy sqlite:///secureapp.db "
      "postgresql://user:pw@host/db)\n\n"
      "Environment:\n"
      "  DATABASE_URL  the database: sqlite:///relative.db or\n"
      "                sqlite:////absolute.db (default "
      "sqlite:///secureapp.db),\n"
      "                or postgresql://user:password@host:port/dbname\n"
      "                (also postgres://, ?sslmode=..., ?host=/socket/dir;\n"
      "                several viewer processes may share one database)\n");
  options.add_options()(
      "in-memory-db",
      "Keep everything in memory: nothing is written to disk and all of it "
      "is gone when viewer stops (wins over DATABASE_URL)")(
      "port", "TCP port to listen on; 0 picks a free one",
      cxxopts::value<std::string>()->default_value("5000"), "PORT")(
      "host", "Interface to listen on",
      cxxopts::value<std::string>()->default_value("127.0.0.1"),
      "HOST")("allowed-host",
              "A host name browsers may use for this viewer besides the "
              "address it listens on (NAME or NAME:PORT; repeatable); "
              "requests naming any other host get 421",
              cxxopts::value<std::vector<std::string>>(), "NAME")("cids-dir", "Read-only folder of files named by their CID",
              cxxopts::value<std::string>()->default_value("./cids"), "DIR")(
      "max-body", "Largest request body accepted (413 past it)",
      cxxopts::value<std::string>()->default_value("64M"), "SIZE")(
      "max-memory",
      "Memory mode: most bytes the store may hold, e.g. 512K, 100M, 1G, "
      "1.5G. A write past it is refused whole (HTTP 507; 413 for one body "
      "larger than the limit); nothing is ever evicted",
      cxxopts::value<std::string>()->default_value("1G"), "SIZE")(
      "dump-db-on-exit",
      "Memory mode: on exit (SIGINT/SIGTERM), and on POST /api/dump, write "
      "the whole store to FILE, a SQLite database that viewer on disk opens "
      "directly (DATABASE_URL=sqlite:////abs/FILE). Written to a temporary "
      "file renamed into place when complete: FILE is always whole",
      cxxopts::value<std::string>(), "FILE")(
      "load",
      "Memory mode: start from FILE, a SQLite database (a dump, or a disk "
      "database no viewer is using) or an export document (GET /export), "
      "or from a PostgreSQL database (postgresql://...); it is only read",
      cxxopts::value<std::string>(), "FILE")(
      "seed",
      "Memory mode: fill the session with a demo (the only NAME is 'demo'), "
      "built on the cids folder; adds only what is missing",
      cxxopts::value<std::string>(), "NAME")(
      "boot-cid",
      "Import the export document stored as CID (in the store or the cids "
      "folder; viewer's own or the original application's version 6) at "
      "start; the original's servers come in disabled. Encrypted secrets "
      "are read with the key in VIEWER_SECRET_KEY, else left out",
      cxxopts::value<std::string>(), "CID")(
      "read-only",
      "A demo session: memory mode (implies --in-memory-db), and every "
      "request but GET and HEAD is refused with 405; no page views are "
      "recorded")("threads", "Worker threads; 0: one per CPU, at least 8",
                  cxxopts::value<std::string>()->default_value("0"), "N")(
      "debug", "Log every request (method, path, status, time)")(
      "help", "Print this help and exit")("version",
                                          "Print the version and exit");
  return options;
}

absl::StatusOr<int> ParseIntInRange(absl::string_view flag,
                                    absl::string_view text, int lo, int hi) {
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < lo || value > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, " must be a whole number from ", lo, " to ",
                     hi, ", got '", text, "'"));
  }
  return value;
}

// The flags that only make sense for a memory session, and the one
// combination that makes no sense at all.
absl::Status CheckMemoryOnlyFlags(const Config& config, bool in_memory) {
  if (!in_memory) {
    if (!config.dump_path.empty()) {
      return absl::InvalidArgumentError(
          "--dump-db-on-exit needs --in-memory-db: a disk database is "
          "already written to its file as it changes");
    }
    if (!config.load_path.empty()) {
      return absl::InvalidArgumentError(
          "--load needs --in-memory-db (or --read-only); to work on a SQLite "
          "file directly, use DATABASE_URL=sqlite:////absolute/path.db");
    }
    if (!config.seed.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--seed ", config.seed,
          " needs --in-memory-db (or --read-only): a seed never writes into "
          "a disk database"));
    }
  }
  if (config.read_only && !config.dump_path.empty()) {
    return absl::InvalidArgumentError(
        "--dump-db-on-exit with --read-only: a read-only session changes "
        "nothing, so there is nothing new to dump");
  }
  return absl::OkStatus();
}

// The flags about serving: where, how many threads, how much a request or
// the memory store may hold, and request logging.
absl::Status ReadServingFlags(const cxxopts::ParseResult& result,
                              Config& config) {
  auto text = [&](const char* flag) { return result[flag].as<std::string>(); };
  VIEWER_ASSIGN_OR_RETURN(config.port,
                          ParseIntInRange("port", text("port"), 0, 65535));
  VIEWER_ASSIGN_OR_RETURN(config.threads,
                          ParseIntInRange("threads", text("threads"), 0, 1024));
  config.host = text("host");
  if (config.host.empty()) {
    return absl::InvalidArgumentError("--host must not be empty");
  }
  if (result.count("allowed-host")) {
    config.allowed_hosts =
        result["allowed-host"].as<std::vector<std::string>>();
    for (const std::string& name : config.allowed_hosts) {
      if (name.empty() ||
          name.find_first_of(" \t\r\n/@") != std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--allowed-host needs a host name (NAME or NAME:PORT), got '",
            name, "'"));
      }
    }
  }
  config.cids_dir = text("cids-dir");
  if (config.cids_dir.empty()) {
    return absl::InvalidArgumentError("--cids-dir must not be empty");
  }
  for (const char* flag : {"max-body", "max-memory"}) {
    absl::StatusOr<uint64_t> size = ParseByteSize(text(flag));
    if (!size.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, ": ", size.status().message()));
    }
    (absl::string_view(flag) == "max-body" ? config.max_body_bytes
                                           : config.max_memory_bytes) = *size;
  }
  config.debug = result["debug"].as<bool>();
  return absl::OkStatus();
}

// The flags of a memory session: --read-only, the files to dump to and
// load from, the seed.
absl::Status ReadSessionFlags(const cxxopts::ParseResult& result,
                              Config& config) {
  config.read_only = result["read-only"].as<bool>();
  auto file_flag = [&](const char* flag, std::string& into) -> absl::Status {
    if (!result.count(flag)) return absl::OkStatus();
    into = result[flag].as<std::string>();
    if (into.empty() || into.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, " needs a file name"));
    }
    return absl::OkStatus();
  };
  VIEWER_RETURN_IF_ERROR(file_flag("dump-db-on-exit", config.dump_path));
  VIEWER_RETURN_IF_ERROR(file_flag("load", config.load_path));
  if (result.count("seed")) {
    config.seed = result["seed"].as<std::string>();
    if (config.seed != "demo") {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown --seed '", config.seed, "' (the only seed is 'demo')"));
    }
  }
  if (result.count("boot-cid")) {
    config.boot_cid = result["boot-cid"].as<std::string>();
    absl::StatusOr<CidReference> ref = ParseCidReference(config.boot_cid);
    if (!ref.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--boot-cid ", config.boot_cid, ": ", ref.status().message()));
    }
    config.boot_cid = ref->cid.cid;
  }
  return absl::OkStatus();
}

// Memory or disk, and for disk the file DATABASE_URL names.
absl::Status ChooseStore(bool in_memory,
                         const std::optional<std::string>& database_url_env,
                         Config& config) {
  VIEWER_RETURN_IF_ERROR(CheckMemoryOnlyFlags(config, in_memory));
  const bool env_set = database_url_env && !database_url_env->empty();
  config.database_url = env_set ? *database_url_env : kDefaultDatabaseUrl;
  if (in_memory) {
    config.mode = StoreMode::kMemory;
    config.memory_overrides_database_url = env_set;
    return absl::OkStatus();
  }
  if (IsPostgresUrl(config.database_url)) {
    if (config.database_url.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError("DATABASE_URL holds a NUL character");
    }
    config.mode = StoreMode::kPostgres;
    return absl::OkStatus();
  }
  VIEWER_ASSIGN_OR_RETURN(config.database_path,
                          DatabasePathFromUrl(config.database_url));
  config.mode = StoreMode::kDisk;
  return absl::OkStatus();
}

// "viewer copy FROM TO": two store URLs, nothing else.
absl::StatusOr<CommandLine> ParseCopy(int argc, const char* const* argv) {
  constexpr char kUsage[] =
      "usage: viewer copy FROM_URL TO_URL (each sqlite:///file.db or "
      "postgresql://...; TO must be empty)";
  if (argc != 4) return absl::InvalidArgumentError(kUsage);
  CommandLine out;
  out.action = CommandLine::kCopy;
  out.copy_from = argv[2];
  out.copy_to = argv[3];
  for (const std::string* url : {&out.copy_from, &out.copy_to}) {
    if (IsPostgresUrl(*url)) continue;
    absl::StatusOr<std::string> path = DatabasePathFromUrl(*url);
    if (!path.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("viewer copy: ", path.status().message()));
    }
  }
  if (out.copy_from == out.copy_to) {
    return absl::InvalidArgumentError(
        "viewer copy: FROM and TO are the same database");
  }
  return out;
}

// ParseCommandLine without the exceptions cxxopts throws.
absl::StatusOr<CommandLine> Parse(
    int argc, const char* const* argv,
    const std::optional<std::string>& database_url_env) {
  if (argc >= 2 && absl::string_view(argv[1]) == "copy") {
    return ParseCopy(argc, argv);
  }
  cxxopts::Options options = MakeOptions();
  cxxopts::ParseResult result = options.parse(argc, argv);
  CommandLine out;
  if (!result.unmatched().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("unexpected argument '",
                                                   result.unmatched().front(),
                                                   "' (see viewer --help)"));
  }
  if (result.count("help")) {
    out.action = CommandLine::kHelp;
    out.text = options.help();
    return out;
  }
  if (result.count("version")) {
    out.action = CommandLine::kVersion;
    out.text = absl::StrCat("viewer ", ViewerVersion(), "\n");
    return out;
  }
  VIEWER_RETURN_IF_ERROR(ReadServingFlags(result, out.config));
  VIEWER_RETURN_IF_ERROR(ReadSessionFlags(result, out.config));
  // --read-only is a demo session, which is a memory session.
  const bool in_memory =
      result["in-memory-db"].as<bool>() || out.config.read_only;
  VIEWER_RETURN_IF_ERROR(ChooseStore(in_memory, database_url_env, out.config));
  return out;
}

}  // namespace

absl::string_view ViewerVersion() { return VIEWER_VERSION; }

std::optional<std::string> GetEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

bool IsPostgresUrl(absl::string_view url) {
  return absl::StartsWithIgnoreCase(url, "postgresql://") ||
         absl::StartsWithIgnoreCase(url, "postgres://");
}

namespace {

// Replaces the value of every "password=" in `text` that starts a
// parameter (after `separators` or at the start) up to the next character
// of `ends`.
void HidePasswordParameters(std::string& text, absl::string_view separators,
                            const char* ends) {
  constexpr char kKey[] = "password=";
  constexpr size_t kKeySize = sizeof(kKey) - 1;
  size_t from = 0;
  while (true) {
    size_t at = from;
    while (true) {
      at = text.find(kKey, at);
      if (at == std::string::npos) return;
      if (at == 0 || separators.find(text[at - 1]) != absl::string_view::npos) {
        break;
      }
      at += kKeySize;
    }
    const size_t value = at + kKeySize;
    size_t end = text.find_first_of(ends, value);
    if (end == std::string::npos) end = text.size();
    text.replace(value, end - value, "***");
    from = value + 3;
  }
}

}  // namespace

std::string UrlWithoutPassword(absl::string_view url) {
  std::string out(url);
  const size_t scheme = out.find("://");
  if (scheme == std::string::npos) {
    // A libpq "key=value" string.
    HidePasswordParameters(out, " \t", " \t");
    return out;
  }
  const size_t start = scheme + 3;
  const size_t query = out.find('?', start);
  const size_t at =
      out.rfind('@', query == std::string::npos ? out.size() : query);
  if (at != std::string::npos && at >= start) {
    const size_t colon = out.find(':', start);
    if (colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // The user part may have changed length: find the query again.
  if (const size_t q = out.find('?', start); q != std::string::npos) {
    std::string params = out.substr(q + 1);
    HidePasswordParameters(params, "&", "&");
    out = absl::StrCat(out.substr(0, q + 1), params);
  }
  return out;
}

absl::StatusOr<std::string> DatabasePathFromUrl(absl::string_view url) {
  if (url.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError("DATABASE_URL holds a NUL character");
  }
  if (!absl::StartsWith(url, kSqlitePrefix)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported DATABASE_URL '", UrlWithoutPassword(url),
                     "': use sqlite:///relative.db, sqlite:////absolute.db or "
                     "postgresql://user:password@host/dbname"));
  }
  absl::string_view path = url.substr(sizeof(kSqlitePrefix) - 1);
  if (path == ":memory:" || absl::StartsWith(path, ":memory:?") ||
      absl::StartsWith(path, "file::memory:")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "DATABASE_URL '", url,
        "' asks for SQLite in memory; use --in-memory-db instead (memory "
        "mode never uses SQLite)"));
  }
  if (path.empty() || path == "/") {
    return absl::InvalidArgumentError(absl::StrCat(
        "DATABASE_URL '", url, "' names no file (try sqlite:///secureapp.db)"));
  }
  if (path.find('?') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported DATABASE_URL '", url,
                     "': query parameters are not supported"));
  }
  if (path.back() == '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("DATABASE_URL '", url, "' names a folder, not a file"));
  }
  return std::string(path);
}

absl::StatusOr<uint64_t> ParseByteSize(absl::string_view text) {
  absl::string_view s = absl::StripAsciiWhitespace(text);
  size_t digits = 0;
  while (digits < s.size() && absl::ascii_isdigit(s[digits])) ++digits;
  absl::string_view number = s.substr(0, digits);
  absl::string_view fraction;
  size_t end = digits;
  if (end < s.size() && s[end] == '.') {
    size_t f = end + 1;
    while (f < s.size() && absl::ascii_isdigit(s[f])) ++f;
    fraction = s.substr(end + 1, f - end - 1);
    end = f;
  }
  std::string unit = absl::AsciiStrToUpper(s.substr(end));
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "' is not a size (try 65536, 512K, 100M, 1G or 1.5G)"));
  };
  int shift = -1;
  if (unit.empty() || unit == "B") shift = 0;
  if (unit == "K" || unit == "KB" || unit == "KIB") shift = 10;
  if (unit == "M" || unit == "MB" || unit == "MIB") shift = 20;
  if (unit == "G" || unit == "GB" || unit == "GIB") shift = 30;
  if (unit == "T" || unit == "TB" || unit == "TIB") shift = 40;
  uint64_t whole = 0;
  if (number.empty() || shift < 0 || !absl::SimpleAtoi(number, &whole) ||
      whole > (uint64_t{1} << (62 - shift))) {
    return bad();
  }
  // A fraction of the unit, rounded down to whole bytes ("1.5G"); at most
  // nine digits, multiplied in 128 bits (999999999 * 2^40 needs 70).
  uint64_t part = 0;
  if (s.size() > digits && s[digits] == '.') {
    uint64_t numerator = 0, denominator = 1;
    if (fraction.empty() || fraction.size() > 9 ||
        !absl::SimpleAtoi(fraction, &numerator)) {
      return bad();
    }
    for (size_t i = 0; i < fraction.size(); ++i) denominator *= 10;
    part = static_cast<uint64_t>(
        (static_cast<unsigned __int128>(numerator) << shift) / denominator);
    if (numerator != 0 && (shift == 0 || part == 0)) return bad();
  }
  const uint64_t value = (whole << shift) + part;
  if (value == 0 || value > (uint64_t{1} << 62)) return bad();
  return value;
}

absl::StatusOr<CommandLine> ParseCommandLine(
    int argc, const char* const* argv,
    const std::optional<std::string>& database_url_env) {
  try {
    return Parse(argc, argv, database_url_env);
  } catch (const std::exception& e) {
    // cxxopts reports unknown flags and missing values by exception; turn
    // them into the one-line message the caller prints.
    return absl::InvalidArgumentError(
        absl::StrCat(e.what(), " (see viewer --help)"));
  }
}

}  // namespace viewer
