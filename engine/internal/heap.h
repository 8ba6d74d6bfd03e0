// What the allocator really holds for a block: the byte accounting of the
// memory engine charges these figures, not estimates, wherever it owns the
// allocation (row versions, primary index pages).
//
//   void* p = malloc(n);
//   budget.Charge(HeldBytes(p));   // n rounded up, plus the chunk header
//
// glibc's malloc keeps a block in a chunk of its usable size plus an
// 8-byte size field, rounded up to 16 bytes, 32 at least. Under a
// sanitizer the usable size is the size asked for and the allocator's own
// bookkeeping lies elsewhere; the same formula then gives what glibc would
// hold, so that the accounting, and every test of the byte limit, is the
// same in every build.
//
// Thread safety: pure functions.
#ifndef VIEWER_ENGINE_INTERNAL_HEAP_H_
#define VIEWER_ENGINE_INTERNAL_HEAP_H_

#include <malloc.h>

#include <algorithm>
#include <cstdint>

namespace viewer::internal {

// The bytes of the glibc chunk holding `usable` bytes.
constexpr int64_t ChunkBytes(size_t usable) {
  return std::max<int64_t>(32, static_cast<int64_t>(usable + 8 + 15) & ~15);
}

// Bytes held for the malloc'd block `p`.
inline int64_t HeldBytes(const void* p) {
  return ChunkBytes(malloc_usable_size(const_cast<void*>(p)));
}

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_HEAP_H_
