// What the backends that talk to a database through connections (SQLite,
// PostgreSQL) share: a pool of those connections, and a write slot that
// queues the writers of one process.
//
//   BasicConnectionPool<Connection> pool("sqlite_backend", opener, clean,
//                                   /*keep_idle=*/4, /*max_open=*/0);
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
//                           pool.Acquire(absl::Seconds(5)));
//   ... use conn on this thread ...
//   pool.Release(std::move(conn));
//
// Thread safety: both classes may be used from any number of threads; their
// state is guarded by their own mutex. A connection taken out of the pool
// belongs to the caller alone until it is released.
//
// Invariants (BasicConnectionPool):
//   1. open_ counts idle connections plus those handed out plus those being
//      opened; it never exceeds max_open_ (when max_open_ > 0).
//   2. Every idle connection is one `clean` said may be kept: alive and
//      outside any transaction.
//   3. At most keep_idle_ connections are idle; extra ones are closed on
//      release.
#ifndef VIEWER_ENGINE_CONNECTION_POOL_H_
#define VIEWER_ENGINE_CONNECTION_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "engine/mutex.h"
#include "engine/store.h"

namespace viewer {

template <typename Connection>
class BasicConnectionPool {
 public:
  using Opener = std::function<absl::StatusOr<std::unique_ptr<Connection>>()>;
  // Called on a released connection, outside the pool's lock: ends a
  // transaction it is still inside (a safety net: transactions end their
  // own) and says whether the connection may be kept (invariant 2).
  using Cleaner = std::function<bool(Connection&)>;

  // `owner` names the backend in the message of a misuse that aborts.
  // `open` makes a new connection when none is idle. `max_open` == 0 means
  // no bound: a caller then never waits for another's connection.
  BasicConnectionPool(std::string owner, Opener open, Cleaner clean,
                 size_t keep_idle, size_t max_open)
      : owner_(std::move(owner)),
        open_connection_(std::move(open)),
        clean_(std::move(clean)),
        keep_idle_(keep_idle),
        max_open_(max_open) {}
  BasicConnectionPool(const BasicConnectionPool&) = delete;
  BasicConnectionPool& operator=(const BasicConnectionPool&) = delete;
  // Every connection must have been released; aborts otherwise (a
  // Transaction that outlived its Store would release into freed memory).
  ~BasicConnectionPool() {
    MutexLock lock(&mu_);
    if (open_ != idle_.size()) {
      std::fprintf(stderr,
                   "%s: store destroyed with %zu transaction(s) still alive\n",
                   owner_.c_str(), open_ - idle_.size());
      std::abort();
    }
  }

  // Adds an already open, clean connection (the one the store set its
  // schema up with) as idle.
  void Adopt(std::unique_ptr<Connection> conn) {
    MutexLock lock(&mu_);
    ++open_;
    idle_.push_back(std::move(conn));
  }

  // An idle connection, or a new one. When max_open connections are all out,
  // waits up to `timeout` for one, then fails with DatabaseLocked(); a
  // connection that cannot be made is the opener's error.
  absl::StatusOr<std::unique_ptr<Connection>> Acquire(absl::Duration timeout) {
    {
      // MutexLock (not std::unique_lock, which clang cannot see through)
      // holds mu_ here; the wait releases and retakes it. The predicate
      // runs with mu_ held, inside the wait, where the analysis cannot
      // follow.
      MutexLock lock(&mu_);
      if (!changed_.wait_for(mu_, absl::ToChronoNanoseconds(timeout),
                             [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
                               return CanTake();
                             })) {
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

  // Takes `conn` back, cleaned; one `clean` says not to keep is closed.
  void Release(std::unique_ptr<Connection> conn) {
    if (conn == nullptr) return;
    const bool keep = clean_(*conn);
    std::unique_ptr<Connection> doomed;
    {
      MutexLock lock(&mu_);
      if (!keep || idle_.size() >= keep_idle_) {
        doomed = std::move(conn);
        --open_;
      } else {
        idle_.push_back(std::move(conn));
      }
      changed_.notify_one();
    }
    // `doomed` closes here, outside the lock: closing may talk to a server
    // or checkpoint a log.
  }

 private:
  bool CanTake() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !idle_.empty() || max_open_ == 0 || open_ < max_open_;
  }

  const std::string owner_;
  const Opener open_connection_;
  const Cleaner clean_;
  const size_t keep_idle_;
  const size_t max_open_;

  Mutex mu_;
  std::condition_variable_any changed_;  // a connection came back
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  size_t open_ ABSL_GUARDED_BY(mu_) = 0;
};

// The single write slot of a store whose database also serializes
// writers (SQLite's lock, PostgreSQL's advisory lock): the writers of one
// process queue here first, so that the slot passes to the next as soon
// as the last one ends, and none waits inside the database (SQLite's busy
// handler polls with sleeps; a PostgreSQL writer would hold a connection
// blocked in the server). The database's lock still guards against other
// processes.
class QueuedWriteSlot {
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

}  // namespace viewer

#endif  // VIEWER_ENGINE_CONNECTION_POOL_H_
