// The primary index of an MvccTable: row id -> the row's newest version,
// straight, with no chain object in between.
//
//   PrimaryIndex primary;
//   int64_t bytes = primary.Set(7, head);    // may allocate a page
//   Version* v = primary.Find(7);
//   primary.ForEach(1, 100, /*descending=*/false,
//                   [](int64_t id, Version* head) { ...; return true; });
//
// Ids are dense in practice (a new row takes max(id)+1), so heads are kept
// in pages of 64 slots found through a btree_map of page numbers: a lookup
// is one probe of a small, cache-resident map and one slot, and a row
// costs 8 bytes plus its share of a page. A page is freed when its last
// row goes. Sparse ids cost a page each (about 0.5 KB per row).
//
// Invariant: a page's `used` is the number of its non-null slots, and no
// page in the map is empty.
//
// Thread safety: none; MvccTable guards it with its latch.
#ifndef VIEWER_ENGINE_INTERNAL_PRIMARY_INDEX_H_
#define VIEWER_ENGINE_INTERNAL_PRIMARY_INDEX_H_

#include <array>
#include <cstdint>
#include <memory>

#include "absl/container/btree_map.h"
#include "engine/internal/version.h"

namespace viewer::internal {

class PrimaryIndex {
 public:
  static constexpr int kPageBits = 6;
  static constexpr int64_t kPageSlots = int64_t{1} << kPageBits;

  PrimaryIndex() = default;
  PrimaryIndex(const PrimaryIndex&) = delete;
  PrimaryIndex& operator=(const PrimaryIndex&) = delete;
  ~PrimaryIndex();

  // The newest version of `id`, or nullptr.
  Version* Find(int64_t id) const {
    auto it = pages_.find(id >> kPageBits);
    return it == pages_.end() ? nullptr : it->second->slots[Slot(id)];
  }
  // True when Set(id, ...) would allocate a page.
  bool NeedsPage(int64_t id) const {
    return pages_.find(id >> kPageBits) == pages_.end();
  }
  // Bytes a page holds (charged when one is made or freed).
  static int64_t PageBytes();

  // Makes `head` the newest version of `id` (not null). Returns the bytes
  // allocated: PageBytes() for a new page, else 0.
  int64_t Set(int64_t id, Version* head);
  // Forgets `id`. Returns the bytes freed: PageBytes() when its page goes.
  int64_t Clear(int64_t id);

  // Rows (ids with a version).
  int64_t size() const { return rows_; }

  // Calls fn(id, head) for each row with lo <= id <= hi, ascending or
  // descending, until it returns false. Returns false if stopped.
  template <typename Fn>
  bool ForEach(int64_t lo, int64_t hi, bool descending, Fn fn) const;

 private:
  struct Page {
    std::array<Version*, kPageSlots> slots{};
    int32_t used = 0;
  };
  static size_t Slot(int64_t id) {
    return static_cast<size_t>(id & (kPageSlots - 1));
  }

  absl::btree_map<int64_t, Page*> pages_;
  int64_t rows_ = 0;
};

template <typename Fn>
bool PrimaryIndex::ForEach(int64_t lo, int64_t hi, bool descending,
                           Fn fn) const {
  if (lo > hi) return true;
  auto first = pages_.lower_bound(lo >> kPageBits);
  auto last = pages_.upper_bound(hi >> kPageBits);
  auto visit = [&](int64_t page, const Page& p, size_t s) {
    const int64_t id = (page << kPageBits) | static_cast<int64_t>(s);
    return p.slots[s] == nullptr || id < lo || id > hi || fn(id, p.slots[s]);
  };
  if (!descending) {
    for (auto it = first; it != last; ++it) {
      for (size_t s = 0; s < kPageSlots; ++s) {
        if (!visit(it->first, *it->second, s)) return false;
      }
    }
    return true;
  }
  for (auto it = last; it != first;) {
    --it;
    for (size_t s = kPageSlots; s > 0; --s) {
      if (!visit(it->first, *it->second, s - 1)) return false;
    }
  }
  return true;
}

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_PRIMARY_INDEX_H_
