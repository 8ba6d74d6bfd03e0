// Commands of the storage property that use more than one thread: second
// writers and readers running while a writer ends (writer_commands.cc).
#ifndef VIEWER_PROPERTY_TESTS_WRITER_COMMANDS_H_
#define VIEWER_PROPERTY_TESTS_WRITER_COMMANDS_H_

#include <utility>
#include <vector>

#include "property_tests/commands.h"

namespace viewer::property {

// The commands valid in `model`, with their weights.
std::vector<std::pair<int, CmdPtr (*)(const Model&)>> WriterCommands(
    const Model& model);

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_WRITER_COMMANDS_H_
