#include "app/exports.h"

#include "app/cid.h"
#include "app/internal/rows.h"
#include "app/schemas.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

using app_internal::CheckLimit;
using app_internal::RowMapping;

const RowMapping<ExportRecord>& Rows() {
  static const auto* rows = new RowMapping<ExportRecord>(
      kExportTable,
      {{"cid", &ExportRecord::cid}, {"created_at", &ExportRecord::created_at}});
  return *rows;
}

}  // namespace

absl::StatusOr<ExportRecord> RecordExport(Transaction& txn,
                                          absl::string_view cid) {
  VIEWER_RETURN_IF_ERROR(ParseCid(cid).status());
  return Rows().Insert(txn, {{"cid", Value::Text(std::string(cid))}});
}

absl::StatusOr<std::vector<ExportRecord>> ListExports(Transaction& txn,
                                                      int64_t limit) {
  VIEWER_RETURN_IF_ERROR(CheckLimit(limit));
  Query q;
  q.order_by = {{"created_at", true}, {"id", true}};
  q.limit = limit;
  return Rows().Select(txn, q);
}

}  // namespace viewer
