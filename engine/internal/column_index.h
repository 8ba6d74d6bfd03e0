// The index of one column of an MvccTable: an absl::btree_set of entries
// ordered by (key, id), each entry only a pointer to the newest version of
// its row that holds the key, compared in place (no copy of the key). A
// UNIQUE column also has a hash set of the same pointers, keyed by the
// value, for equality lookups (get by name, unique checks).
//
//   ColumnIndex index(&format, /*column=*/1, /*unique=*/true);
//   index.Point(version);                 // (its key, its id) -> version
//   index.ForEachWithKey(KeyRef::Of(v), [](Version* holder) { ...; });
//
// Why both for UNIQUE columns: a search of a btree of 100,000 keys
// compares with about 17 versions; one hash probe with one. The btree is
// the index of record; the hash mirrors it, one slot per distinct key:
// the slot points at the key's only entry, or is marked "several" (rows
// whose old versions share a key, kept for snapshots), and the btree is
// then searched.
//
// Invariants:
//   1. An entry (k, id) points at a version of row `id` holding k, the
//      newest such version (MvccTable keeps this as versions come and go).
//   2. The hash holds a slot for key k iff the btree holds an entry with
//      key k (k not NULL); the slot points at one of those entries'
//      versions and is marked several iff there are two or more.
// A version an entry points at must stay allocated while the entry exists:
// every comparison reads it.
//
// Thread safety: none; MvccTable guards it with its latch.
#ifndef VIEWER_ENGINE_INTERNAL_COLUMN_INDEX_H_
#define VIEWER_ENGINE_INTERNAL_COLUMN_INDEX_H_

#include <cstdint>
#include <limits>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_set.h"
#include "absl/types/compare.h"
#include "engine/internal/key_ref.h"
#include "engine/internal/row_format.h"
#include "engine/internal/version.h"

namespace viewer::internal {

struct IndexEntry {
  // Changed only to another version of the same row holding the same key,
  // which keeps the entry's place in the order.
  mutable Version* version;
};

// A search key: (key, id).
struct IndexProbe {
  KeyRef key;
  int64_t id;
};

class EntryOrder {
 public:
  using is_transparent = void;
  EntryOrder(const RowFormat* format, size_t column)
      : format_(format), column_(column) {}

  absl::weak_ordering operator()(const IndexEntry& a,
                                 const IndexEntry& b) const {
    return Compare(Probe(a), Probe(b));
  }
  absl::weak_ordering operator()(const IndexEntry& a,
                                 const IndexProbe& b) const {
    return Compare(Probe(a), b);
  }
  absl::weak_ordering operator()(const IndexProbe& a,
                                 const IndexEntry& b) const {
    return Compare(a, Probe(b));
  }

 private:
  IndexProbe Probe(const IndexEntry& e) const {
    return {format_->Key(e.version, column_), format_->Id(e.version)};
  }
  static absl::weak_ordering Compare(const IndexProbe& a,
                                     const IndexProbe& b) {
    const int c = CompareKeys(a.key, b.key);
    if (c != 0) {
      return c < 0 ? absl::weak_ordering::less : absl::weak_ordering::greater;
    }
    if (a.id != b.id) {
      return a.id < b.id ? absl::weak_ordering::less
                         : absl::weak_ordering::greater;
    }
    return absl::weak_ordering::equivalent;
  }

  const RowFormat* format_;
  size_t column_;
};

class ColumnIndex {
 public:
  using Ordered = absl::btree_set<IndexEntry, EntryOrder>;
  using Iterator = Ordered::const_iterator;

  ColumnIndex(const RowFormat* format, size_t column, bool unique);
  ColumnIndex(const ColumnIndex&) = delete;
  ColumnIndex& operator=(const ColumnIndex&) = delete;

  size_t column() const { return column_; }
  bool hashed() const { return hashed_; }
  const Ordered& ordered() const { return ordered_; }
  // Bytes one entry is charged (btree slot, plus the hash slot if hashed).
  int64_t EntryBytes() const;

  // Makes the entry (v's key, v's id) point at `v`: moves an existing one,
  // or adds it. Returns true if added.
  bool Point(Version* v);
  // The version entry (key, id) points at, or nullptr.
  Version* Find(const KeyRef& key, int64_t id) const;
  // Points the existing entry (key, id) at `to`, which holds key.
  void Repoint(const KeyRef& key, int64_t id, Version* to);
  // Removes the entry (key, id); false if there is none. The version it
  // points at must still be allocated.
  bool Erase(const KeyRef& key, int64_t id);

  // Entries with keys >= key, and > key.
  Iterator KeyBegin(const KeyRef& key) const {
    return ordered_.lower_bound(
        IndexProbe{key, std::numeric_limits<int64_t>::min()});
  }
  Iterator KeyEnd(const KeyRef& key) const {
    return ordered_.upper_bound(
        IndexProbe{key, std::numeric_limits<int64_t>::max()});
  }
  KeyRef KeyOf(const IndexEntry& e) const {
    return format_->Key(e.version, column_);
  }

  // Calls fn(version) for each entry with key `key` (not NULL), by id,
  // until it returns false; answered by the hash when hashed(). Returns
  // false if stopped.
  template <typename Fn>
  bool ForEachWithKey(const KeyRef& key, Fn fn) const;

 private:
  // A hash slot: a version pointer whose low bit says "several".
  struct HashSlot {
    mutable uintptr_t bits;
    Version* version() const {
      return reinterpret_cast<Version*>(bits & ~uintptr_t{1});
    }
    bool several() const { return bits & 1; }
    void Set(const Version* v, bool several) const {
      bits = reinterpret_cast<uintptr_t>(v) | (several ? 1 : 0);
    }
  };
  struct SlotHash {
    using is_transparent = void;
    const RowFormat* format;
    size_t column;
    size_t operator()(const HashSlot& s) const {
      return HashKey(format->Key(s.version(), column));
    }
    size_t operator()(const KeyRef& k) const { return HashKey(k); }
  };
  struct SlotEq {
    using is_transparent = void;
    const RowFormat* format;
    size_t column;
    KeyRef Of(const HashSlot& s) const {
      return format->Key(s.version(), column);
    }
    KeyRef Of(const KeyRef& k) const { return k; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return CompareKeys(Of(a), Of(b)) == 0;
    }
  };
  using Hash = absl::flat_hash_set<HashSlot, SlotHash, SlotEq>;

  void HashAdd(const Version* v);
  void HashMove(const KeyRef& key, const Version* from, const Version* to);
  void HashRemove(const KeyRef& key);

  const RowFormat* const format_;
  const size_t column_;
  const bool hashed_;
  Ordered ordered_;
  Hash hash_;
};

template <typename Fn>
bool ColumnIndex::ForEachWithKey(const KeyRef& key, Fn fn) const {
  if (hashed_) {
    auto slot = hash_.find(key);
    if (slot == hash_.end()) return true;
    if (!slot->several()) return fn(slot->version());
  }
  for (auto it = KeyBegin(key), end = KeyEnd(key); it != end; ++it) {
    if (!fn(it->version)) return false;
  }
  return true;
}

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_COLUMN_INDEX_H_
