#include "postgres_backend/internal/pool.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "engine/store.h"

namespace viewer::postgres_internal {

ConnectionPool::ConnectionPool(Opener open, size_t keep_idle, size_t max_open)
    : open_connection_(std::move(open)),
      keep_idle_(keep_idle),
      max_open_(max_open) {}

ConnectionPool::~ConnectionPool() {
  MutexLock lock(&mu_);
  if (open_ != idle_.size()) {
    // A Transaction still holds a connection and would release it into
    // freed memory; fail loudly now rather than corrupt memory later.
    std::fprintf(stderr,
                 "postgres_backend: store destroyed with %zu transaction(s) "
                 "still alive\n",
                 open_ - idle_.size());
    std::abort();
  }
}

void ConnectionPool::Adopt(std::unique_ptr<Connection> conn) {
  MutexLock lock(&mu_);
  ++open_;
  idle_.push_back(std::move(conn));
}

absl::StatusOr<std::unique_ptr<Connection>> ConnectionPool::Acquire(
    absl::Duration timeout) {
  {
    // The wait unlocks and relocks mu_ itself, within the scope of the
    // (annotated) MutexLock.
    MutexLock lock(&mu_);
    if (!changed_.wait_for(
            mu_, absl::ToChronoNanoseconds(timeout),
            [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return CanTake(); })) {
      return DatabaseLocked();
    }
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_;  // reserve the place; the connection is made outside the lock
  }
  absl::StatusOr<std::unique_ptr<Connection>> conn = open_connection_();
  if (!conn.ok()) {
    MutexLock lock(&mu_);
    --open_;
    changed_.notify_one();
  }
  return conn;
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  if (conn == nullptr) return;
  if (!conn->Broken() && conn->TransactionStatus() != PQTRANS_IDLE) {
    // Normally the transaction ended it already; this is the safety net
    // that keeps invariant 2.
    (void)conn->Command("ROLLBACK");
  }
  std::unique_ptr<Connection> doomed;
  {
    MutexLock lock(&mu_);
    if (conn->Broken() || conn->TransactionStatus() != PQTRANS_IDLE ||
        idle_.size() >= keep_idle_) {
      doomed = std::move(conn);
      --open_;
    } else {
      idle_.push_back(std::move(conn));
    }
    changed_.notify_one();
  }
  // `doomed` closes here, outside the lock: closing talks to the server.
}

bool WriteSlot::Acquire(absl::Duration timeout) {
  MutexLock lock(&mu_);
  bool got = released_.wait_for(
      mu_, absl::ToChronoNanoseconds(timeout),
      [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return !taken_; });
  if (got) taken_ = true;
  return got;
}

void WriteSlot::Release() {
  MutexLock lock(&mu_);
  taken_ = false;
  released_.notify_one();
}

}  // namespace viewer::postgres_internal
