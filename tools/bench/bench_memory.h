// Memory figures for storage_bench: a store filled with the busy-session
// mix (tests/busy_session.h) in a child process of its own, so that what
// the process holds is measured from a clean start and the parent's heap
// is left as it was.
//
//   bench::MemoryFigures f = bench::MeasureInChild(
//       [] { return OpenSomeStore(); }, 100'000);
//
// Thread safety: call with no other thread of this process running a
// store (fork copies only the calling thread).
#ifndef VIEWER_TOOLS_BENCH_BENCH_MEMORY_H_
#define VIEWER_TOOLS_BENCH_BENCH_MEMORY_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "engine/store.h"

namespace viewer::bench {

struct MemoryFigures {
  int64_t store_bytes = 0;  // what the store says it holds (Stats)
  int64_t heap_growth = 0;  // malloc'd bytes, after minus before
  int64_t rss_growth = 0;   // resident bytes, after minus before
};

// In a child process: opens a store, inserts `rows` rows of the busy
// session in one transaction, commits, and measures. Aborts on failure.
MemoryFigures MeasureInChild(
    const std::function<std::unique_ptr<Store>()>& open, int rows);

// The process's malloc'd bytes (glibc: small chunks and mmapped ones).
int64_t HeapBytes();
// The process's resident bytes.
int64_t ResidentBytes();

}  // namespace viewer::bench

#endif  // VIEWER_TOOLS_BENCH_BENCH_MEMORY_H_
