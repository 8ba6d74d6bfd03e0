// RapidCheck commands of the storage property. Each is one operation,
// generated from the model, run on the reference model and on every
// backend (store_set.h) and compared.
#ifndef VIEWER_PROPERTY_TESTS_COMMANDS_H_
#define VIEWER_PROPERTY_TESTS_COMMANDS_H_

#include <exception>
#include <memory>
#include <ostream>
#include <string>

#include "property_tests/model.h"
#include "property_tests/store_set.h"
#include "rapidcheck.h"
#include "rapidcheck/state.h"

namespace viewer::property {

using Cmd = rc::state::Command<Model, StoreSet>;
using CmdPtr = std::shared_ptr<const Cmd>;

// A command that names itself the same way in failure messages and in
// RapidCheck's printed counterexample.
struct Step : Cmd {
  virtual std::string Describe() const = 0;
  virtual void Run(StoreSet& sut) const = 0;

  void show(std::ostream& os) const override { os << Describe(); }
  // An exception from a store or the harness (a value read as the wrong
  // kind, say) is a mismatch like any other: reported with the step and
  // the replay command. RapidCheck's own failures are not std::exceptions.
  void run(const Model&, StoreSet& sut) const override {
    sut.BeginStep(Describe());
    try {
      Run(sut);
    } catch (const std::exception& e) {
      sut.Fail("an exception escaped", e.what());
    }
    sut.EndStep();
  }
};

// One random command valid in `model`, weighted towards writes and reads.
rc::Gen<CmdPtr> GenCommand(const Model& model);

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_COMMANDS_H_
