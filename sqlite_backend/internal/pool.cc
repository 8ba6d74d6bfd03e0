#include "sqlite_backend/internal/pool.h"

#include <utility>

namespace viewer::sqlite_internal {
namespace {

// Rolls back a transaction the connection is still inside (normally the
// transaction ended it already); keeps it only when that ended it. (For
// ":memory:", whose database lives in its one connection, closing it would
// lose the database; a ROLLBACK that fails is not expected there, which
// has no files.)
bool Clean(Connection& conn) {
  if (conn.InTransaction()) (void)conn.Exec("ROLLBACK");
  return !conn.InTransaction();
}

}  // namespace

ConnectionPool::ConnectionPool(Opener open, size_t keep_idle, size_t max_open)
    : BasicConnectionPool<Connection>("sqlite_backend", std::move(open),
                                  Clean, keep_idle, max_open) {}

}  // namespace viewer::sqlite_internal
