// Row versions and the MVCC visibility rule of the in-memory engine.
//
// Every row is a chain of versions, newest first. A version carries the
// commit timestamp that created it (`begin`) and the one that ended it
// (`end`, by an update or a delete). Commit timestamps are a counter, not
// wall time. The single open writer marks what it creates or ends with
// kPending; Commit stamps those marks with the new commit timestamp,
// rollback removes them.
//
// A Version is only the 16-byte header of one allocation: the row's values
// follow it, packed as the table's RowFormat says (row_format.h). The link
// to the next older version is kept by the table (mvcc_table.h), since
// most rows have no older version.
//
// Invariants of a chain (newest first):
//   1. at most one version has end == kInfinity, and it is the head;
//   2. along the chain, begin and end never increase (older is earlier);
//   3. kPending appears only while the writer that made it is open.
//
// Thread safety: `begin` and `end` are atomics. The writer stamps them at
// commit without the table latch; a reader that could see either value
// reaches the same verdict (see IsVisible), and a snapshot that begins
// after the commit is published sees the stamps.
#ifndef VIEWER_ENGINE_INTERNAL_VERSION_H_
#define VIEWER_ENGINE_INTERNAL_VERSION_H_

#include <atomic>
#include <cstdint>
#include <limits>

namespace viewer::internal {

inline constexpr uint64_t kInfinity = std::numeric_limits<uint64_t>::max();
inline constexpr uint64_t kPending = kInfinity - 1;

// What a transaction sees: everything committed at or before `read_ts`,
// plus, for the writer (`own_writes`), what it has itself made pending.
struct ReadView {
  uint64_t read_ts = 0;
  bool own_writes = false;
};

// The whole MVCC visibility rule (truth table in tests/engine).
//
// Stamping kPending to a commit timestamp ts > read_ts never changes the
// verdict for a view that is not the writer's: both are above read_ts.
inline bool IsVisible(uint64_t begin, uint64_t end, ReadView view) {
  return (begin <= view.read_ts || (view.own_writes && begin == kPending)) &&
         !(end <= view.read_ts || (view.own_writes && end == kPending));
}

// Visible to every snapshot that reads at or after its commit, and to
// every future one: committed and not ended.
inline bool IsSettled(uint64_t begin, uint64_t end) {
  return begin != kPending && end == kInfinity;
}

struct Version {
  std::atomic<uint64_t> begin{kPending};
  std::atomic<uint64_t> end{kInfinity};

  uint64_t Begin() const { return begin.load(std::memory_order_relaxed); }
  uint64_t End() const { return end.load(std::memory_order_relaxed); }
  bool VisibleTo(ReadView view) const {
    return IsVisible(Begin(), End(), view);
  }
  bool Settled() const { return IsSettled(Begin(), End()); }
  // True when no version older than this one is visible to `view`: it
  // ended at or before the view's timestamp, so all older ones did too
  // (invariant 2).
  bool EndsBefore(ReadView view) const { return End() <= view.read_ts; }

  // The packed values, right after the header.
  char* body() { return reinterpret_cast<char*>(this + 1); }
  const char* body() const { return reinterpret_cast<const char*>(this + 1); }
};

static_assert(sizeof(Version) == 16, "the header is two timestamps");

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_VERSION_H_
