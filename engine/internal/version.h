// Row versions and the MVCC visibility rule of the in-memory engine.
//
// Every row is a chain of versions, newest first. A version carries the
// commit timestamp that created it (`begin`) and the one that ended it
// (`end`, by an update or a delete). Commit timestamps are a counter, not
// wall time. The single open writer marks what it creates or ends with
// kPending; Commit stamps those marks with the new commit timestamp,
// rollback removes them.
//
// Invariants of a chain (newest first):
//   1. at most one version has end == kInfinity, and it is the head;
//   2. along the chain, begin and end never increase (older is earlier);
//   3. kPending appears only while the writer that made it is open.
#ifndef VIEWER_ENGINE_INTERNAL_VERSION_H_
#define VIEWER_ENGINE_INTERNAL_VERSION_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "engine/value.h"

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
inline bool IsVisible(uint64_t begin, uint64_t end, ReadView view) {
  return (begin <= view.read_ts || (view.own_writes && begin == kPending)) &&
         !(end <= view.read_ts || (view.own_writes && end == kPending));
}

struct Version {
  Version() = default;
  Version(const Version&) = delete;
  Version& operator=(const Version&) = delete;
  // Frees the older versions iteratively: a chain can be long while an old
  // snapshot pins it, and recursive unique_ptr destruction would overflow
  // the stack.
  ~Version() {
    std::unique_ptr<Version> next = std::move(older);
    while (next) next = std::move(next->older);
  }

  uint64_t begin = kPending;
  uint64_t end = kInfinity;
  std::vector<Value> values;
  std::unique_ptr<Version> older;
  // Bytes this version is charged for (see MvccTable's accounting).
  int64_t charged_bytes = 0;
  // Bit c set: the blob in column c is the same object as in `older`, so it
  // is charged to `older`, not to this version.
  uint64_t shared_blobs = 0;

  bool VisibleTo(ReadView view) const { return IsVisible(begin, end, view); }
};

// The versions of one row id, newest first. Its address is stable for as
// long as the row has any version, so indexes may point at it.
struct Chain {
  std::unique_ptr<Version> head;

  // The newest version `view` sees, or nullptr.
  const Version* VisibleTo(ReadView view) const {
    for (const Version* v = head.get(); v != nullptr; v = v->older.get()) {
      if (v->VisibleTo(view)) return v;
    }
    return nullptr;
  }
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_VERSION_H_
