#include "app/page_views.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/internal/rows.h"
#include "app/schemas.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

using app_internal::CheckLimit;
using app_internal::RowMapping;
using app_internal::TextOf;
using app_internal::TextOrNull;

const RowMapping<PageView>& Rows() {
  static const auto* rows = new RowMapping<PageView>(
      kPageViewTable, {{"path", &PageView::path},
                       {"method", &PageView::method},
                       {"user_agent", &PageView::user_agent},
                       {"ip_address", &PageView::ip_address},
                       {"viewed_at", &PageView::viewed_at}});
  return *rows;
}

std::vector<Filter> Within(std::optional<Timestamp> start,
                           std::optional<Timestamp> end) {
  std::vector<Filter> where;
  if (start) where.push_back(Filter::Ge("viewed_at", Value::Time(*start)));
  if (end) where.push_back(Filter::Le("viewed_at", Value::Time(*end)));
  return where;
}

}  // namespace

absl::StatusOr<PageView> SavePageView(Transaction& txn,
                                      const PageViewInput& input) {
  return Rows().Insert(txn, {{"path", Value::Text(input.path)},
                             {"method", Value::Text(input.method)},
                             {"user_agent", TextOrNull(input.user_agent)},
                             {"ip_address", TextOrNull(input.ip_address)}});
}

absl::StatusOr<int64_t> CountPageViews(Transaction& txn,
                                       std::optional<Timestamp> start,
                                       std::optional<Timestamp> end) {
  return txn.Count(kPageViewTable, Within(start, end));
}

absl::StatusOr<int64_t> CountDistinctPaths(Transaction& txn,
                                           std::optional<Timestamp> start,
                                           std::optional<Timestamp> end) {
  return txn.CountDistinct(kPageViewTable, "path", Within(start, end));
}

absl::StatusOr<std::vector<PathCount>> PopularPaths(Transaction& txn,
                                                    int64_t limit) {
  VIEWER_RETURN_IF_ERROR(CheckLimit(limit));
  VIEWER_ASSIGN_OR_RETURN(std::vector<GroupCount> groups,
                          txn.CountBy(kPageViewTable, "path"));
  // Groups come ordered by path; a stable sort by count keeps that order
  // among equal counts.
  std::stable_sort(groups.begin(), groups.end(),
                   [](const GroupCount& a, const GroupCount& b) {
                     return a.count > b.count;
                   });
  if (groups.size() > static_cast<size_t>(limit)) groups.resize(limit);
  std::vector<PathCount> out;
  out.reserve(groups.size());
  for (const GroupCount& g : groups) out.push_back({TextOf(g.key), g.count});
  return out;
}

absl::StatusOr<PageViewPage> PageViews(Transaction& txn, int64_t page,
                                       int64_t per_page,
                                       std::optional<Timestamp> start,
                                       std::optional<Timestamp> end) {
  if (page < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("page must be >= 1, got ", page));
  }
  if (per_page < 1 || per_page > kMaxPageViewsPerPage) {
    return absl::InvalidArgumentError(absl::StrCat(
        "per_page must be 1-", kMaxPageViewsPerPage, ", got ", per_page));
  }
  PageViewPage result;
  result.page = page;
  result.per_page = per_page;
  std::vector<Filter> where = Within(start, end);
  VIEWER_ASSIGN_OR_RETURN(result.total, txn.Count(kPageViewTable, where));
  // A page so far out that its offset overflows is past the end anyway.
  if (page - 1 > std::numeric_limits<int64_t>::max() / per_page) return result;
  Query q;
  q.where = std::move(where);
  q.order_by = {{"viewed_at", true}, {"id", true}};
  q.limit = per_page;
  q.offset = (page - 1) * per_page;
  VIEWER_ASSIGN_OR_RETURN(result.views, Rows().Select(txn, q));
  return result;
}

}  // namespace viewer
