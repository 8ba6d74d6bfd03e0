// The RapidCheck model of the storage property: a plain description of
// what the operation sequence has built so far, enough to generate valid
// and deliberately colliding operations and to shrink. It predicts no
// results: the reference model (reference_store.h) does, and every backend
// is compared with it.
#ifndef VIEWER_PROPERTY_TESTS_MODEL_H_
#define VIEWER_PROPERTY_TESTS_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "app/schemas.h"

namespace viewer::property {

// The application's tables, as many as its catalog holds.
inline size_t TableCount() { return AppCatalog().tables().size(); }

struct Model {
  // An upper bound of the ids each table has handed out: ids are drawn
  // from 1..max_id+2, so that some exist and some do not.
  std::vector<int64_t> max_id = std::vector<int64_t>(TableCount(), 0);
  // A read-write transaction is open on every store.
  bool in_transaction = false;
  // Names of its open savepoints, oldest first.
  std::vector<std::string> savepoints;
  // Open read-only snapshots (by position).
  int snapshots = 0;
  // A second writer has been made to wait past its busy timeout in this
  // sequence (each such step costs the timeout, so one per sequence).
  bool timed_out_writer = false;
};

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_MODEL_H_
