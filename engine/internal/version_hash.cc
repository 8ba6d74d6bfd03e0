#include "engine/internal/version_hash.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace viewer::internal {
namespace {

constexpr size_t kMinCapacity = 16;  // 2^4

// At most 7/8 of the slots used (keys and tombstones).
bool Fits(size_t used, size_t capacity) { return used * 8 <= capacity * 7; }

}  // namespace

VersionHash::Slot* VersionHash::Find(size_t hash, Matches matches) const {
  if (capacity_ == 0) return nullptr;
  const uint64_t fingerprint = Fingerprint(hash);
  for (size_t i = Home(hash);; i = (i + 1) & (capacity_ - 1)) {
    Slot& slot = slots_[i];
    if (slot.bits_ == kEmpty) return nullptr;
    if (slot.bits_ != kTombstone &&
        (slot.bits_ & Slot::kHashBits) == fingerprint &&
        matches(slot.version())) {
      return &slot;
    }
  }
}

void VersionHash::Insert(size_t hash, const Version* v, Rehash rehash) {
  const auto address = reinterpret_cast<uint64_t>(v);
  if ((address & ~Slot::kAddress) != 0) {
    fprintf(stderr, "VersionHash: version at %p is not a 48-bit, 16-byte "
                    "aligned address\n", static_cast<const void*>(v));
    abort();
  }
  if (!Fits(size_ + tombstones_ + 1, capacity_)) Rebuild(size_ + 1, rehash);
  Place(hash, address);
}

void VersionHash::Erase(Slot* slot) {
  slot->bits_ = kTombstone;
  --size_;
  ++tombstones_;
}

void VersionHash::Place(size_t hash, uint64_t pointer_bits) {
  for (size_t i = Home(hash);; i = (i + 1) & (capacity_ - 1)) {
    Slot& slot = slots_[i];
    if (slot.bits_ == kEmpty || slot.bits_ == kTombstone) {
      if (slot.bits_ == kTombstone) --tombstones_;
      slot.bits_ = Fingerprint(hash) | pointer_bits;
      ++size_;
      return;
    }
  }
}

void VersionHash::Rebuild(size_t size, Rehash rehash) {
  size_t capacity = kMinCapacity;
  int log2 = 4;
  while (!Fits(size, capacity)) {
    capacity *= 2;
    ++log2;
  }
  std::unique_ptr<Slot[]> old =
      std::exchange(slots_, std::make_unique<Slot[]>(capacity));
  const size_t old_capacity = std::exchange(capacity_, capacity);
  log2_capacity_ = log2;
  size_ = 0;
  tombstones_ = 0;
  for (size_t i = 0; i < old_capacity; ++i) {
    const Slot& slot = old[i];
    if (slot.bits_ == kEmpty || slot.bits_ == kTombstone) continue;
    Place(rehash(slot.version()), slot.bits_ & (Slot::kAddress | Slot::kSeveral));
  }
}

}  // namespace viewer::internal
