#include "app/page_view_budget.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "app/schemas.h"
#include "engine/status_macros.h"

namespace viewer {

absl::StatusOr<int64_t> DeleteOldestPageViews(Transaction& txn, int64_t count) {
  if (count < 0) {
    return absl::InvalidArgumentError("count must not be negative");
  }
  if (count == 0) return 0;
  // The newest of the rows to go: rows come by id when no order is given.
  Query newest_to_go;
  newest_to_go.limit = 1;
  newest_to_go.offset = count - 1;
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          txn.Select(kPageViewTable, newest_to_go));
  if (rows.empty()) {
    // Fewer rows than `count`: every one goes.
    return txn.DeleteWhere(kPageViewTable, {});
  }
  return txn.DeleteWhere(kPageViewTable, {Filter::Le("id", rows[0].values[0])});
}

absl::Status PageViewBudget::AfterSave(Store& store) {
  if (max_bytes_ <= 0) return absl::OkStatus();
  if (saves_.fetch_add(1) % kCheckEvery != kCheckEvery - 1) {
    return absl::OkStatus();
  }
  MutexLock lock(&trim_mutex_);
  return Trim(store);
}

absl::Status PageViewBudget::Trim(Store& store) {
  VIEWER_ASSIGN_OR_RETURN(StoreStats stats, store.Stats());
  const TableStats* views = nullptr;
  for (const TableStats& t : stats.tables) {
    if (t.table == kPageViewTable) views = &t;
  }
  if (views == nullptr || views->bytes <= max_bytes_ || views->rows <= 0) {
    return absl::OkStatus();
  }
  // Rows are about the same size: keep the share of rows that fills three
  // quarters of the budget, so a trim is not needed at every check.
  const double per_row =
      static_cast<double>(views->bytes) / static_cast<double>(views->rows);
  const int64_t keep =
      static_cast<int64_t>(static_cast<double>(max_bytes_) * 0.75 / per_row);
  const int64_t drop = views->rows - std::max<int64_t>(keep, 0);
  if (drop <= 0) return absl::OkStatus();
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          store.Begin(TransactionMode::kReadWrite));
  VIEWER_ASSIGN_OR_RETURN(int64_t deleted, DeleteOldestPageViews(*txn, drop));
  VIEWER_RETURN_IF_ERROR(txn->Commit());
  evicted_.fetch_add(deleted);
  return absl::OkStatus();
}

}  // namespace viewer
