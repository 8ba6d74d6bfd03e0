#include "app/exports.h"

#include "app/cid.h"
#include "app/internal/rows.h"
#include "app/schemas.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

using app_internal::CheckLimit;
using app_internal::ColumnIndex;
using app_internal::TextOf;
using app_internal::TimeOf;

struct Columns {
  size_t cid = ColumnIndex(kExportTable, "cid");
  size_t created_at = ColumnIndex(kExportTable, "created_at");
};

const Columns& Cols() {
  static const Columns* cols = new Columns();
  return *cols;
}

ExportRecord FromRow(const Row& row) {
  ExportRecord r;
  r.id = row.id();
  r.cid = TextOf(row[Cols().cid]);
  r.created_at = TimeOf(row[Cols().created_at]);
  return r;
}

}  // namespace

absl::StatusOr<ExportRecord> RecordExport(Transaction& txn,
                                          absl::string_view cid) {
  VIEWER_RETURN_IF_ERROR(ParseCid(cid).status());
  VIEWER_ASSIGN_OR_RETURN(
      int64_t id,
      txn.Insert(kExportTable, {{"cid", Value::Text(std::string(cid))}}));
  VIEWER_ASSIGN_OR_RETURN(Row row, txn.Get(kExportTable, id));
  return FromRow(row);
}

absl::StatusOr<std::vector<ExportRecord>> ListExports(Transaction& txn,
                                                      int64_t limit) {
  VIEWER_RETURN_IF_ERROR(CheckLimit(limit));
  Query q;
  q.order_by = {{"created_at", true}, {"id", true}};
  q.limit = limit;
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows, txn.Select(kExportTable, q));
  std::vector<ExportRecord> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(FromRow(row));
  return out;
}

}  // namespace viewer
