#include "postgres_backend/internal/pool.h"

#include <utility>

namespace viewer::postgres_internal {
namespace {

// Rolls back a transaction the connection is still inside (normally the
// transaction ended it already); keeps it only when it is alive and idle.
bool Clean(Connection& conn) {
  if (!conn.Broken() && conn.TransactionStatus() != PQTRANS_IDLE) {
    (void)conn.Command("ROLLBACK");
  }
  return !conn.Broken() && conn.TransactionStatus() == PQTRANS_IDLE;
}

}  // namespace

ConnectionPool::ConnectionPool(Opener open, size_t keep_idle, size_t max_open)
    : BasicConnectionPool<Connection>("postgres_backend", std::move(open),
                                  Clean, keep_idle, max_open) {}

}  // namespace viewer::postgres_internal
