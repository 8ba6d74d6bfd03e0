// The connections of one PostgresStore, and its in-process write slot.
//
//   ConnectionPool pool(opener, /*keep_idle=*/4, /*max_open=*/0);
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
//                           pool.Acquire(absl::Seconds(5)));
//   ... use conn on this thread ...
//   pool.Release(std::move(conn));
//
// Thread safety: both classes may be used from any number of threads; their
// state is guarded by their own mutex. A Connection taken out of the pool
// belongs to the caller alone until it is released.
//
// Invariants (ConnectionPool):
//   1. open_ counts idle connections plus those handed out plus those being
//      opened; it never exceeds max_open_ (when max_open_ > 0).
//   2. Every idle connection is alive and outside any transaction.
//   3. At most keep_idle_ connections are idle; extra ones are closed on
//      release.
#ifndef VIEWER_POSTGRES_BACKEND_INTERNAL_POOL_H_
#define VIEWER_POSTGRES_BACKEND_INTERNAL_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/mutex.h"
#include "postgres_backend/internal/connection.h"

namespace viewer::postgres_internal {

class ConnectionPool {
 public:
  using Opener = std::function<absl::StatusOr<std::unique_ptr<Connection>>()>;

  // `open` makes a new connection when none is idle. `max_open` == 0 means
  // no bound: a caller then never waits for another's connection.
  ConnectionPool(Opener open, size_t keep_idle, size_t max_open);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  // Every connection must have been released; aborts otherwise (a
  // Transaction that outlived its Store).
  ~ConnectionPool();

  // Adds an already open, idle connection (the one Open set up the schema
  // with).
  void Adopt(std::unique_ptr<Connection> conn);
  // An idle connection, or a new one. When max_open connections are all out,
  // waits up to `timeout` for one, then fails with DatabaseLocked(); a
  // connection that cannot be made is the opener's error.
  absl::StatusOr<std::unique_ptr<Connection>> Acquire(absl::Duration timeout);
  // Takes `conn` back. A connection still inside a transaction is rolled
  // back first; one that is lost, or still inside a transaction after
  // that, is closed instead of kept.
  void Release(std::unique_ptr<Connection> conn);

 private:
  bool CanTake() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !idle_.empty() || max_open_ == 0 || open_ < max_open_;
  }

  const Opener open_connection_;
  const size_t keep_idle_;
  const size_t max_open_;

  Mutex mu_;
  std::condition_variable_any changed_;  // a connection came back
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  size_t open_ ABSL_GUARDED_BY(mu_) = 0;
};

// The single write slot of a store. The advisory lock already serializes
// writers, but writers of one process queue here first, so that they wait
// on a condition variable rather than each holding a connection blocked in
// the server.
class WriteSlot {
 public:
  // Takes the slot, waiting up to `timeout`; false if it stayed taken.
  bool Acquire(absl::Duration timeout);
  // Gives the slot back; only its holder may call this.
  void Release();

 private:
  Mutex mu_;
  std::condition_variable_any released_;
  bool taken_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace viewer::postgres_internal

#endif  // VIEWER_POSTGRES_BACKEND_INTERNAL_POOL_H_
