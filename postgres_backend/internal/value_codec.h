// How contract Values travel to and from PostgreSQL: always in the binary
// format, so no value is ever turned into SQL text or parsed from it.
//
//   INTEGER    <-> int8 (int2 and int4 columns of an existing database read
//                  too)
//   TEXT       <-> text (varchar and bpchar read too)
//   BLOB       <-> bytea
//   BOOLEAN    <-> bool
//   TIMESTAMP  <-> timestamp without time zone, microseconds, UTC by
//                  convention (timestamptz reads too)
//
// A list of values (the operand of IN) is one array parameter.
//
// Reading converts by the column's declared type in the schema and the
// result column's type: anything else (or a timestamp outside the
// contract's range) is kDataLoss naming table, column and row, as the
// SQLite backend reports a file it cannot read.
//
// Thread safety: stateless functions.
#ifndef VIEWER_POSTGRES_BACKEND_INTERNAL_VALUE_CODEC_H_
#define VIEWER_POSTGRES_BACKEND_INTERNAL_VALUE_CODEC_H_

#include <libpq-fe.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/schema.h"
#include "engine/value.h"

namespace viewer::postgres_internal {

// Type OIDs of the built-in types used here (fixed in PostgreSQL's catalog).
inline constexpr Oid kBoolOid = 16;
inline constexpr Oid kByteaOid = 17;
inline constexpr Oid kNameOid = 19;
inline constexpr Oid kInt8Oid = 20;
inline constexpr Oid kInt2Oid = 21;
inline constexpr Oid kInt4Oid = 23;
inline constexpr Oid kTextOid = 25;
inline constexpr Oid kOidOid = 26;
inline constexpr Oid kBpcharOid = 1042;
inline constexpr Oid kVarcharOid = 1043;
inline constexpr Oid kTimestampOid = 1114;
inline constexpr Oid kTimestamptzOid = 1184;

// The parameter type of values of a column of `type`, and of lists of them.
Oid ParamType(ColumnType type);
Oid ArrayType(ColumnType type);

// The binary array holding `values` (none NULL, each of kind KindOf(type)),
// to be bound as a parameter of type ArrayType(type).
std::string EncodeArray(ColumnType type, const std::vector<Value>& values);

// Parameters ready for PQexecPrepared, all in the binary format. Text and
// blob bytes are not copied: `values` must outlive the EncodedParams.
class EncodedParams {
 public:
  explicit EncodedParams(const std::vector<Value>& values);
  EncodedParams(const EncodedParams&) = delete;
  EncodedParams& operator=(const EncodedParams&) = delete;

  int size() const { return static_cast<int>(data_.size()); }
  const char* const* data() const { return data_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<std::array<char, 8>> scalars_;  // bytes of non-text values
  std::vector<const char*> data_;             // null for SQL NULL
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// Reads field (`row`, `field`) of a binary-format result as a value of
// `table`'s column `column`. NULL reads as NULL whatever the type.
// `row_id` names the row in errors (nullopt for an aggregate).
absl::StatusOr<Value> ReadValue(const PGresult* result, int row, int field,
                                const TableSchema& table, size_t column,
                                std::optional<int64_t> row_id);

// Reads a non-NULL integer field (int2, int4 or int8) of a binary result,
// such as a count.
absl::StatusOr<int64_t> ReadInteger(const PGresult* result, int row, int field);

// Reads a text field of a binary result (NULL reads as nullopt).
std::optional<std::string> ReadText(const PGresult* result, int row, int field);

}  // namespace viewer::postgres_internal

#endif  // VIEWER_POSTGRES_BACKEND_INTERNAL_VALUE_CODEC_H_
