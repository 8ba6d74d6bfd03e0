#include "app/cid_repository.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/internal/rows.h"
#include "app/schemas.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

using app_internal::CheckLimit;
using app_internal::ColumnIndex;
using app_internal::IntegerOr;
using app_internal::TextOf;
using app_internal::TimeOf;

struct Columns {
  size_t path = ColumnIndex(kCidTable, "path");
  size_t file_data = ColumnIndex(kCidTable, "file_data");
  size_t file_size = ColumnIndex(kCidTable, "file_size");
  size_t created_at = ColumnIndex(kCidTable, "created_at");
};

const Columns& Cols() {
  static const Columns* cols = new Columns();
  return *cols;
}

std::string PathOf(absl::string_view cid) { return absl::StrCat("/", cid); }

// The CID a stored path names: the path without its leading '/'.
std::string CidOfPath(const std::string& path) {
  return path.empty() || path[0] != '/' ? path : path.substr(1);
}

CidRecord FromRow(const Row& row) {
  const Columns& c = Cols();
  CidRecord r;
  r.id = row.id();
  r.cid = CidOfPath(TextOf(row[c.path]));
  const Value& data = row[c.file_data];
  r.data = data.kind() == ValueKind::kBlob
               ? data.blob_ref()
               : std::make_shared<const std::string>(data.bytes());
  r.file_size =
      IntegerOr(row[c.file_size], static_cast<int64_t>(r.data->size()));
  r.created_at = TimeOf(row[c.created_at]);
  return r;
}

// The stored row for `cid`, or nullopt.
absl::StatusOr<std::optional<Row>> FindRow(Transaction& txn,
                                           absl::string_view cid) {
  Query q;
  q.where = {Filter::Eq("path", Value::Text(PathOf(cid)))};
  q.limit = 1;
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows, txn.Select(kCidTable, q));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

}  // namespace

bool operator==(const CidRecord& a, const CidRecord& b) {
  auto bytes = [](const CidRecord& r) {
    return r.data ? absl::string_view(*r.data) : absl::string_view();
  };
  return a.id == b.id && a.cid == b.cid &&
         (a.data == nullptr) == (b.data == nullptr) && bytes(a) == bytes(b) &&
         a.file_size == b.file_size && a.created_at == b.created_at;
}

namespace {

// Inserts `bytes` under `cid` unless a row with that path exists.
absl::Status InsertUnlessPresent(Transaction& txn, absl::string_view cid,
                                 absl::string_view bytes) {
  VIEWER_ASSIGN_OR_RETURN(std::optional<Row> existing, FindRow(txn, cid));
  if (existing) return absl::OkStatus();
  return txn
      .Insert(kCidTable, {{"path", Value::Text(PathOf(cid))},
                          {"file_data", Value::Blob(std::string(bytes))},
                          {"file_size",
                           Value::Integer(static_cast<int64_t>(bytes.size()))}})
      .status();
}

}  // namespace

absl::StatusOr<std::string> CidRepository::Create(
    Transaction& txn, absl::string_view bytes) const {
  std::string cid = ComputeCid(bytes);
  VIEWER_RETURN_IF_ERROR(InsertUnlessPresent(txn, cid, bytes));
  return cid;
}

absl::Status CidRepository::CreateNamed(Transaction& txn, absl::string_view cid,
                                        absl::string_view bytes) const {
  VIEWER_ASSIGN_OR_RETURN(ParsedCid parsed, ParseCid(cid));
  VIEWER_RETURN_IF_ERROR(CheckCidBytes(parsed, bytes));
  return InsertUnlessPresent(txn, cid, bytes);
}

absl::StatusOr<std::shared_ptr<const std::string>> CidRepository::Get(
    Transaction& txn, absl::string_view cid) const {
  VIEWER_ASSIGN_OR_RETURN(ParsedCid parsed, ParseCid(cid));
  VIEWER_ASSIGN_OR_RETURN(std::optional<Row> row, FindRow(txn, cid));
  if (row) return FromRow(*row).data;
  if (folder_ != nullptr) {
    absl::StatusOr<std::shared_ptr<const std::string>> bytes =
        folder_->Read(cid);
    if (bytes.ok()) return bytes;
    const bool literal_fallback =
        parsed.is_literal &&
        bytes.status().code() == absl::StatusCode::kDataLoss;
    if (bytes.status().code() != absl::StatusCode::kNotFound &&
        !literal_fallback) {
      return bytes.status();
    }
  }
  if (parsed.is_literal) {
    return std::make_shared<const std::string>(std::move(parsed.literal_bytes));
  }
  return absl::NotFoundError(absl::StrCat("no content for CID ", cid));
}

absl::StatusOr<bool> CidRepository::Exists(Transaction& txn,
                                           absl::string_view cid) const {
  VIEWER_ASSIGN_OR_RETURN(std::optional<Row> row, FindRow(txn, cid));
  if (row) return true;
  return folder_ != nullptr && folder_->Contains(cid);
}

absl::StatusOr<std::vector<std::string>> CidRepository::FindByPrefix(
    Transaction& txn, absl::string_view prefix, int64_t limit) const {
  VIEWER_RETURN_IF_ERROR(CheckLimit(limit));
  Query q;
  q.where = {Filter::Prefix("path", Value::Text(PathOf(prefix)))};
  q.order_by = {{"path", false}};
  q.limit = limit;
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows, txn.Select(kCidTable, q));
  std::vector<std::string> found;
  found.reserve(rows.size());
  for (const Row& row : rows)
    found.push_back(CidOfPath(TextOf(row[Cols().path])));
  if (folder_ != nullptr) {
    std::vector<std::string> names =
        folder_->NamesWithPrefix(prefix, static_cast<size_t>(limit));
    std::vector<std::string> merged;
    merged.reserve(found.size() + names.size());
    std::set_union(found.begin(), found.end(), names.begin(), names.end(),
                   std::back_inserter(merged));
    found = std::move(merged);
  }
  if (found.size() > static_cast<size_t>(limit)) found.resize(limit);
  return found;
}

absl::StatusOr<std::vector<CidRecord>> CidRepository::Recent(
    Transaction& txn, int64_t limit) const {
  VIEWER_RETURN_IF_ERROR(CheckLimit(limit));
  Query q;
  q.order_by = {{"created_at", true}, {"id", true}};
  q.limit = limit;
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows, txn.Select(kCidTable, q));
  std::vector<CidRecord> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(FromRow(row));
  return out;
}

absl::StatusOr<int64_t> CidRepository::Count(Transaction& txn) const {
  return txn.Count(kCidTable);
}

}  // namespace viewer
