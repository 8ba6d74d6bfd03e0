#include "app/interactions.h"

#include <utility>

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

struct Columns {
  size_t entity_type = ColumnIndex(kInteractionTable, "entity_type");
  size_t entity_name = ColumnIndex(kInteractionTable, "entity_name");
  size_t action = ColumnIndex(kInteractionTable, "action");
  size_t message = ColumnIndex(kInteractionTable, "message");
  size_t content = ColumnIndex(kInteractionTable, "content");
  size_t created_at = ColumnIndex(kInteractionTable, "created_at");
};

const Columns& Cols() {
  static const Columns* cols = new Columns();
  return *cols;
}

Interaction FromRow(const Row& row) {
  const Columns& c = Cols();
  Interaction i;
  i.id = row.id();
  i.entity_type = TextOf(row[c.entity_type]);
  i.entity_name = TextOf(row[c.entity_name]);
  i.action = TextOf(row[c.action]);
  i.message = OptTextOf(row[c.message]);
  i.content = TextOf(row[c.content]);
  i.created_at = TimeOf(row[c.created_at]);
  return i;
}

absl::StatusOr<std::vector<Interaction>> Select(Transaction& txn,
                                                const Query& q) {
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          txn.Select(kInteractionTable, q));
  std::vector<Interaction> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(FromRow(row));
  return out;
}

std::vector<Filter> ForEntity(absl::string_view type, absl::string_view name) {
  return {Filter::Eq("entity_type", Value::Text(std::string(type))),
          Filter::Eq("entity_name", Value::Text(std::string(name)))};
}

}  // namespace

std::string TruncateUtf8(absl::string_view message, size_t max_chars) {
  // A character starts at every byte that is not a continuation byte
  // (10xxxxxx); cut before the start of character max_chars + 1.
  size_t chars = 0;
  for (size_t i = 0; i < message.size(); ++i) {
    const auto byte = static_cast<unsigned char>(message[i]);
    if ((byte & 0xC0) == 0x80 && i > 0) continue;
    if (chars == max_chars) return std::string(message.substr(0, i));
    ++chars;
  }
  return std::string(message);
}

absl::StatusOr<Interaction> RecordInteraction(Transaction& txn,
                                              const InteractionInput& input) {
  std::optional<std::string> message;
  if (input.message) {
    message = TruncateUtf8(*input.message, kMaxInteractionMessageChars);
  }
  VIEWER_ASSIGN_OR_RETURN(
      int64_t id, txn.Insert(kInteractionTable,
                             {{"entity_type", Value::Text(input.entity_type)},
                              {"entity_name", Value::Text(input.entity_name)},
                              {"action", Value::Text(input.action)},
                              {"message", TextOrNull(message)},
                              {"content", Value::Text(input.content)}}));
  VIEWER_ASSIGN_OR_RETURN(Row row, txn.Get(kInteractionTable, id));
  return FromRow(row);
}

absl::StatusOr<std::vector<Interaction>> RecentInteractions(
    Transaction& txn, absl::string_view entity_type,
    absl::string_view entity_name, int64_t limit) {
  VIEWER_RETURN_IF_ERROR(CheckLimit(limit));
  Query q;
  q.where = ForEntity(entity_type, entity_name);
  q.order_by = {{"created_at", true}, {"id", true}};
  q.limit = limit;
  return Select(txn, q);
}

absl::StatusOr<std::vector<Interaction>> AllInteractions(
    Transaction& txn, absl::string_view entity_type,
    absl::string_view entity_name) {
  Query q;
  q.where = ForEntity(entity_type, entity_name);
  q.order_by = {{"created_at", false}};
  return Select(txn, q);
}

}  // namespace viewer
