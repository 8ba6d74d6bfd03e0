#include "http/copy_command.h"

#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "app/store_copy.h"
#include "engine/status_macros.h"
#include "http/config.h"
#include "http/session.h"

namespace viewer {
namespace {

// kFailedPrecondition naming the first table of `to` that holds rows.
absl::Status CheckEmpty(Store& to, const std::string& shown) {
  VIEWER_ASSIGN_OR_RETURN(StoreStats stats, to.Stats());
  for (const TableStats& t : stats.tables) {
    if (t.rows == 0) continue;
    return absl::FailedPreconditionError(absl::StrCat(
        "the destination ", shown, " is not empty (table ", t.table, " holds ",
        t.rows, t.rows == 1 ? " row" : " rows",
        "); viewer copy only copies into an empty database, nothing was "
        "written"));
  }
  return absl::OkStatus();
}

// Opens both stores, checks the destination, copies; returns the rows
// copied per table, in catalog order.
absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> Copy(
    const std::string& from_url, const std::string& to_url) {
  const std::string from_shown = UrlWithoutPassword(from_url);
  const std::string to_shown = UrlWithoutPassword(to_url);
  absl::StatusOr<std::unique_ptr<Store>> from =
      OpenStoreAtUrl(from_url, /*create=*/false);
  if (!from.ok()) {
    return absl::Status(from.status().code(),
                        absl::StrCat("cannot open the source ", from_shown,
                                     ": ", from.status().message()));
  }
  absl::StatusOr<std::unique_ptr<Store>> to =
      OpenStoreAtUrl(to_url, /*create=*/true);
  if (!to.ok()) {
    return absl::Status(to.status().code(),
                        absl::StrCat("cannot open the destination ", to_shown,
                                     ": ", to.status().message()));
  }
  VIEWER_RETURN_IF_ERROR(CheckEmpty(**to, to_shown));
  std::cout << "viewer copy: from " << (*from)->Describe() << " to "
            << (*to)->Describe() << std::endl;
  std::vector<std::pair<std::string, int64_t>> counts;
  const bool terminal = isatty(STDERR_FILENO) == 1;
  auto progress = [&](absl::string_view table, int64_t rows, bool done) {
    if (terminal) {
      std::cerr << "\rcopying " << table << ": " << rows << " rows"
                << (done ? "\n" : "") << std::flush;
    } else if (done) {
      std::cerr << "copying " << table << ": " << rows << " rows" << std::endl;
    }
    if (done) counts.emplace_back(std::string(table), rows);
  };
  absl::Status copied = CopyStore(**from, **to, progress);
  if (!copied.ok()) {
    return absl::Status(
        copied.code(),
        absl::StrCat("copying to ", to_shown, " failed (",
                     "nothing was written): ", copied.message()));
  }
  return counts;
}

}  // namespace

int RunCopyCommand(const std::string& from_url, const std::string& to_url) {
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> counts =
      Copy(from_url, to_url);
  if (!counts.ok()) {
    std::cerr << "viewer: error: " << counts.status().message() << std::endl;
    return 1;
  }
  int64_t total = 0;
  std::vector<std::string> parts;
  for (const auto& [table, rows] : *counts) {
    total += rows;
    parts.push_back(absl::StrCat(table, " ", rows));
  }
  std::cout << "viewer copy: copied " << total << " rows ("
            << absl::StrJoin(parts, ", ") << ") in "
            << static_cast<int64_t>(
                   absl::ToDoubleMilliseconds(absl::Now() - start))
            << " ms" << std::endl;
  return 0;
}

}  // namespace viewer
