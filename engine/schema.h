// Table schemas: columns with a type, NOT NULL, UNIQUE, indexed, a default
// (a constant, or "now" from the store's clock) and "set to now on update".
//
//   TableSchema server("server", {
//       Column("name", ColumnType::kText).NotNull().Unique().Indexed(),
//       Column("definition", ColumnType::kText).NotNull(),
//       Column("created_at", ColumnType::kTimestamp).DefaultNow(),
//       Column("updated_at", ColumnType::kTimestamp).DefaultNow()
//           .NowOnUpdate(),
//       Column("enabled", ColumnType::kBoolean).NotNull()
//           .Default(Value::Boolean(true)),
//   });
//
// Every table gets an INTEGER primary key column "id" at position 0; the
// columns given follow it in order. Schemas are immutable once built and
// safe to share between threads.
#ifndef VIEWER_ENGINE_SCHEMA_H_
#define VIEWER_ENGINE_SCHEMA_H_

#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/value.h"

namespace viewer {

enum class ColumnType { kInteger, kText, kBlob, kBoolean, kTimestamp };

absl::string_view ColumnTypeName(ColumnType type);
// The value kind a column of `type` holds (besides NULL).
ValueKind KindOf(ColumnType type);

enum class DefaultKind { kNone, kConstant, kNow };

struct Column {
  Column(std::string name, ColumnType type)
      : name(std::move(name)), type(type) {}

  Column& NotNull() { not_null = true; return *this; }
  Column& Unique() { unique = true; return *this; }
  Column& Indexed() { indexed = true; return *this; }
  Column& Default(Value v) {
    default_kind = DefaultKind::kConstant;
    default_value = std::move(v);
    return *this;
  }
  Column& DefaultNow() { default_kind = DefaultKind::kNow; return *this; }
  Column& NowOnUpdate() { now_on_update = true; return *this; }

  std::string name;
  ColumnType type;
  bool not_null = false;
  bool unique = false;
  bool indexed = false;
  DefaultKind default_kind = DefaultKind::kNone;
  Value default_value;
  bool now_on_update = false;
};

class TableSchema {
 public:
  // Builds a schema; "id" is added as column 0. Names must be unique and
  // made of [a-z0-9_] (they are used verbatim in SQL).
  TableSchema(std::string name, std::vector<Column> columns);

  const std::string& name() const { return name_; }
  const std::vector<Column>& columns() const { return columns_; }
  size_t size() const { return columns_.size(); }
  const Column& column(size_t i) const { return columns_[i]; }

  // The index of column `name`, or nullopt.
  std::optional<size_t> Find(absl::string_view name) const;
  // The index of column `name`, or kInvalidArgument "no such column: t.c".
  absl::StatusOr<size_t> Resolve(absl::string_view name) const;

  // Checks the schema itself (names, defaults of the right type).
  absl::Status Validate() const;

 private:
  std::string name_;
  std::vector<Column> columns_;
};

// The set of tables a store holds.
class Catalog {
 public:
  Catalog() = default;
  explicit Catalog(std::vector<TableSchema> tables);

  const std::vector<TableSchema>& tables() const { return tables_; }
  // The table called `name`, or nullptr.
  const TableSchema* Find(absl::string_view name) const;
  // The index of table `name` in tables(), or kInvalidArgument
  // "no such table: name".
  absl::StatusOr<size_t> Resolve(absl::string_view name) const;

  absl::Status Validate() const;

 private:
  std::vector<TableSchema> tables_;
};

}  // namespace viewer

#endif  // VIEWER_ENGINE_SCHEMA_H_
