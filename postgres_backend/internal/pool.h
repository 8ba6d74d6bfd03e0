// The connections of one PostgresStore, and its in-process write slot: the
// pool and write slot of engine/connection_pool.h, keeping only the
// connections that are alive and outside any transaction.
//
//   ConnectionPool pool(opener, /*keep_idle=*/4, /*max_open=*/0);
//   VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
//                           pool.Acquire(absl::Seconds(5)));
//   ... use conn on this thread ...
//   pool.Release(std::move(conn));   // rolled back first if still inside
//
// Thread safety: as engine/connection_pool.h.
#ifndef VIEWER_POSTGRES_BACKEND_INTERNAL_POOL_H_
#define VIEWER_POSTGRES_BACKEND_INTERNAL_POOL_H_

#include <cstddef>

#include "engine/connection_pool.h"
#include "postgres_backend/internal/connection.h"

namespace viewer::postgres_internal {

class ConnectionPool : public BasicConnectionPool<Connection> {
 public:
  // `open` makes a new connection when none is idle; `max_open` == 0: no
  // bound.
  ConnectionPool(Opener open, size_t keep_idle, size_t max_open);
};

// Writers of one process queue here before taking the advisory lock.
class WriteSlot : public QueuedWriteSlot {};

}  // namespace viewer::postgres_internal

#endif  // VIEWER_POSTGRES_BACKEND_INTERNAL_POOL_H_
