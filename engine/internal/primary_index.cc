#include "engine/internal/primary_index.h"

#include "engine/internal/heap.h"

namespace viewer::internal {
namespace {

// A page's share of the page map's btree nodes: a 16-byte slot in nodes
// about 85% full.
constexpr int64_t kPageMapEntryBytes = 19;

}  // namespace

PrimaryIndex::~PrimaryIndex() {
  for (auto& [number, page] : pages_) delete page;
}

int64_t PrimaryIndex::PageBytes() {
  static const int64_t bytes = [] {
    auto page = std::make_unique<Page>();
    return HeldBytes(page.get()) + kPageMapEntryBytes;
  }();
  return bytes;
}

int64_t PrimaryIndex::Set(int64_t id, Version* head) {
  int64_t allocated = 0;
  auto [it, inserted] = pages_.try_emplace(id >> kPageBits, nullptr);
  if (inserted) {
    it->second = new Page();
    allocated = PageBytes();
  }
  Version*& slot = it->second->slots[Slot(id)];
  if (slot == nullptr) {
    ++it->second->used;
    ++rows_;
  }
  slot = head;
  return allocated;
}

int64_t PrimaryIndex::Clear(int64_t id) {
  auto it = pages_.find(id >> kPageBits);
  if (it == pages_.end()) return 0;
  Version*& slot = it->second->slots[Slot(id)];
  if (slot == nullptr) return 0;
  slot = nullptr;
  --rows_;
  if (--it->second->used > 0) return 0;
  delete it->second;
  pages_.erase(it);
  return PageBytes();
}

}  // namespace viewer::internal
