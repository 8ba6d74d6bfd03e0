#include "app/invocations.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "app/internal/rows.h"
#include "app/schemas.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

using app_internal::CheckLimit;
using app_internal::RowMapping;

// The seven columns that name content by CID.
constexpr const char* kCidColumns[] = {
    "result_cid",          "servers_cid",    "variables_cid",     "secrets_cid",
    "request_details_cid", "invocation_cid", "external_calls_cid"};

// What a caller records; the rows add the id and invoked_at.
const RowMapping<InvocationInput>& InputRows() {
  using I = InvocationInput;
  static const auto* rows = new RowMapping<I>(
      kInvocationTable, {{"server_name", &I::server_name},
                         {"result_cid", &I::result_cid},
                         {"servers_cid", &I::servers_cid},
                         {"variables_cid", &I::variables_cid},
                         {"secrets_cid", &I::secrets_cid},
                         {"request_details_cid", &I::request_details_cid},
                         {"invocation_cid", &I::invocation_cid},
                         {"external_calls_cid", &I::external_calls_cid}});
  return *rows;
}

const RowMapping<Invocation>& Rows() {
  static const auto* rows = new RowMapping<Invocation>(
      InputRows(), {{"invoked_at", &Invocation::invoked_at}});
  return *rows;
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

}  // namespace

absl::StatusOr<Invocation> CreateInvocation(Transaction& txn,
                                            const InvocationInput& input) {
  return Rows().Insert(txn, InputRows().Values(input));
}

absl::StatusOr<std::vector<Invocation>> InvocationsForServer(
    Transaction& txn, absl::string_view server_name,
    std::optional<int64_t> limit) {
  if (limit) VIEWER_RETURN_IF_ERROR(CheckLimit(*limit));
  Query q;
  q.where = {Filter::Eq("server_name", Value::Text(std::string(server_name)))};
  q.order_by = NewestFirst();
  q.limit = limit;
  return Rows().Select(txn, q);
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
  return Rows().Select(txn, q);
}

absl::StatusOr<InvocationPage> FilteredInvocations(
    Transaction& txn, const InvocationFilter& filter, int64_t page,
    int64_t per_page) {
  if (page < 1 || per_page < 1 || per_page > 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("page must be at least 1 and per_page 1 to 1000, got ",
                     page, " and ", per_page));
  }
  if (page > std::numeric_limits<int64_t>::max() / per_page) {
    return absl::InvalidArgumentError(
        absl::StrCat("page ", page, " is past any end"));
  }
  std::vector<Filter> where;
  if (!filter.server_name.empty()) {
    where.push_back(Filter::Eq("server_name", Value::Text(filter.server_name)));
  }
  if (!filter.result_cid.empty()) {
    where.push_back(Filter::Eq("result_cid", Value::Text(filter.result_cid)));
  }
  if (filter.start) {
    where.push_back(Filter::Ge("invoked_at", Value::Time(*filter.start)));
  }
  if (filter.end) {
    where.push_back(Filter::Le("invoked_at", Value::Time(*filter.end)));
  }
  InvocationPage out{.page = page, .per_page = per_page};
  VIEWER_ASSIGN_OR_RETURN(out.total, txn.Count(kInvocationTable, where));
  Query q;
  q.where = std::move(where);
  q.order_by = NewestFirst();
  q.limit = per_page;
  q.offset = (page - 1) * per_page;
  VIEWER_ASSIGN_OR_RETURN(out.invocations, Rows().Select(txn, q));
  return out;
}

absl::StatusOr<std::vector<Invocation>> InvocationsByAnyCid(
    Transaction& txn, absl::string_view cid) {
  // The contract has no OR: one query per column, merged by id.
  absl::btree_map<int64_t, Invocation> by_id;
  for (const char* column : kCidColumns) {
    Query q;
    q.where = {Filter::Eq(column, Value::Text(std::string(cid)))};
    VIEWER_ASSIGN_OR_RETURN(std::vector<Invocation> found,
                            Rows().Select(txn, q));
    for (Invocation& i : found) by_id.try_emplace(i.id, std::move(i));
  }
  std::vector<Invocation> out;
  out.reserve(by_id.size());
  for (auto& [id, i] : by_id) out.push_back(std::move(i));
  std::sort(out.begin(), out.end(), Newer);
  return out;
}

}  // namespace viewer
