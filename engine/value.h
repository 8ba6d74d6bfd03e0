// Values stored in tables: NULL, INTEGER, TEXT, BLOB, BOOLEAN, TIMESTAMP.
//
//   Value name = Value::Text("alpha");
//   Value data = Value::Blob(std::string("\x00\xff", 2));
//   if (name.kind() == ValueKind::kText) Use(name.text());
//
// A Value is a small immutable-by-convention variant. BLOB bytes are held by
// a shared pointer, so copying a Value (and so a row version) never copies
// the bytes of a blob. A TEXT Value may hold any bytes (a filter's operand
// compares bytewise); only UTF-8 without NUL can be stored, which the
// contract checks for every backend (IsStorableText in engine/store.h).
//
// Thread safety: a Value may be read from many threads at once; it is not
// modified after construction except by assignment.
#ifndef VIEWER_ENGINE_VALUE_H_
#define VIEWER_ENGINE_VALUE_H_

#include <cstdint>
#include <memory>
#include <string>
#include "absl/strings/string_view.h"
#include <variant>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace viewer {

// A UTC instant with microsecond precision, as microseconds since
// 1970-01-01 00:00:00 UTC. The contract accepts 1970-01-01 through
// 9999-12-31 23:59:59.999999 (the range in which SQLite's text form sorts
// chronologically).
struct Timestamp {
  int64_t micros = 0;

  static constexpr int64_t kMaxMicros = 253402300799999999;  // 9999-12-31...
  static Timestamp FromAbsl(absl::Time t);
  absl::Time ToAbsl() const;
  bool InRange() const { return micros >= 0 && micros <= kMaxMicros; }
  // "YYYY-MM-DD HH:MM:SS.ffffff", the disk layout's text form.
  std::string ToString() const;
  // Parses the text form, with or without a fractional part (1-6 digits).
  static absl::StatusOr<Timestamp> Parse(absl::string_view text);

  friend bool operator==(Timestamp a, Timestamp b) = default;
  friend auto operator<=>(Timestamp a, Timestamp b) = default;
};

enum class ValueKind { kNull, kInteger, kText, kBlob, kBoolean, kTimestamp };

absl::string_view ValueKindName(ValueKind kind);

class Value {
 public:
  using BlobRef = std::shared_ptr<const std::string>;

  Value() = default;  // NULL
  static Value Null() { return Value(); }
  static Value Integer(int64_t v) { return Value(std::in_place_index<1>, v); }
  static Value Text(std::string v) {
    return Value(std::in_place_index<2>, std::move(v));
  }
  static Value Blob(std::string bytes) {
    return Value(std::in_place_index<3>,
                 std::make_shared<const std::string>(std::move(bytes)));
  }
  // Shares `bytes`; it must not be null.
  static Value Blob(BlobRef bytes) {
    return Value(std::in_place_index<3>, std::move(bytes));
  }
  static Value Boolean(bool v) { return Value(std::in_place_index<4>, v); }
  static Value Time(Timestamp v) { return Value(std::in_place_index<5>, v); }

  ValueKind kind() const { return static_cast<ValueKind>(rep_.index()); }
  bool is_null() const { return rep_.index() == 0; }

  // Accessors; each requires the matching kind (checked in debug builds by
  // std::get, which throws on a mismatch).
  int64_t integer() const { return std::get<1>(rep_); }
  const std::string& text() const { return std::get<2>(rep_); }
  const std::string& blob() const { return *std::get<3>(rep_); }
  const BlobRef& blob_ref() const { return std::get<3>(rep_); }
  bool boolean() const { return std::get<4>(rep_); }
  Timestamp timestamp() const { return std::get<5>(rep_); }

  // The bytes of a TEXT or BLOB value; empty for other kinds.
  absl::string_view bytes() const;

  // Bytes of payload (text or blob length, 8 for scalars, 0 for NULL).
  size_t PayloadSize() const;

  // A readable rendering for logs and test failures; blobs are shown as
  // hex, long values are cut.
  std::string DebugString() const;

  // Identity: same kind and same value. NULL equals NULL here (this is not
  // SQL's three-valued comparison; see query.h for that).
  friend bool operator==(const Value& a, const Value& b);

 private:
  using Rep = std::variant<std::monostate, int64_t, std::string, BlobRef,
                           bool, Timestamp>;
  // Builds the alternative in place (constructing a Rep and moving it in
  // trips GCC 12's -Wmaybe-uninitialized under the address sanitizer).
  template <size_t I, typename... Args>
  explicit Value(std::in_place_index_t<I> i, Args&&... args)
      : rep_(i, std::forward<Args>(args)...) {}
  Rep rep_;
};

// Total order used by indexes and ORDER BY: NULL first, then by kind, then
// by value (TEXT and BLOB bytewise, as SQLite's BINARY collation). Returns
// <0, 0 or >0. Inline for the two common cases (index keys are mostly
// text or integers); the rest is in value.cc.
int CompareValuesSlow(const Value& a, const Value& b);
inline int CompareValues(const Value& a, const Value& b) {
  if (a.kind() == b.kind()) {
    if (a.kind() == ValueKind::kText) {
      int c = a.text().compare(b.text());
      return c < 0 ? -1 : (c > 0);
    }
    if (a.kind() == ValueKind::kInteger) {
      return a.integer() < b.integer() ? -1 : (a.integer() > b.integer());
    }
  }
  return CompareValuesSlow(a, b);
}

struct ValueLess {
  bool operator()(const Value& a, const Value& b) const {
    return CompareValues(a, b) < 0;
  }
};

}  // namespace viewer

#endif  // VIEWER_ENGINE_VALUE_H_
