// The hash of a UNIQUE column's index: a key -> the version holding it, in
// one array of 8-byte slots, so that a lookup reads one slot line and then
// the version (absl::flat_hash_set would read a control line, a slot line
// and the version).
//
//   VersionHash hash;
//   hash.Insert(HashKey(key), v, rehash);          // key not there yet
//   VersionHash::Slot* s = hash.Find(HashKey(key), [&](const Version* c) {
//     return CompareKeys(format.Key(c, column), key) == 0;
//   });
//
// A slot holds the version pointer (16-byte aligned, below 2^48), a
// "several" bit (bit 0) and 19 bits of the key's hash (16 in the slot's
// top bits, 3 in bits 1-3) other than those that choose its home, so that
// a probe reads a version only when those 19 bits match (about once in
// 500,000 slots it passes). Linear probing; erased slots become
// tombstones, cleared when the table is rebuilt. The caller gives the hash of a key and says how to compare a
// version's key with the one searched for; an insert that rebuilds the
// table asks it to hash each version's key again.
//
// Thread safety: none; the table latch guards it (ColumnIndex).
#ifndef VIEWER_ENGINE_INTERNAL_VERSION_HASH_H_
#define VIEWER_ENGINE_INTERNAL_VERSION_HASH_H_

#include <cstdint>
#include <memory>

#include "absl/functional/function_ref.h"
#include "engine/internal/version.h"

namespace viewer::internal {

class VersionHash {
 public:
  class Slot {
   public:
    Version* version() const {
      return reinterpret_cast<Version*>(bits_ & kAddress);
    }
    bool several() const { return bits_ & kSeveral; }
    // Another version holding the same key; or the "several" mark.
    void Set(const Version* v, bool several) {
      bits_ = (bits_ & kHashBits) | reinterpret_cast<uint64_t>(v) |
              (several ? kSeveral : 0);
    }

   private:
    friend class VersionHash;
    static constexpr uint64_t kAddress = 0x0000'FFFF'FFFF'FFF0;
    static constexpr uint64_t kSeveral = 1;
    static constexpr uint64_t kHashBits = 0xFFFF'0000'0000'000E;
    uint64_t bits_;
  };

  // Hashes a version's key (for rebuilding).
  using Rehash = absl::FunctionRef<size_t(const Version*)>;
  // True when a version's key is the one searched for.
  using Matches = absl::FunctionRef<bool(const Version*)>;

  VersionHash() = default;
  VersionHash(const VersionHash&) = delete;
  VersionHash& operator=(const VersionHash&) = delete;

  // The slot of the key with hash `hash`, or nullptr. Valid until the next
  // Insert or Erase.
  Slot* Find(size_t hash, Matches matches) const;
  // Adds a slot for `v`, whose key (with hash `hash`) has none.
  void Insert(size_t hash, const Version* v, Rehash rehash);
  // Removes `slot` (from Find).
  void Erase(Slot* slot);
  size_t size() const { return size_; }

 private:
  static constexpr uint64_t kEmpty = 0;
  static constexpr uint64_t kTombstone = 2;  // no version is at address 2
  // The hash bits a slot keeps, in their place in the slot: the low 19,
  // while a key's home is chosen by the top bits.
  static uint64_t Fingerprint(size_t hash) {
    const auto h = static_cast<uint64_t>(hash);
    return ((h & 0xFFFF) << 48) | ((h >> 15) & 0xE);
  }
  size_t Home(size_t hash) const { return hash >> (64 - log2_capacity_); }
  // Puts a slot of `pointer_bits` (address and mark) in the first free
  // place from the hash's home.
  void Place(size_t hash, uint64_t pointer_bits);
  // Rebuilds with room for at least `size` keys.
  void Rebuild(size_t size, Rehash rehash);

  std::unique_ptr<Slot[]> slots_;
  size_t capacity_ = 0;  // 0 or a power of two
  int log2_capacity_ = 0;
  size_t size_ = 0;
  size_t tombstones_ = 0;
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_VERSION_HASH_H_
