// property_tests: RapidCheck properties that hold every backend to the
// reference model of the storage contract (see properties.h).
//
//   property_tests --rc-max-success=500          how the owner runs it
//   property_tests --rc-seed=1234 --rc-max-success=500   replays a run
//
// RapidCheck itself reads only the RC_PARAMS environment variable; this
// main translates its flags into RC_PARAMS before the first check.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "property_tests/properties.h"
#include "property_tests/replay.h"

namespace {

constexpr char kUsage[] =
    "Usage: property_tests [--rc-max-success=N] [--rc-seed=S]\n"
    "                      [--rc-reproduce=STRING] "
    "[--only=storage|concurrency]\n"
    "                      [--backends=memory,sqlite,postgres] [--help]\n"
    "\n"
    "Drives the reference model of the storage contract and every backend\n"
    "(memory, SQLite, ...) with identical random operation sequences and\n"
    "compares every result and error with the model's (RapidCheck,\n"
    "rc::state); then runs concurrent transactions on each.\n"
    "\n"
    "  --rc-max-success=N   sequences to run per property (default 100)\n"
    "  --rc-seed=S          seed; a failing run prints the seed that replays "
    "it\n"
    "  --rc-reproduce=STR   replay exactly the failure RapidCheck printed\n"
    "  --only=NAME          run one property: storage or concurrency\n"
    "  --backends=LIST      the backends compared with the model, by name\n"
    "                       (default: all; e.g. memory,sqlite for a quick\n"
    "                       local run without a PostgreSQL cluster)\n"
    "  --help               this text\n";

struct Flags {
  int64_t max_success = 100;
  std::optional<uint64_t> seed;
  std::string reproduce;
  std::string only;
  std::string backends;  // as given; empty: all
};

// "memory,sqlite" -> those kinds, in kBackends order; false for an
// unknown or missing name.
bool ParseBackends(absl::string_view list,
                   std::vector<viewer::testing::BackendKind>* kinds) {
  std::vector<std::string> names = absl::StrSplit(list, ',');
  for (viewer::testing::BackendKind kind : viewer::testing::kBackends) {
    auto it = std::find(names.begin(), names.end(),
                        viewer::testing::BackendName(kind));
    if (it == names.end()) continue;
    kinds->push_back(kind);
    names.erase(it);
  }
  return names.empty() && !kinds->empty();
}

bool ParseFlags(int argc, char** argv, Flags* flags, std::string* error) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    auto value_of = [&](absl::string_view name, absl::string_view* value) {
      if (!absl::StartsWith(arg, name)) return false;
      *value = arg.substr(name.size());
      return true;
    };
    absl::string_view v;
    if (value_of("--rc-max-success=", &v)) {
      if (!absl::SimpleAtoi(v, &flags->max_success) || flags->max_success < 1) {
        *error = absl::StrCat("bad --rc-max-success: \"", v, "\"");
        return false;
      }
    } else if (value_of("--rc-seed=", &v)) {
      uint64_t seed;
      if (!absl::SimpleAtoi(v, &seed)) {
        *error = absl::StrCat("bad --rc-seed: \"", v, "\"");
        return false;
      }
      flags->seed = seed;
    } else if (value_of("--rc-reproduce=", &v)) {
      flags->reproduce = std::string(v);
    } else if (value_of("--only=", &v)) {
      if (v != "storage" && v != "concurrency") {
        *error = absl::StrCat("bad --only: \"", v, "\"");
        return false;
      }
      flags->only = std::string(v);
    } else if (value_of("--backends=", &v)) {
      std::vector<viewer::testing::BackendKind> kinds;
      if (!ParseBackends(v, &kinds)) {
        *error = absl::StrCat("bad --backends: \"", v, "\"");
        return false;
      }
      viewer::property::SelectBackends(std::move(kinds));
      flags->backends = std::string(v);
    } else {
      *error = absl::StrCat("unknown flag: ", arg);
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (absl::string_view(argv[i]) == "--help" ||
        absl::string_view(argv[i]) == "-h") {
      fputs(kUsage, stdout);
      return 0;
    }
  }
  Flags flags;
  std::string error;
  if (!ParseFlags(argc, argv, &flags, &error)) {
    fprintf(stderr, "property_tests: %s\n\n%s", error.c_str(), kUsage);
    return 2;
  }
  const uint64_t seed = flags.seed ? *flags.seed : std::random_device()();
  std::string params = absl::StrCat("max_success=", flags.max_success,
                                    " seed=", seed);
  if (!flags.reproduce.empty()) {
    absl::StrAppend(&params, " reproduce=", flags.reproduce);
  }
  if (const char* existing = getenv("RC_PARAMS")) {
    params = absl::StrCat(existing, " ", params);
  }
  setenv("RC_PARAMS", params.c_str(), 1);
  std::string replay = absl::StrCat("property_tests --rc-seed=", seed,
                                    " --rc-max-success=", flags.max_success);
  if (!flags.only.empty()) absl::StrAppend(&replay, " --only=", flags.only);
  if (!flags.backends.empty()) {
    absl::StrAppend(&replay, " --backends=", flags.backends);
  }
  if (!flags.reproduce.empty()) {
    absl::StrAppend(&replay, " --rc-reproduce=", flags.reproduce);
  }
  viewer::property::SetReplayCommand(replay);
  viewer::property::InstallCrashReport();
  std::vector<std::string> compared = {"reference"};
  for (viewer::testing::BackendKind kind :
       viewer::property::SelectedBackends()) {
    compared.push_back(viewer::testing::BackendName(kind));
  }
  printf(
      "property_tests: seed %llu, %lld sequences per property, "
      "comparing %s\n",
      static_cast<unsigned long long>(seed),
      static_cast<long long>(flags.max_success),
      absl::StrJoin(compared, ", ").c_str());
  fflush(stdout);

  auto start = std::chrono::steady_clock::now();
  bool ok = true;
  if (flags.only.empty() || flags.only == "storage") {
    ok = viewer::property::CheckStorageProperty() && ok;
    viewer::property::SequenceStats stats =
        viewer::property::LastStorageRun();
    if (stats.cases > 0) {
      printf("storage: %lld sequences, %.1f operations on average\n",
             static_cast<long long>(stats.cases),
             double(stats.operations) / double(stats.cases));
    }
  }
  if (ok && (flags.only.empty() || flags.only == "concurrency")) {
    ok = viewer::property::CheckConcurrencyProperty() && ok;
  }
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  printf("property_tests: %s in %.1f s\n", ok ? "passed" : "FAILED", seconds);
  if (!ok) printf("Replay this run with:\n  %s\n", replay.c_str());
  return ok ? 0 : 1;
}
