// The properties `property_tests` checks. Each returns true when RapidCheck
// found no counterexample (it prints one, shrunk, when it does).
#ifndef VIEWER_PROPERTY_TESTS_PROPERTIES_H_
#define VIEWER_PROPERTY_TESTS_PROPERTIES_H_

#include <cstdint>
#include <vector>

#include "tests/storage/backend_kinds.h"

namespace viewer::property {

// The reference model and every backend driven by one random operation
// sequence; each backend's results and errors equal the model's.
bool CheckStorageProperty();

struct SequenceStats {
  int64_t cases = 0;       // sequences run to the end without a failure
  int64_t operations = 0;  // operations in those sequences
};
SequenceStats LastStorageRun();

// On the reference model and on each backend: writer threads run
// transactions on a bank whose every snapshot must agree with its own
// transfer log; reader threads check that in every snapshot they take,
// some of them taken while a writer is provably inside a transaction.
bool CheckConcurrencyProperty();

// The backends both properties drive beside the model: every one of
// kBackends (tests/storage/backend_kinds.h) unless narrowed, as main's
// --backends=memory,sqlite does for quick local runs.
void SelectBackends(std::vector<testing::BackendKind> kinds);
const std::vector<testing::BackendKind>& SelectedBackends();

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_PROPERTIES_H_
