// The properties `property_tests` checks. Each returns true when RapidCheck
// found no counterexample (it prints one, shrunk, when it does).
#ifndef VIEWER_PROPERTY_TESTS_PROPERTIES_H_
#define VIEWER_PROPERTY_TESTS_PROPERTIES_H_

#include <cstdint>

namespace viewer::property {

// Memory store and SQLite store driven by one random operation sequence.
bool CheckStorageProperty();

struct SequenceStats {
  int64_t cases = 0;       // sequences run to the end without a failure
  int64_t operations = 0;  // operations in those sequences
};
SequenceStats LastStorageRun();

// Several threads run read-write transactions on one memory store that
// keep an invariant; readers check it in every snapshot they take.
bool CheckConcurrencyProperty();

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_PROPERTIES_H_
