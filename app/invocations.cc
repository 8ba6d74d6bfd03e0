#include "app/invocations.h"

#include <algorithm>
#include <utility>

#include "absl/container/btree_map.h"
#include "app/internal/rows.h"
#include "app/schemas.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

using app_internal::CheckLimit;
using app_internal::ColumnIndex;
using app_internal::OptTextOf;
using app_internal::TextOf;
using app_internal::TextOrNull;
using app_internal::TimeOf;

// The seven columns that name content by CID.
constexpr const char* kCidColumns[] = {
    "result_cid",          "servers_cid",    "variables_cid",     "secrets_cid",
    "request_details_cid", "invocation_cid", "external_calls_cid"};

struct Columns {
  size_t server_name = ColumnIndex(kInvocationTable, "server_name");
  size_t result_cid = ColumnIndex(kInvocationTable, "result_cid");
  size_t servers_cid = ColumnIndex(kInvocationTable, "servers_cid");
  size_t variables_cid = ColumnIndex(kInvocationTable, "variables_cid");
  size_t secrets_cid = ColumnIndex(kInvocationTable, "secrets_cid");
  size_t request_details_cid =
      ColumnIndex(kInvocationTable, "request_details_cid");
  size_t invocation_cid = ColumnIndex(kInvocationTable, "invocation_cid");
  size_t external_calls_cid =
      ColumnIndex(kInvocationTable, "external_calls_cid");
  size_t invoked_at = ColumnIndex(kInvocationTable, "invoked_at");
};

const Columns& Cols() {
  static const Columns* cols = new Columns();
  return *cols;
}

Invocation FromRow(const Row& row) {
  const Columns& c = Cols();
  Invocation i;
  i.id = row.id();
  i.server_name = TextOf(row[c.server_name]);
  i.result_cid = TextOf(row[c.result_cid]);
  i.servers_cid = OptTextOf(row[c.servers_cid]);
  i.variables_cid = OptTextOf(row[c.variables_cid]);
  i.secrets_cid = OptTextOf(row[c.secrets_cid]);
  i.request_details_cid = OptTextOf(row[c.request_details_cid]);
  i.invocation_cid = OptTextOf(row[c.invocation_cid]);
  i.external_calls_cid = OptTextOf(row[c.external_calls_cid]);
  i.invoked_at = TimeOf(row[c.invoked_at]);
  return i;
}

// Newest first: invoked_at descending, then id descending.
const std::vector<Order>& NewestFirst() {
  static const auto* order =
      new std::vector<Order>{{"invoked_at", true}, {"id", true}};
  return *order;
}

bool Newer(const Invocation& a, const Invocation& b) {
  if (a.invoked_at != b.invoked_at) return a.invoked_at > b.invoked_at;
  return a.id > b.id;
}

absl::StatusOr<std::vector<Invocation>> Select(Transaction& txn,
                                               const Query& q) {
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          txn.Select(kInvocationTable, q));
  std::vector<Invocation> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(FromRow(row));
  return out;
}

}  // namespace

absl::StatusOr<Invocation> CreateInvocation(Transaction& txn,
                                            const InvocationInput& input) {
  VIEWER_ASSIGN_OR_RETURN(
      int64_t id,
      txn.Insert(
          kInvocationTable,
          {{"server_name", Value::Text(input.server_name)},
           {"result_cid", Value::Text(input.result_cid)},
           {"servers_cid", TextOrNull(input.servers_cid)},
           {"variables_cid", TextOrNull(input.variables_cid)},
           {"secrets_cid", TextOrNull(input.secrets_cid)},
           {"request_details_cid", TextOrNull(input.request_details_cid)},
           {"invocation_cid", TextOrNull(input.invocation_cid)},
           {"external_calls_cid", TextOrNull(input.external_calls_cid)}}));
  VIEWER_ASSIGN_OR_RETURN(Row row, txn.Get(kInvocationTable, id));
  return FromRow(row);
}

absl::StatusOr<std::vector<Invocation>> InvocationsForServer(
    Transaction& txn, absl::string_view server_name,
    std::optional<int64_t> limit) {
  if (limit) VIEWER_RETURN_IF_ERROR(CheckLimit(*limit));
  Query q;
  q.where = {Filter::Eq("server_name", Value::Text(std::string(server_name)))};
  q.order_by = NewestFirst();
  q.limit = limit;
  return Select(txn, q);
}

absl::StatusOr<std::vector<Invocation>> InvocationsByResultCids(
    Transaction& txn, const std::vector<std::string>& result_cids) {
  if (result_cids.empty()) return std::vector<Invocation>();
  std::vector<Value> values;
  values.reserve(result_cids.size());
  for (const std::string& cid : result_cids) values.push_back(Value::Text(cid));
  Query q;
  q.where = {Filter::In("result_cid", std::move(values))};
  q.order_by = NewestFirst();
  return Select(txn, q);
}

absl::StatusOr<std::vector<Invocation>> InvocationsByAnyCid(
    Transaction& txn, absl::string_view cid) {
  // The contract has no OR: one query per column, merged by id.
  absl::btree_map<int64_t, Invocation> by_id;
  for (const char* column : kCidColumns) {
    Query q;
    q.where = {Filter::Eq(column, Value::Text(std::string(cid)))};
    VIEWER_ASSIGN_OR_RETURN(std::vector<Invocation> found, Select(txn, q));
    for (Invocation& i : found) by_id.try_emplace(i.id, std::move(i));
  }
  std::vector<Invocation> out;
  out.reserve(by_id.size());
  for (auto& [id, i] : by_id) out.push_back(std::move(i));
  std::sort(out.begin(), out.end(), Newer);
  return out;
}

}  // namespace viewer
