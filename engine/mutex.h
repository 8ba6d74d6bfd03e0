// The project's lock: a reader-writer mutex with abseil's thread-safety
// annotations, so that clang's -Wthread-safety checks ABSL_GUARDED_BY.
//
//   Mutex mu_;
//   int value_ ABSL_GUARDED_BY(mu_);
//   { MutexLock lock(&mu_); ++value_; }
//   { ReaderMutexLock lock(&mu_); Use(value_); }
//
// Why not absl::Mutex: Debian's abseil is a prebuilt library without the
// thread sanitizer's instrumentation, so the sanitizer cannot see the
// ordering absl::Mutex provides and reports races that are not there. This
// class is a pthread rwlock, which the sanitizer understands. Writers are
// preferred, so a stream of readers cannot starve a writer.
//
// Thread safety: that is what it is for. Not recursive.
#ifndef VIEWER_ENGINE_MUTEX_H_
#define VIEWER_ENGINE_MUTEX_H_

#include <pthread.h>

#include "absl/base/thread_annotations.h"

namespace viewer {

class ABSL_LOCKABLE Mutex {
 public:
  Mutex();
  ~Mutex();
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION();
  void Unlock() ABSL_UNLOCK_FUNCTION();
  void ReaderLock() ABSL_SHARED_LOCK_FUNCTION();
  void ReaderUnlock() ABSL_UNLOCK_FUNCTION();

  // BasicLockable, for std::condition_variable_any.
  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { Lock(); }
  void unlock() ABSL_UNLOCK_FUNCTION() { Unlock(); }

 private:
  pthread_rwlock_t rw_;
};

class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) {
    mu_->Lock();
  }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

class ABSL_SCOPED_LOCKABLE ReaderMutexLock {
 public:
  explicit ReaderMutexLock(Mutex* mu) ABSL_SHARED_LOCK_FUNCTION(mu)
      : mu_(mu) {
    mu_->ReaderLock();
  }
  ~ReaderMutexLock() ABSL_UNLOCK_FUNCTION() { mu_->ReaderUnlock(); }
  ReaderMutexLock(const ReaderMutexLock&) = delete;
  ReaderMutexLock& operator=(const ReaderMutexLock&) = delete;

 private:
  Mutex* const mu_;
};

}  // namespace viewer

#endif  // VIEWER_ENGINE_MUTEX_H_
