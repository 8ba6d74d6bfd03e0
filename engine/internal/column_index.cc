#include "engine/internal/column_index.h"

#include <iterator>
#include <type_traits>
#include <utility>

namespace viewer::internal {
namespace {

// Measured bytes per entry of an absl::btree_set over 100,000 keys: 8-byte
// entries 9.3 inserted in order, 11.1 to 11.4 in random order; 16-byte
// entries 18.7, and 21.1 to 22.6.
constexpr int64_t kPlainEntryBytes = 11;
constexpr int64_t kHeadEntryBytes = 21;
// An 8-byte VersionHash slot at a load between 7/16 and 7/8: 9.1 to 18.3
// bytes per key, 10.5 at 100,000 keys.
constexpr int64_t kHashEntryBytes = 11;

}  // namespace

ColumnIndex::ColumnIndex(const RowFormat* format, size_t column, bool unique)
    : format_(format),
      column_(column),
      hashed_(unique),
      heads_(!unique),
      plain_(PlainOrder(format, column)),
      headed_(HeadOrder(format, column)) {}

int64_t ColumnIndex::EntryBytes() const {
  return heads_ ? kHeadEntryBytes : kPlainEntryBytes + kHashEntryBytes;
}

bool ColumnIndex::Point(Version* v) {
  const KeyRef key = format_->Key(v, column_);
  // One descent: insert, or find the entry in the way and take it over.
  Version* before = nullptr;
  const bool added = WithSet([&](auto& set) {
    using Set = std::decay_t<decltype(set)>;
    auto [it, inserted] = [&] {
      if constexpr (std::is_same_v<Set, HeadSet>) {
        return set.insert(HeadEntry(v, KeyHead::Of(key)));
      } else {
        return set.insert(PlainEntry{v});
      }
    }();
    if (!inserted) {
      before = it->version();
      it->Set(v);
    }
    return inserted;
  });
  if (hashed_ && !key.is_null()) {
    if (added) {
      HashAdd(v);
    } else if (before != v) {
      // The slot is found through `before`, which still holds the key.
      HashMove(key, before, v);
    }
  }
  return added;
}

Version* ColumnIndex::Find(const KeyRef& key, int64_t id) const {
  return WithSet([&](const auto& set) -> Version* {
    auto it = set.find(Probe(key, id));
    return it == set.end() ? nullptr : it->version();
  });
}

void ColumnIndex::Repoint(const KeyRef& key, int64_t id, Version* to) {
  WithSet([&](auto& set) {
    auto it = set.find(Probe(key, id));
    if (it == set.end() || it->version() == to) return;
    if (hashed_ && !key.is_null()) HashMove(key, it->version(), to);
    it->Set(to);
  });
}

bool ColumnIndex::Erase(const KeyRef& key, int64_t id) {
  const bool erased = WithSet([&](auto& set) {
    auto it = set.find(Probe(key, id));
    if (it == set.end()) return false;
    set.erase(it);
    return true;
  });
  // The hash slot may point at the erased entry's version, which is still
  // allocated: HashRemove finds the slot through it, then re-aims it.
  if (erased && hashed_ && !key.is_null()) HashRemove(key);
  return erased;
}

int64_t ColumnIndex::CountInRange(const KeyRange& range) const {
  if (range.Empty()) return 0;
  return WithSet([&](const auto& set) {
    // Steps through the leaves without reading the versions.
    return static_cast<int64_t>(
        std::distance(Lower(set, range.lo), Upper(set, range.hi)));
  });
}

void ColumnIndex::HashAdd(const Version* v) {
  const KeyRef key = format_->Key(v, column_);
  if (VersionHash::Slot* slot = HashFind(key)) {
    slot->Set(slot->version(), /*several=*/true);
    return;
  }
  hash_.Insert(HashKey(key), v, [&](const Version* other) {
    return HashKey(format_->Key(other, column_));
  });
}

void ColumnIndex::HashMove(const KeyRef& key, const Version* from,
                           const Version* to) {
  VersionHash::Slot* slot = HashFind(key);
  if (slot != nullptr && slot->version() == from) {
    slot->Set(to, slot->several());
  }
}

void ColumnIndex::HashRemove(const KeyRef& key) {
  VersionHash::Slot* slot = HashFind(key);
  if (slot == nullptr) return;
  // Only UNIQUE columns are hashed, and their btree is plain_.
  auto first = plain_.lower_bound(Probe(key, IndexProbe::kBefore));
  auto end = plain_.upper_bound(Probe(key, IndexProbe::kAfter));
  if (first == end) {
    hash_.Erase(slot);
    return;
  }
  slot->Set(first->version(), std::next(first) != end);
}

}  // namespace viewer::internal
