// The index of one column of an MvccTable: an absl::btree_set of entries
// ordered by (key, id), each entry pointing at the newest version of its
// row that holds the key, where the key is compared in place (no copy of
// it is kept). A UNIQUE column also has a hash of the same pointers, keyed
// by the value, for equality lookups (get by name, unique checks):
// version_hash.h, one slot line and then the version.
//
//   ColumnIndex index(&format, /*column=*/1, /*unique=*/true);
//   index.Point(version);                 // (its key, its id) -> version
//   index.ForEachWithKey(KeyRef::Of(v), [](Version* holder) { ...; });
//   int64_t n = index.CountInRange(range);   // reads no version
//
// The two kinds of column:
//   - UNIQUE: equality is the hash's (one probe, then one version read);
//     the btree, of bare pointers (8 bytes an entry), serves ranges and
//     order, where the rows are read anyway.
//   - not UNIQUE: the btree answers equality itself (counts, lookups of
//     the rows holding a value), so its entries also keep the key's head
//     (key_ref.h): a search compares heads and reads a version only to
//     tell two keys with the same first 8 bytes apart. 16 bytes an entry.
// The hash holds one slot per distinct key: pointing at the key's only
// entry, or marked "several" (rows whose old versions share a key, kept
// for snapshots), when the btree is searched.
//
// Invariants:
//   1. An entry (k, id) points at a version of row `id` holding k, the
//      newest such version (MvccTable keeps this as versions come and go).
//   2. The hash holds a slot for key k iff the btree holds an entry with
//      key k (k not NULL); the slot points at one of those entries'
//      versions and is marked several iff there are two or more.
// A version an entry points at must stay allocated while the entry exists:
// comparisons read it.
//
// Thread safety: none; MvccTable guards it with its latch.
#ifndef VIEWER_ENGINE_INTERNAL_COLUMN_INDEX_H_
#define VIEWER_ENGINE_INTERNAL_COLUMN_INDEX_H_

#include <cstdint>
#include <limits>
#include <optional>

#include "absl/container/btree_set.h"
#include "absl/container/inlined_vector.h"
#include "engine/internal/index_entry.h"
#include "engine/internal/key_ref.h"
#include "engine/internal/row_format.h"
#include "engine/internal/version.h"
#include "engine/internal/version_hash.h"

namespace viewer::internal {

struct Bound {
  Value value;
  bool inclusive = true;
};

// Keys between lo and hi, of the column's kind (or a NULL lo, below every
// value); an absent bound is open.
struct KeyRange {
  std::optional<Bound> lo;
  std::optional<Bound> hi;

  // A single non-NULL key: [k, k].
  const Value* Point() const {
    if (!lo || !hi || lo->value.is_null() || !lo->inclusive ||
        !hi->inclusive || CompareValues(lo->value, hi->value) != 0) {
      return nullptr;
    }
    return &lo->value;
  }
  // True when no key lies between the bounds.
  bool Empty() const {
    if (!lo || !hi) return false;
    const int c = CompareValues(lo->value, hi->value);
    return c > 0 || (c == 0 && !(lo->inclusive && hi->inclusive));
  }
};

class ColumnIndex {
 public:
  ColumnIndex(const RowFormat* format, size_t column, bool unique);
  ColumnIndex(const ColumnIndex&) = delete;
  ColumnIndex& operator=(const ColumnIndex&) = delete;

  size_t column() const { return column_; }
  bool hashed() const { return hashed_; }
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

  // Calls fn(version) for each entry with key `key` (not NULL), by id,
  // until it returns false. Returns false if stopped.
  template <typename Fn>
  bool ForEachWithKey(const KeyRef& key, Fn fn) const;
  // Calls fn(version) for each entry with a key in `range`, by key then
  // id, or with `descending` by key descending and id ascending within a
  // key, until it returns false. Returns false if stopped.
  template <typename Fn>
  bool ForEachInRange(const KeyRange& range, bool descending, Fn fn) const;
  // Entries with a key in `range`.
  int64_t CountInRange(const KeyRange& range) const;

 private:
  using PlainSet = absl::btree_set<PlainEntry, PlainOrder>;
  using HeadSet = absl::btree_set<HeadEntry, HeadOrder>;

  // Calls f(set) with the btree in use.
  template <typename F>
  decltype(auto) WithSet(F f) const {
    return heads_ ? f(headed_) : f(plain_);
  }
  template <typename F>
  decltype(auto) WithSet(F f) {
    return heads_ ? f(headed_) : f(plain_);
  }
  IndexProbe Probe(const KeyRef& key, int64_t id) const {
    return IndexProbe{key, KeyHead::Of(key), id};
  }
  // The first entry of `set` at or after (above, if !inclusive) `b`.
  template <typename Set>
  auto Lower(const Set& set, const std::optional<Bound>& b) const;
  // The first entry of `set` after (at, if !inclusive) `b`.
  template <typename Set>
  auto Upper(const Set& set, const std::optional<Bound>& b) const;

  VersionHash::Slot* HashFind(const KeyRef& key) const {
    return hash_.Find(HashKey(key), [&](const Version* v) {
      return CompareKeys(format_->Key(v, column_), key) == 0;
    });
  }
  void HashAdd(const Version* v);
  void HashMove(const KeyRef& key, const Version* from, const Version* to);
  void HashRemove(const KeyRef& key);

  const RowFormat* const format_;
  const size_t column_;
  const bool hashed_;
  const bool heads_;
  PlainSet plain_;  // UNIQUE columns
  HeadSet headed_;  // the others
  VersionHash hash_;
};

template <typename Set>
auto ColumnIndex::Lower(const Set& set, const std::optional<Bound>& b) const {
  if (!b) return set.begin();
  const KeyRef key = KeyRef::Of(b->value);
  return b->inclusive ? set.lower_bound(Probe(key, IndexProbe::kBefore))
                      : set.upper_bound(Probe(key, IndexProbe::kAfter));
}

template <typename Set>
auto ColumnIndex::Upper(const Set& set, const std::optional<Bound>& b) const {
  if (!b) return set.end();
  const KeyRef key = KeyRef::Of(b->value);
  return b->inclusive ? set.upper_bound(Probe(key, IndexProbe::kAfter))
                      : set.lower_bound(Probe(key, IndexProbe::kBefore));
}

template <typename Fn>
bool ColumnIndex::ForEachWithKey(const KeyRef& key, Fn fn) const {
  if (hashed_) {
    const VersionHash::Slot* slot = HashFind(key);
    if (slot == nullptr) return true;
    if (!slot->several()) return fn(slot->version());
  }
  return WithSet([&](const auto& set) {
    auto end = set.upper_bound(Probe(key, IndexProbe::kAfter));
    for (auto it = set.lower_bound(Probe(key, IndexProbe::kBefore)); it != end;
         ++it) {
      if (!fn(it->version())) return false;
    }
    return true;
  });
}

template <typename Fn>
bool ColumnIndex::ForEachInRange(const KeyRange& range, bool descending,
                                 Fn fn) const {
  if (range.Empty()) return true;
  return WithSet([&](const auto& set) {
    const auto first = Lower(set, range.lo);
    const auto last = Upper(set, range.hi);
    if (!descending) {
      for (auto it = first; it != last; ++it) {
        if (!fn(it->version())) return false;
      }
      return true;
    }
    // Descending by key, but ids ascending within one key: walk backwards
    // and replay each run of equal keys forwards.
    absl::InlinedVector<Version*, 8> run;
    auto flush = [&] {
      for (auto e = run.rbegin(); e != run.rend(); ++e) {
        if (!fn(*e)) return false;
      }
      run.clear();
      return true;
    };
    for (auto it = last; it != first;) {
      --it;
      if (!run.empty() &&
          CompareKeys(format_->Key(it->version(), column_),
                      format_->Key(run.back(), column_)) != 0 &&
          !flush()) {
        return false;
      }
      run.push_back(it->version());
    }
    return flush();
  });
}

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_COLUMN_INDEX_H_
