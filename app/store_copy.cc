#include "app/store_copy.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

// Rows read per query. Pages keep a SQLite source from holding a whole
// table in memory at once; tables with a BLOB column (the cid table) get
// small pages, since one row may hold megabytes.
constexpr int64_t kRowsPerPage = 2000;
constexpr int64_t kBlobRowsPerPage = 32;

bool HasBlobColumn(const TableSchema& table) {
  for (const Column& c : table.columns()) {
    if (c.type == ColumnType::kBlob) return true;
  }
  return false;
}

// Copies one table, page by page in id order.
absl::Status CopyTable(const TableSchema& table, Transaction& reader,
                       Transaction& writer, const CopyProgress& progress) {
  const int64_t page = HasBlobColumn(table) ? kBlobRowsPerPage : kRowsPerPage;
  std::vector<std::string> names;
  for (const Column& c : table.columns()) names.push_back(c.name);
  int64_t last_id = 0;  // ids are >= 1
  int64_t copied = 0;
  while (true) {
    Query q;
    q.where = {Filter::Gt("id", Value::Integer(last_id))};
    q.order_by = {{"id", false}};
    q.limit = page;
    VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                            reader.Select(table.name(), q));
    for (Row& row : rows) {
      Assignments values;
      values.reserve(names.size());
      for (size_t i = 0; i < names.size(); ++i) {
        values.emplace_back(names[i], std::move(row.values[i]));
      }
      last_id = values[0].second.integer();
      VIEWER_RETURN_IF_ERROR(writer.Insert(table.name(), values).status());
    }
    copied += static_cast<int64_t>(rows.size());
    const bool done = static_cast<int64_t>(rows.size()) < page;
    if (progress) progress(table.name(), copied, done);
    if (done) return absl::OkStatus();
  }
}

}  // namespace

absl::Status CheckSameTables(const Catalog& from, const Catalog& to) {
  for (const TableSchema& t : from.tables()) {
    const TableSchema* other = to.Find(t.name());
    if (other == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("catalogs differ: table ", t.name(),
                       " is missing in the destination"));
    }
    if (other->size() != t.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "catalogs differ: table ", t.name(), " has ", t.size(),
          " columns in the source and ", other->size(), " in the destination"));
    }
    for (size_t i = 0; i < t.size(); ++i) {
      const Column& a = t.column(i);
      const Column& b = other->column(i);
      if (a.name != b.name || a.type != b.type) {
        return absl::InvalidArgumentError(absl::StrCat(
            "catalogs differ: table ", t.name(), " column ", i, " is ", a.name,
            " ", ColumnTypeName(a.type), " in the source and ", b.name, " ",
            ColumnTypeName(b.type), " in the destination"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CopyStore(Store& from, Store& to, const CopyProgress& progress) {
  if (&from == &to) {
    return absl::InvalidArgumentError(
        "CopyStore: source and destination are "
        "the same store");
  }
  VIEWER_RETURN_IF_ERROR(CheckSameTables(from.catalog(), to.catalog()));
  // The writer first: an empty-check that then waited for the write slot
  // could be stale.
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> writer,
                          to.Begin(TransactionMode::kReadWrite));
  for (const TableSchema& t : to.catalog().tables()) {
    VIEWER_ASSIGN_OR_RETURN(int64_t rows, writer->Count(t.name()));
    if (rows != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("CopyStore needs an empty destination: table ", t.name(),
                       " holds ", rows, rows == 1 ? " row" : " rows"));
    }
  }
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> reader,
                          from.Begin(TransactionMode::kReadOnly));
  for (const TableSchema& t : from.catalog().tables()) {
    absl::Status copied = CopyTable(t, *reader, *writer, progress);
    if (!copied.ok()) {
      return absl::Status(
          copied.code(),
          absl::StrCat("copying table ", t.name(), ": ", copied.message()));
    }
  }
  VIEWER_RETURN_IF_ERROR(reader->Rollback());
  return writer->Commit();
}

}  // namespace viewer
