#include "sqlite_backend/internal/pool.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "engine/store.h"

namespace viewer::sqlite_internal {

ConnectionPool::ConnectionPool(Opener open, size_t keep_idle, size_t max_open)
    : open_connection_(std::move(open)),
      keep_idle_(keep_idle),
      max_open_(max_open) {}

ConnectionPool::~ConnectionPool() {
  absl::MutexLock lock(&mu_);
  if (open_ != idle_.size()) {
    // A Transaction still holds a connection and would release it into
    // freed memory; fail loudly now rather than corrupt memory later.
    std::fprintf(stderr,
                 "sqlite_backend: store destroyed with %zu transaction(s) "
                 "still alive\n",
                 open_ - idle_.size());
    std::abort();
  }
}

void ConnectionPool::Adopt(std::unique_ptr<Connection> conn) {
  absl::MutexLock lock(&mu_);
  ++open_;
  idle_.push_back(std::move(conn));
}

absl::StatusOr<std::unique_ptr<Connection>> ConnectionPool::Acquire(
    absl::Duration timeout) {
  {
    mu_.Lock();
    if (!mu_.AwaitWithTimeout(absl::Condition(this, &ConnectionPool::CanTake),
                              timeout)) {
      mu_.Unlock();
      return DatabaseLocked();
    }
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      mu_.Unlock();
      return conn;
    }
    ++open_;  // reserve the place; the file is opened outside the lock
    mu_.Unlock();
  }
  absl::StatusOr<std::unique_ptr<Connection>> conn = open_connection_();
  if (!conn.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return conn;
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  if (conn == nullptr) return;
  if (conn->InTransaction()) {
    // Normally the transaction ended it already; this is the safety net
    // that keeps invariant 2.
    (void)conn->Exec("ROLLBACK");
  }
  std::unique_ptr<Connection> doomed;
  {
    absl::MutexLock lock(&mu_);
    if (conn->InTransaction() || idle_.size() >= keep_idle_) {
      doomed = std::move(conn);
      --open_;
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  // `doomed` closes here, outside the lock: closing may checkpoint the WAL.
}

bool WriteSlot::Acquire(absl::Duration timeout) {
  mu_.Lock();
  bool got =
      mu_.AwaitWithTimeout(absl::Condition(
                               +[](bool* taken) { return !*taken; }, &taken_),
                           timeout);
  if (got) taken_ = true;
  mu_.Unlock();
  return got;
}

void WriteSlot::Release() {
  absl::MutexLock lock(&mu_);
  taken_ = false;
}

}  // namespace viewer::sqlite_internal
