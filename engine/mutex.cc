#include "engine/mutex.h"

#include <cstdio>
#include <cstdlib>

namespace viewer {
namespace {

void Check(int rc, const char* what) {
  if (rc != 0) {
    fprintf(stderr, "viewer::Mutex: %s failed (%d)\n", what, rc);
    abort();
  }
}

}  // namespace

Mutex::Mutex() {
  pthread_rwlockattr_t attr;
  Check(pthread_rwlockattr_init(&attr), "rwlockattr_init");
  Check(pthread_rwlockattr_setkind_np(
            &attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP),
        "rwlockattr_setkind_np");
  Check(pthread_rwlock_init(&rw_, &attr), "rwlock_init");
  pthread_rwlockattr_destroy(&attr);
}

Mutex::~Mutex() { pthread_rwlock_destroy(&rw_); }

void Mutex::Lock() { Check(pthread_rwlock_wrlock(&rw_), "wrlock"); }
void Mutex::Unlock() { Check(pthread_rwlock_unlock(&rw_), "unlock"); }
void Mutex::ReaderLock() { Check(pthread_rwlock_rdlock(&rw_), "rdlock"); }
void Mutex::ReaderUnlock() { Check(pthread_rwlock_unlock(&rw_), "unlock"); }

}  // namespace viewer
