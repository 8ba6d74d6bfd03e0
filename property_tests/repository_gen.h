// Generators shared by the repository commands of the storage property
// (repository_commands.cc, repository_record_commands.cc). Call them only
// inside a RapidCheck generation context (a command's constructor).
#ifndef VIEWER_PROPERTY_TESTS_REPOSITORY_GEN_H_
#define VIEWER_PROPERTY_TESTS_REPOSITORY_GEN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "app/entities.h"
#include "engine/value.h"
#include "property_tests/commands.h"
#include "rapidcheck.h"

namespace viewer::property {

template <typename T>
T Pick(const std::vector<T>& options) {
  return *rc::gen::elementOf(options);
}

// Entity names: mostly valid and colliding ("a", "b", "c", "A", "a.b"), one
// time in five invalid (each kind of bad name the validation knows).
std::string GenName();
// A definition, sometimes empty or long, sometimes missing.
std::optional<std::string> GenDefinition();
std::optional<bool> GenEnabled();
// Servers half the time, so that writes meet the rows they name.
EntityKind GenKind();
// Content for CIDs: small, repeating, literal and hashed.
std::string GenContent();
// A CID to look up: of generated content, never stored, or malformed.
std::string GenCid();
// A prefix for FindByPrefix, with '_', '%' and mixed case.
std::string GenPrefix();
// A limit, sometimes 0 or negative.
int64_t GenLimit();
// A time bound around the clocks' start, or none.
std::optional<Timestamp> GenBound();
std::string ShowBound(const std::optional<Timestamp>& t);

// Raises the model's id bound of `table` by one (a write may add a row).
void Bump(Model& m, absl::string_view table);

template <typename T>
CmdPtr Make(const Model& m) {
  return std::make_shared<T>(m);
}

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_REPOSITORY_GEN_H_
