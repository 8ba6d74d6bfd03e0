#include "app/interactions.h"

#include <utility>

#include "app/internal/rows.h"
#include "app/schemas.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

using app_internal::CheckLimit;
using app_internal::RowMapping;

// What a caller records; the rows add the id and created_at.
const RowMapping<InteractionInput>& InputRows() {
  static const auto* rows = new RowMapping<InteractionInput>(
      kInteractionTable, {{"entity_type", &InteractionInput::entity_type},
                          {"entity_name", &InteractionInput::entity_name},
                          {"action", &InteractionInput::action},
                          {"message", &InteractionInput::message},
                          {"content", &InteractionInput::content}});
  return *rows;
}

const RowMapping<Interaction>& Rows() {
  static const auto* rows = new RowMapping<Interaction>(
      InputRows(), {{"created_at", &Interaction::created_at}});
  return *rows;
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
  InteractionInput row = input;
  if (row.message) {
    row.message = TruncateUtf8(*row.message, kMaxInteractionMessageChars);
  }
  return Rows().Insert(txn, InputRows().Values(row));
}

absl::StatusOr<std::vector<Interaction>> RecentInteractions(
    Transaction& txn, absl::string_view entity_type,
    absl::string_view entity_name, int64_t limit) {
  VIEWER_RETURN_IF_ERROR(CheckLimit(limit));
  Query q;
  q.where = ForEntity(entity_type, entity_name);
  q.order_by = {{"created_at", true}, {"id", true}};
  q.limit = limit;
  return Rows().Select(txn, q);
}

absl::StatusOr<std::vector<Interaction>> AllInteractions(
    Transaction& txn, absl::string_view entity_type,
    absl::string_view entity_name) {
  Query q;
  q.where = ForEntity(entity_type, entity_name);
  q.order_by = {{"created_at", false}};
  return Rows().Select(txn, q);
}

}  // namespace viewer
