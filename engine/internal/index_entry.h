// The entries of a ColumnIndex's btree and their order, (key, id), with
// the key read in place from the version an entry points at.
//
//   PlainEntry: the version pointer alone (8 bytes), for UNIQUE columns.
//   HeadEntry:  the pointer and the key's head (16 bytes): most
//               comparisons are decided by the heads (key_ref.h).
//   IndexProbe: a search key (key, id); id kBefore or kAfter stands for
//               "before / after every id", and needs no version read.
//
// An entry's pointer may change only to another version of the same row
// holding the same key, which keeps its place in the order.
//
// Thread safety: as the ColumnIndex that holds them.
#ifndef VIEWER_ENGINE_INTERNAL_INDEX_ENTRY_H_
#define VIEWER_ENGINE_INTERNAL_INDEX_ENTRY_H_

#include <cstdint>
#include <limits>

#include "absl/types/compare.h"
#include "engine/internal/key_ref.h"
#include "engine/internal/row_format.h"
#include "engine/internal/version.h"

namespace viewer::internal {

struct IndexProbe {
  static constexpr int64_t kBefore = std::numeric_limits<int64_t>::min();
  static constexpr int64_t kAfter = std::numeric_limits<int64_t>::max();
  KeyRef key;
  KeyHead head;
  int64_t id;
};

struct PlainEntry {
  mutable Version* v;
  Version* version() const { return v; }
  void Set(Version* to) const { v = to; }
};

struct HeadEntry {
  // The version (16-byte aligned, RowFormat::Allocate) and, in its low 4
  // bits, the head's tag.
  mutable uintptr_t bits;
  uint64_t head_bits;

  HeadEntry(Version* v, const KeyHead& head)
      : bits(reinterpret_cast<uintptr_t>(v) | head.tag),
        head_bits(head.bits) {}
  Version* version() const {
    return reinterpret_cast<Version*>(bits & ~uintptr_t{15});
  }
  KeyHead head() const {
    return KeyHead{head_bits, static_cast<uint8_t>(bits & 15)};
  }
  void Set(Version* to) const {
    bits = reinterpret_cast<uintptr_t>(to) | (bits & 15);
  }
};

inline absl::weak_ordering OrderOf(int c) {
  return c < 0   ? absl::weak_ordering::less
         : c > 0 ? absl::weak_ordering::greater
                 : absl::weak_ordering::equivalent;
}

// Shared by both orders: keys already compared equal, then ids.
class EntryOrderBase {
 public:
  EntryOrderBase(const RowFormat* format, size_t column)
      : format_(format), column_(column) {}

 protected:
  KeyRef Key(const Version* v) const { return format_->Key(v, column_); }
  absl::weak_ordering Ids(const Version* a, const Version* b) const {
    const int64_t x = format_->Id(a), y = format_->Id(b);
    return OrderOf(x < y ? -1 : (x > y));
  }
  absl::weak_ordering Ids(const Version* a, int64_t y) const {
    if (y == IndexProbe::kBefore) return absl::weak_ordering::greater;
    if (y == IndexProbe::kAfter) return absl::weak_ordering::less;
    const int64_t x = format_->Id(a);
    return OrderOf(x < y ? -1 : (x > y));
  }

  const RowFormat* format_;
  size_t column_;
};

class PlainOrder : public EntryOrderBase {
 public:
  using is_transparent = void;
  using EntryOrderBase::EntryOrderBase;

  absl::weak_ordering operator()(const PlainEntry& a,
                                 const PlainEntry& b) const {
    const int c = CompareKeys(Key(a.v), Key(b.v));
    return c != 0 ? OrderOf(c) : Ids(a.v, b.v);
  }
  absl::weak_ordering operator()(const PlainEntry& a,
                                 const IndexProbe& b) const {
    const int c = CompareKeys(Key(a.v), b.key);
    return c != 0 ? OrderOf(c) : Ids(a.v, b.id);
  }
  absl::weak_ordering operator()(const IndexProbe& a,
                                 const PlainEntry& b) const {
    return Reverse((*this)(b, a));
  }

 private:
  static absl::weak_ordering Reverse(absl::weak_ordering o) {
    return o < 0 ? absl::weak_ordering::greater
           : o > 0 ? absl::weak_ordering::less
                   : absl::weak_ordering::equivalent;
  }
};

class HeadOrder : public EntryOrderBase {
 public:
  using is_transparent = void;
  using EntryOrderBase::EntryOrderBase;

  absl::weak_ordering operator()(const HeadEntry& a,
                                 const HeadEntry& b) const {
    int c = CompareHeads(a.head(), b.head());
    if (c == kUndecided) c = CompareKeys(Key(a.version()), Key(b.version()));
    return c != 0 ? OrderOf(c) : Ids(a.version(), b.version());
  }
  absl::weak_ordering operator()(const HeadEntry& a,
                                 const IndexProbe& b) const {
    int c = CompareHeads(a.head(), b.head);
    if (c == kUndecided) c = CompareKeys(Key(a.version()), b.key);
    return c != 0 ? OrderOf(c) : Ids(a.version(), b.id);
  }
  absl::weak_ordering operator()(const IndexProbe& a,
                                 const HeadEntry& b) const {
    const absl::weak_ordering o = (*this)(b, a);
    return o < 0 ? absl::weak_ordering::greater
           : o > 0 ? absl::weak_ordering::less
                   : absl::weak_ordering::equivalent;
  }
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_INDEX_ENTRY_H_
