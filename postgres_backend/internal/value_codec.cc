#include "postgres_backend/internal/value_codec.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace viewer::postgres_internal {
namespace {

// PostgreSQL counts timestamps from 2000-01-01 00:00:00, in microseconds.
constexpr int64_t kPgEpochMicros = 946'684'800'000'000;

void PutBig(uint64_t v, int bytes, char* out) {
  for (int i = bytes - 1; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
}

void AppendBig(uint64_t v, int bytes, std::string* out) {
  char buf[8];
  PutBig(v, bytes, buf);
  out->append(buf, bytes);
}

int64_t GetBig(const char* in, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v = (v << 8) | static_cast<unsigned char>(in[i]);
  }
  // Sign-extend the narrower integers (int2, int4).
  if (bytes < 8 && (v >> (bytes * 8 - 1)) != 0)
    v |= ~uint64_t{0} << (bytes * 8);
  return static_cast<int64_t>(v);
}

// The binary form of a non-NULL scalar (not TEXT or BLOB) into `out`;
// returns its length.
int EncodeScalar(const Value& v, char* out) {
  switch (v.kind()) {
    case ValueKind::kInteger:
      PutBig(static_cast<uint64_t>(v.integer()), 8, out);
      return 8;
    case ValueKind::kBoolean:
      out[0] = v.boolean() ? 1 : 0;
      return 1;
    case ValueKind::kTimestamp:
      PutBig(static_cast<uint64_t>(v.timestamp().micros - kPgEpochMicros), 8,
             out);
      return 8;
    default:
      return 0;
  }
}

absl::string_view FieldBytes(const PGresult* r, int row, int field) {
  return absl::string_view(PQgetvalue(r, row, field),
                           static_cast<size_t>(PQgetlength(r, row, field)));
}

absl::string_view TypeName(Oid type) {
  switch (type) {
    case kBoolOid:
      return "boolean";
    case kByteaOid:
      return "bytea";
    case kInt2Oid:
      return "smallint";
    case kInt4Oid:
      return "integer";
    case kInt8Oid:
      return "bigint";
    case kTextOid:
      return "text";
    case kNameOid:
      return "name";
    case kBpcharOid:
      return "character";
    case kVarcharOid:
      return "character varying";
    case kTimestampOid:
      return "timestamp";
    case kTimestamptzOid:
      return "timestamptz";
    default:
      return "a value of another type";
  }
}

std::optional<Value> Decode(ColumnType want, Oid type, absl::string_view b) {
  switch (want) {
    case ColumnType::kInteger:
      if ((type == kInt8Oid && b.size() == 8) ||
          (type == kInt4Oid && b.size() == 4) ||
          (type == kInt2Oid && b.size() == 2)) {
        return Value::Integer(GetBig(b.data(), static_cast<int>(b.size())));
      }
      break;
    case ColumnType::kBoolean:
      if (type == kBoolOid && b.size() == 1) return Value::Boolean(b[0] != 0);
      break;
    case ColumnType::kText:
      if (type == kTextOid || type == kVarcharOid || type == kBpcharOid ||
          type == kNameOid) {
        return Value::Text(std::string(b));
      }
      break;
    case ColumnType::kBlob:
      if (type == kByteaOid) return Value::Blob(std::string(b));
      break;
    case ColumnType::kTimestamp:
      if ((type == kTimestampOid || type == kTimestamptzOid) && b.size() == 8) {
        // 'infinity' and '-infinity' are the extreme int64 values; adding
        // the epoch could overflow, and neither is in the contract's range.
        int64_t pg = GetBig(b.data(), 8);
        int64_t micros = 0;
        if (!__builtin_add_overflow(pg, kPgEpochMicros, &micros)) {
          Timestamp t{micros};
          if (t.InRange()) return Value::Time(t);
        }
      }
      break;
  }
  return std::nullopt;
}

}  // namespace

Oid ParamType(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
      return kInt8Oid;
    case ColumnType::kText:
      return kTextOid;
    case ColumnType::kBlob:
      return kByteaOid;
    case ColumnType::kBoolean:
      return kBoolOid;
    case ColumnType::kTimestamp:
      return kTimestampOid;
  }
  return kTextOid;
}

Oid ArrayType(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
      return 1016;  // int8[]
    case ColumnType::kText:
      return 1009;  // text[]
    case ColumnType::kBlob:
      return 1001;  // bytea[]
    case ColumnType::kBoolean:
      return 1000;  // bool[]
    case ColumnType::kTimestamp:
      return 1115;  // timestamp[]
  }
  return 1009;
}

std::string EncodeArray(ColumnType type, const std::vector<Value>& values) {
  // One dimension, no NULLs, the element type, then (size, lower bound 1),
  // then each element as its length and its binary form.
  std::string out;
  AppendBig(values.empty() ? 0 : 1, 4, &out);
  AppendBig(0, 4, &out);
  AppendBig(ParamType(type), 4, &out);
  if (values.empty()) return out;
  AppendBig(values.size(), 4, &out);
  AppendBig(1, 4, &out);
  for (const Value& v : values) {
    if (v.kind() == ValueKind::kText || v.kind() == ValueKind::kBlob) {
      AppendBig(v.bytes().size(), 4, &out);
      out.append(v.bytes().data(), v.bytes().size());
    } else {
      char buf[8];
      int n = EncodeScalar(v, buf);
      AppendBig(static_cast<uint64_t>(n), 4, &out);
      out.append(buf, n);
    }
  }
  return out;
}

EncodedParams::EncodedParams(const std::vector<Value>& values)
    : scalars_(values.size()),
      data_(values.size(), nullptr),
      lengths_(values.size(), 0),
      formats_(values.size(), 1) {
  for (size_t i = 0; i < values.size(); ++i) {
    const Value& v = values[i];
    if (v.is_null()) continue;
    if (v.kind() == ValueKind::kText || v.kind() == ValueKind::kBlob) {
      // data() of a std::string is never null, so "" is an empty value.
      data_[i] =
          v.kind() == ValueKind::kText ? v.text().data() : v.blob().data();
      lengths_[i] = static_cast<int>(v.bytes().size());
    } else {
      lengths_[i] = EncodeScalar(v, scalars_[i].data());
      data_[i] = scalars_[i].data();
    }
  }
}

absl::StatusOr<Value> ReadValue(const PGresult* result, int row, int field,
                                const TableSchema& table, size_t column,
                                std::optional<int64_t> row_id) {
  if (PQgetisnull(result, row, field)) return Value::Null();
  const ColumnType want = table.column(column).type;
  const Oid type = PQftype(result, field);
  std::optional<Value> v = Decode(want, type, FieldBytes(result, row, field));
  if (v) return *std::move(v);
  return absl::DataLossError(absl::StrCat(
      "cannot read ", table.name(), ".", table.column(column).name,
      row_id ? absl::StrCat(" of row ", *row_id)
             : std::string(" (in an aggregate)"),
      ": stored ", TypeName(type), " is not a ", ColumnTypeName(want),
      want == ColumnType::kTimestamp && type == kTimestampOid
          ? " in the range 1970-01-01 to 9999-12-31"
          : ""));
}

absl::StatusOr<int64_t> ReadInteger(const PGresult* result, int row,
                                    int field) {
  absl::string_view b = FieldBytes(result, row, field);
  const Oid type = PQftype(result, field);
  if (!PQgetisnull(result, row, field) &&
      ((type == kInt8Oid && b.size() == 8) ||
       (type == kInt4Oid && b.size() == 4) ||
       (type == kInt2Oid && b.size() == 2))) {
    return GetBig(b.data(), static_cast<int>(b.size()));
  }
  return absl::InternalError(absl::StrCat(
      "expected an integer from PostgreSQL, got ", TypeName(type)));
}

std::optional<std::string> ReadText(const PGresult* result, int row,
                                    int field) {
  if (PQgetisnull(result, row, field)) return std::nullopt;
  return std::string(FieldBytes(result, row, field));
}

}  // namespace viewer::postgres_internal
