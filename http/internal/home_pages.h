// HTML and JSON for the home page and the status page, and the memory
// usage bar both show near the limit.
//
//   ctx.Json(200, StatusJson(data));
//   ctx.Page("Status", StatusHtml(data), "status");
//
// Thread safety: pure functions (StatusData's folder is only read).
#ifndef VIEWER_HTTP_INTERNAL_HOME_PAGES_H_
#define VIEWER_HTTP_INTERNAL_HOME_PAGES_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "app/cid_directory.h"
#include "app/cid_repository.h"
#include "app/store_handle.h"
#include "engine/store.h"
#include "engine/value.h"
#include "nlohmann/json.hpp"

namespace viewer::http_internal {

struct HomeData {
  StoreMode mode = StoreMode::kDisk;
  std::string database;
  std::vector<std::pair<std::string, int64_t>> counts;  // "servers", n
  int64_t stored_cids = 0;
  int64_t folder_cids = 0;
  std::vector<CidRecord> recent;
  // The memory store's use and limit (0: no limit); past 80% the page
  // shows a bar.
  int64_t bytes_used = 0;
  int64_t byte_limit = 0;
  bool read_only = false;
};
nlohmann::json HomeJson(const HomeData& data);
std::string HomeHtml(const HomeData& data);

// The memory usage bar shows above this share of the limit.
inline constexpr double kUsageBarThreshold = 0.8;
// The bar (with how to get more room), or "" below the threshold or
// without a limit.
std::string UsageBarHtml(int64_t used, int64_t limit);

struct StatusData {
  StoreMode mode = StoreMode::kDisk;
  bool read_only = false;
  std::string database;
  std::string version;
  Timestamp started_at;
  Timestamp now;
  const CidDirectory* folder = nullptr;  // null: no folder
  StoreStats stats;
  // Memory store with a limit: what page views may hold (0: no budget) and
  // how many of the oldest were deleted to keep within it.
  int64_t page_view_budget = 0;
  int64_t page_views_evicted = 0;
};
nlohmann::json StatusJson(const StatusData& data);
std::string StatusHtml(const StatusData& data);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_HOME_PAGES_H_
