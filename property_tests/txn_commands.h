// Transaction, savepoint, snapshot and clock commands of the storage
// property.
#ifndef VIEWER_PROPERTY_TESTS_TXN_COMMANDS_H_
#define VIEWER_PROPERTY_TESTS_TXN_COMMANDS_H_

#include <utility>
#include <vector>

#include "property_tests/commands.h"

namespace viewer::property {

// The transaction-level commands valid in `model`, with their weights.
std::vector<std::pair<int, CmdPtr (*)(const Model&)>> TransactionCommands(
    const Model& model);

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_TXN_COMMANDS_H_
