// A table latch: a reader-writer lock for holds of a few microseconds (one
// statement's reads, one version written, one row's old versions freed),
// in which a reader writes only a cache line of its own.
//
//   Latch latch_(&reader_lines, /*index=*/table);
//   { ReaderLatchLock lock(&latch_); ...read... }
//   { WriterLatchLock lock(&latch_); ...mutate... }
//
// A reader counts itself on its thread's line of a ReaderLines
// (reader_lines.h), the line that also holds its snapshot; the writer
// raises the table's flag on the writer's line and waits for every
// count to drain. So readers on different cores never write a line
// another reader or the writer writes: a reader's line moves only when
// the writer reads it. The handshake (a reader counts itself, then reads
// the flag; the writer raises the flag, then reads the counts; all
// seq_cst) means either the writer sees the reader or the reader sees the
// flag and backs off.
//
// Why not a pthread rwlock (viewer::Mutex): its one shared counter moves
// between cores on every lock, and a contended rwlock puts the reader to
// sleep in a futex at once, which costs far more than the writer's hold.
// Writers are preferred: the flag stops new readers, so a stream of
// readers cannot starve a writer. Built on std::atomic, which the thread
// sanitizer understands.
//
// Thread safety: that is what it is for. Not recursive.
#ifndef VIEWER_ENGINE_INTERNAL_LATCH_H_
#define VIEWER_ENGINE_INTERNAL_LATCH_H_

#include <atomic>
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "engine/internal/reader_lines.h"

namespace viewer::internal {

class ABSL_LOCKABLE Latch {
 public:
  // The latch of table `index` (< ReaderLines::kTables) of `lines`, which
  // must outlive it.
  Latch(ReaderLines* lines, size_t index) : lines_(lines), index_(index) {}
  Latch(const Latch&) = delete;
  Latch& operator=(const Latch&) = delete;

  void ReaderLock() ABSL_SHARED_LOCK_FUNCTION() {
    std::atomic<uint16_t>& mine = lines_->Mine().readers[index_];
    for (int spins = 0;; ++spins) {
      mine.fetch_add(1, std::memory_order_seq_cst);
      if (flag().load(std::memory_order_seq_cst) == 0) return;
      mine.fetch_sub(1, std::memory_order_release);
      while (flag().load(std::memory_order_relaxed) != 0) Backoff(spins++);
    }
  }
  void ReaderUnlock() ABSL_UNLOCK_FUNCTION() {
    lines_->Mine().readers[index_].fetch_sub(1, std::memory_order_release);
  }
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    for (int spins = 0;; ++spins) {
      uint8_t free = 0;
      if (flag().compare_exchange_weak(free, 1, std::memory_order_seq_cst)) {
        break;
      }
      Backoff(spins);
    }
    for (size_t i = 0; i < ReaderLines::kLines; ++i) {
      const std::atomic<uint16_t>& n = lines_->line(i).readers[index_];
      for (int spins = 0; n.load(std::memory_order_seq_cst) != 0; ++spins) {
        Backoff(spins);
      }
    }
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    flag().store(0, std::memory_order_release);
  }

  // For the holder of the store's write slot, the only thread that ever
  // takes this latch exclusively: it may read what the latch guards
  // without taking it, since readers never change anything.
  void AssertWriterMayRead() const ABSL_ASSERT_SHARED_LOCK() {}

 private:
  // Spin briefly, then yield the CPU, then sleep a little: the holder may
  // have been descheduled.
  static void Backoff(int spins);
  std::atomic<uint8_t>& flag() { return lines_->writer().writing[index_]; }

  ReaderLines* const lines_;
  const size_t index_;
};

class ABSL_SCOPED_LOCKABLE ReaderLatchLock {
 public:
  explicit ReaderLatchLock(Latch* latch) ABSL_SHARED_LOCK_FUNCTION(latch)
      : latch_(latch) {
    latch_->ReaderLock();
  }
  ~ReaderLatchLock() ABSL_UNLOCK_FUNCTION() { latch_->ReaderUnlock(); }
  ReaderLatchLock(const ReaderLatchLock&) = delete;
  ReaderLatchLock& operator=(const ReaderLatchLock&) = delete;

 private:
  Latch* const latch_;
};

class ABSL_SCOPED_LOCKABLE WriterLatchLock {
 public:
  explicit WriterLatchLock(Latch* latch) ABSL_EXCLUSIVE_LOCK_FUNCTION(latch)
      : latch_(latch) {
    latch_->Lock();
  }
  ~WriterLatchLock() ABSL_UNLOCK_FUNCTION() { latch_->Unlock(); }
  WriterLatchLock(const WriterLatchLock&) = delete;
  WriterLatchLock& operator=(const WriterLatchLock&) = delete;

 private:
  Latch* const latch_;
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_LATCH_H_
