// Repository-level commands of the storage property: the application's
// repositories (app/entities.h, cid_repository.h, interactions.h,
// invocations.h, page_views.h, exports.h) called on the memory store and
// the SQLite store with the same arguments, every result compared whole
// (errors by code and message). Names come from a small alphabet that
// includes invalid ones, and content repeats, so that duplicates, renames
// onto taken names and idempotent CID creation come up often.
#ifndef VIEWER_PROPERTY_TESTS_REPOSITORY_COMMANDS_H_
#define VIEWER_PROPERTY_TESTS_REPOSITORY_COMMANDS_H_

#include <utility>
#include <vector>

#include "property_tests/commands.h"

namespace viewer::property {

// The repository commands, with their weights (valid in any model: each
// runs in the open transaction, or in its own).
std::vector<std::pair<int, CmdPtr (*)(const Model&)>> RepositoryCommands(
    const Model& model);

// The part of them on interactions, invocations, page views and exports
// (repository_record_commands.cc); RepositoryCommands includes them.
std::vector<std::pair<int, CmdPtr (*)(const Model&)>> RecordRepositoryCommands(
    const Model& model);

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_REPOSITORY_COMMANDS_H_
