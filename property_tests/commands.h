// RapidCheck commands of the storage property. Each is one operation,
// generated from the model, run on both stores and compared.
#ifndef VIEWER_PROPERTY_TESTS_COMMANDS_H_
#define VIEWER_PROPERTY_TESTS_COMMANDS_H_

#include <memory>
#include <ostream>
#include <string>

#include "property_tests/model.h"
#include "property_tests/pair_store.h"
#include "rapidcheck.h"
#include "rapidcheck/state.h"

namespace viewer::property {

using Cmd = rc::state::Command<Model, PairStore>;
using CmdPtr = std::shared_ptr<const Cmd>;

// A command that names itself the same way in failure messages and in
// RapidCheck's printed counterexample.
struct Step : Cmd {
  virtual std::string Describe() const = 0;
  virtual void Run(PairStore& sut) const = 0;

  void show(std::ostream& os) const override { os << Describe(); }
  void run(const Model&, PairStore& sut) const override {
    sut.BeginStep(Describe());
    Run(sut);
    sut.EndStep();
  }
};

// One random command valid in `model`, weighted towards writes and reads.
rc::Gen<CmdPtr> GenCommand(const Model& model);

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_COMMANDS_H_
