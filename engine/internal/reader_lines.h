// Where a store's readers and its writer say what they are doing, laid
// out so that a reader thread writes one cache line of its own and reads
// one line the writer writes, whatever it does: open a snapshot, take a
// table latch, read, let go.
//
//   ReaderLines lines;
//   ReaderLines::Line& mine = lines.Mine();       // this thread's line
//   mine.snapshot.store(ts + 1);                  // SnapshotRegistry
//   mine.readers[table].fetch_add(1);             // Latch, shared
//   lines.writer().writing[table].load();         // Latch, the writer's flag
//   lines.writer().last_committed.load();         // SnapshotRegistry
//
// A reader's line holds its open snapshot and its count on each table
// latch; the writer's line holds the last commit timestamp, the count of
// old versions waiting for reclamation, and a flag per table latch it
// holds. So when the writer commits, a reader loses at most
// two lines: its own (which the writer read, for the horizon and for its
// latches) and the writer's (which the writer wrote). Threads choose a
// line by thread_slot.h; a line two threads share still works (its counts
// add up), it just moves between their cores.
//
// Up to kTables tables share one ReaderLines; a store with more has more.
//
// Thread safety: all members are atomics; the protocols using them are in
// latch.h and snapshot_registry.h.
#ifndef VIEWER_ENGINE_INTERNAL_READER_LINES_H_
#define VIEWER_ENGINE_INTERNAL_READER_LINES_H_

#include <array>
#include <atomic>
#include <cstdint>

#include "engine/internal/thread_slot.h"

namespace viewer::internal {

class ReaderLines {
 public:
  static constexpr size_t kLines = 32;
  static constexpr size_t kTables = 28;

  struct alignas(64) Line {
    // The thread's snapshot (SnapshotRegistry's slot values).
    std::atomic<uint64_t> snapshot{0};
    // Readers of this line holding table t's latch shared.
    std::array<std::atomic<uint16_t>, kTables> readers{};
  };
  struct alignas(64) WriterLine {
    std::atomic<uint64_t> last_committed{0};
    // Old versions waiting for reclamation (MemoryStore), which a reader
    // closing a snapshot reads.
    std::atomic<int64_t> garbage{0};
    // 1 while the writer holds table t's latch.
    std::array<std::atomic<uint8_t>, 48> writing{};
  };
  static_assert(sizeof(Line) == 64 && sizeof(WriterLine) == 64);
  static_assert(kTables <= 48);

  ReaderLines() = default;
  ReaderLines(const ReaderLines&) = delete;
  ReaderLines& operator=(const ReaderLines&) = delete;

  Line& Mine() { return lines_[ThreadSlot() % kLines]; }
  Line& line(size_t i) { return lines_[i]; }
  const Line& line(size_t i) const { return lines_[i]; }
  WriterLine& writer() { return writer_; }
  const WriterLine& writer() const { return writer_; }

 private:
  std::array<Line, kLines> lines_;
  WriterLine writer_;
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_READER_LINES_H_
