// The RapidCheck model: a plain description of what the operation sequence
// has built so far, enough to generate valid and deliberately colliding
// operations and to shrink. It does not predict results: every result is
// checked by comparing the memory store with the SQLite store.
#ifndef VIEWER_PROPERTY_TESTS_MODEL_H_
#define VIEWER_PROPERTY_TESTS_MODEL_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace viewer::property {

inline constexpr size_t kTables = 9;

struct Model {
  // An upper bound of the ids each table has handed out: ids are drawn
  // from 1..max_id+2, so that some exist and some do not.
  std::array<int64_t, kTables> max_id{};
  // A read-write transaction is open on both stores.
  bool in_transaction = false;
  // Names of its open savepoints, oldest first.
  std::vector<std::string> savepoints;
  // Open read-only snapshots (by position).
  int snapshots = 0;
};

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_MODEL_H_
