// The storage property: for any sequence of operations, every backend
// returns the results and errors the reference model predicts, holds the
// rows it holds, and keeps every open snapshot unchanged.
#include "property_tests/properties.h"

#include <atomic>

#include "property_tests/commands.h"

namespace viewer::property {
namespace {

// Sequences are uniform in 1..size+1 long and sizes sweep 0..100, so the
// mean would be about 26; scaling by 2.5 gives a mean above 60.
constexpr double kLengthScale = 2.5;

std::atomic<int64_t> cases{0};
std::atomic<int64_t> operations{0};

}  // namespace

bool CheckStorageProperty() {
  cases = 0;
  operations = 0;
  return rc::check(
      "every backend agrees with the reference model on every operation, "
      "table and snapshot",
      [] {
        const Model initial;
        const auto commands = *rc::gen::scale(
            kLengthScale, rc::state::gen::commands(initial, &GenCommand));
        StoreSet sut;
        rc::state::runAll(commands, initial, sut);
        sut.BeginStep("(final comparison)");
        sut.CheckAll();
        ++cases;
        operations += static_cast<int64_t>(commands.size());
      });
}

SequenceStats LastStorageRun() { return {cases.load(), operations.load()}; }

}  // namespace viewer::property
