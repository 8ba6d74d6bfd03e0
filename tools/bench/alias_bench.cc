// Benchmarks of alias matching (app/alias_rules.h): the worst a request can
// cost with what the limits let through, and a typical definition.
//
//   build/tools/bench/alias_bench
//
// WorstAllowed: rules whose RE2 programs are close to kMaxAliasProgramSize
// instructions, tried against a path of kMaxAliasRegexInput characters
// that none matches, as many as the per-request budget pays for (and more,
// which the budget passes over). Typical: a definition of literal, glob,
// flask and regex rules and a short path that meets the last one.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/alias_rules.h"
#include "benchmark/benchmark.h"

namespace viewer {
namespace {

std::vector<AliasRule> Parse(const std::string& definition) {
  absl::StatusOr<std::vector<AliasRule>> rules =
      ParseAliasDefinition(definition);
  if (!rules.ok()) std::abort();
  return *std::move(rules);
}

// `copies` rules of the costliest allowed kind, each a separate line.
void BM_WorstAllowed(benchmark::State& state) {
  std::string definition;
  for (int i = 0; i < state.range(0); ++i) {
    absl::StrAppend(&definition,
                    "[regex] /(.*.*.*.*.*.*.*.*.*.*){10}(a|b|c){1,30}x -> /ok",
                    i, "\n");
  }
  const std::vector<AliasRule> rules = Parse(definition);
  const std::string path = "/" + std::string(kMaxAliasRegexInput - 1, 'a');
  int skipped = 0;
  for (auto _ : state) {
    AliasMatchBudget budget;
    benchmark::DoNotOptimize(MatchAliasRules(rules, path, budget));
    skipped = budget.skipped();
  }
  state.counters["program"] = static_cast<double>(rules[0].cost);
  state.counters["skipped"] = skipped;
}
BENCHMARK(BM_WorstAllowed)->Arg(1)->Arg(3)->Arg(10)->Unit(benchmark::kMillisecond);

void BM_Typical(benchmark::State& state) {
  const std::vector<AliasRule> rules = Parse(
      "docs -> /d\n"
      "api -> /servers/api\n"
      "  v1 -> /servers/api_v1\n"
      "/old/** -> /new/** [glob]\n"
      "/post/<int:id> -> /p/<id> [flask]\n"
      "^/u/([a-z]+)/(\\d+)$ -> /users/$1?id=$2 [regex, ignore-case]\n");
  for (auto _ : state) {
    benchmark::DoNotOptimize(MatchAliasRules(rules, "/u/ada/42"));
  }
}
BENCHMARK(BM_Typical);

}  // namespace
}  // namespace viewer

BENCHMARK_MAIN();
