#include "engine/schema.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace viewer {
namespace {

bool IsIdentifier(absl::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return !(s[0] >= '0' && s[0] <= '9');
}

}  // namespace

absl::string_view ColumnTypeName(ColumnType type) {
  return ValueKindName(KindOf(type));
}

ValueKind KindOf(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
      return ValueKind::kInteger;
    case ColumnType::kText:
      return ValueKind::kText;
    case ColumnType::kBlob:
      return ValueKind::kBlob;
    case ColumnType::kBoolean:
      return ValueKind::kBoolean;
    case ColumnType::kTimestamp:
      return ValueKind::kTimestamp;
  }
  return ValueKind::kNull;
}

TableSchema::TableSchema(std::string name, std::vector<Column> columns)
    : name_(std::move(name)) {
  columns_.reserve(columns.size() + 1);
  columns_.push_back(Column("id", ColumnType::kInteger).NotNull().Unique());
  for (Column& c : columns) columns_.push_back(std::move(c));
}

std::optional<size_t> TableSchema::Find(absl::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return i;
  }
  return std::nullopt;
}

absl::StatusOr<size_t> TableSchema::Resolve(absl::string_view name) const {
  if (auto i = Find(name)) return *i;
  return absl::InvalidArgumentError(
      absl::StrCat("no such column: ", name_, ".", name));
}

absl::Status TableSchema::Validate() const {
  if (!IsIdentifier(name_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad table name: \"", name_, "\""));
  }
  absl::flat_hash_set<std::string> seen;
  for (const Column& c : columns_) {
    if (!IsIdentifier(c.name) || !seen.insert(c.name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad or repeated column name: ", name_, ".", c.name));
    }
    if (c.default_kind == DefaultKind::kConstant &&
        !c.default_value.is_null() &&
        c.default_value.kind() != KindOf(c.type)) {
      return absl::InvalidArgumentError(
          absl::StrCat("default of ", name_, ".", c.name, " is not ",
                       ColumnTypeName(c.type)));
    }
    if ((c.default_kind == DefaultKind::kNow || c.now_on_update) &&
        c.type != ColumnType::kTimestamp) {
      return absl::InvalidArgumentError(absl::StrCat(
          name_, ".", c.name, ": \"now\" needs a TIMESTAMP column"));
    }
  }
  return absl::OkStatus();
}

Catalog::Catalog(std::vector<TableSchema> tables) : tables_(std::move(tables)) {}

const TableSchema* Catalog::Find(absl::string_view name) const {
  for (const TableSchema& t : tables_) {
    if (t.name() == name) return &t;
  }
  return nullptr;
}

absl::StatusOr<size_t> Catalog::Resolve(absl::string_view name) const {
  for (size_t i = 0; i < tables_.size(); ++i) {
    if (tables_[i].name() == name) return i;
  }
  return absl::InvalidArgumentError(absl::StrCat("no such table: ", name));
}

absl::Status Catalog::Validate() const {
  absl::flat_hash_set<std::string> seen;
  for (const TableSchema& t : tables_) {
    if (!seen.insert(t.name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("repeated table name: ", t.name()));
    }
    absl::Status s = t.Validate();
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace viewer
