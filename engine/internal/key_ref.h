// A column value read in place from a packed row version: its kind and
// either a number or a view of its bytes. Indexes compare and hash keys as
// KeyRefs, so a key is never copied out of the version that holds it.
//
//   KeyRef probe = KeyRef::Of(Value::Text("alpha"));
//   if (CompareKeys(format.Key(version, column), probe) == 0) ...
//
// CompareKeys is the same total order as CompareValues (value.h): NULL
// first, then by kind, then by value, TEXT and BLOB bytewise; the engine
// tests check the two agree on every pair of a spread of values.
//
// Thread safety: a KeyRef is a view; it is valid while what it views is
// (a Value, or a version under the table latch).
#ifndef VIEWER_ENGINE_INTERNAL_KEY_REF_H_
#define VIEWER_ENGINE_INTERNAL_KEY_REF_H_

#include <cstddef>
#include <cstdint>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "engine/value.h"

namespace viewer::internal {

struct KeyRef {
  ValueKind kind = ValueKind::kNull;
  int64_t number = 0;       // INTEGER, TIMESTAMP (micros), BOOLEAN (0/1)
  absl::string_view bytes;  // TEXT, BLOB

  bool is_null() const { return kind == ValueKind::kNull; }
  bool has_bytes() const {
    return kind == ValueKind::kText || kind == ValueKind::kBlob;
  }

  // A view of `v`; valid while `v` is.
  static KeyRef Of(const Value& v) {
    KeyRef k;
    k.kind = v.kind();
    switch (k.kind) {
      case ValueKind::kNull:
        break;
      case ValueKind::kInteger:
        k.number = v.integer();
        break;
      case ValueKind::kBoolean:
        k.number = v.boolean();
        break;
      case ValueKind::kTimestamp:
        k.number = v.timestamp().micros;
        break;
      case ValueKind::kText:
      case ValueKind::kBlob:
        k.bytes = v.bytes();
        break;
    }
    return k;
  }
};

// <0, 0 or >0, in CompareValues' order.
inline int CompareKeys(const KeyRef& a, const KeyRef& b) {
  if (a.kind != b.kind) {
    return static_cast<int>(a.kind) < static_cast<int>(b.kind) ? -1 : 1;
  }
  if (a.has_bytes()) {
    // string_view::compare is memcmp-based: bytewise, unsigned.
    const int c = a.bytes.compare(b.bytes);
    return c < 0 ? -1 : (c > 0);
  }
  return a.number < b.number ? -1 : (a.number > b.number);
}

// The first bytes of a key, kept in an index entry so that most
// comparisons need not read the version holding the key: a number (an
// INTEGER, TIMESTAMP or BOOLEAN) whole, in an order-preserving form; a
// TEXT or BLOB as its first 8 bytes, zero-padded, with its length when it
// has at most 8 bytes.
struct KeyHead {
  static constexpr uint8_t kLonger = 9;   // bytes: more than 8
  static constexpr uint8_t kNumber = 14;  // the number, whole
  static constexpr uint8_t kNull = 15;
  uint64_t bits = 0;
  uint8_t tag = kNull;  // a length 0..8, or one of the above

  static KeyHead Of(const KeyRef& k) {
    KeyHead h;
    if (k.is_null()) return h;
    if (!k.has_bytes()) {
      h.bits = static_cast<uint64_t>(k.number) ^ (uint64_t{1} << 63);
      h.tag = kNumber;
      return h;
    }
    unsigned char first[8] = {};
    const size_t n = k.bytes.size() < 8 ? k.bytes.size() : 8;
    for (size_t i = 0; i < n; ++i) first[i] = static_cast<unsigned char>(k.bytes[i]);
    for (unsigned char b : first) h.bits = (h.bits << 8) | b;
    h.tag = k.bytes.size() <= 8 ? static_cast<uint8_t>(k.bytes.size())
                                : kLonger;
    return h;
  }
};

// CompareKeys of two keys of one column as far as their heads tell: <0,
// 0 or >0, or kUndecided when only the whole keys can.
inline constexpr int kUndecided = 2;
inline int CompareHeads(const KeyHead& a, const KeyHead& b) {
  if (a.tag == KeyHead::kNull || b.tag == KeyHead::kNull) {
    return (a.tag != KeyHead::kNull) - (b.tag != KeyHead::kNull);
  }
  if (a.bits != b.bits) return a.bits < b.bits ? -1 : 1;
  if (a.tag == KeyHead::kNumber) return 0;
  // The same first bytes: a key of at most 8 bytes is a prefix of the
  // other, so the shorter comes first; two longer keys are undecided.
  if (a.tag == KeyHead::kLonger && b.tag == KeyHead::kLonger) return kUndecided;
  return a.tag < b.tag ? -1 : (a.tag > b.tag);
}

// Equal keys (CompareKeys == 0) hash equally.
inline size_t HashKey(const KeyRef& k) {
  if (k.has_bytes()) return absl::HashOf(static_cast<int>(k.kind), k.bytes);
  return absl::HashOf(static_cast<int>(k.kind), k.number);
}

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_KEY_REF_H_
