// The request loops of http_bench, shared by its in-process cases
// (http_bench.cc) and its viewer-process cases (http_bench_processes.cc).
#ifndef VIEWER_TOOLS_BENCH_HTTP_BENCH_LOOPS_H_
#define VIEWER_TOOLS_BENCH_HTTP_BENCH_LOOPS_H_

#include <cstdint>
#include <functional>

#include "benchmark/benchmark.h"
#include "httplib.h"

namespace viewer::bench {

// GET /servers/bench.json once per iteration; counts req/s and bytes.
void GetLoop(benchmark::State& state, httplib::Client& client);

// POST /servers once per iteration, a new server named after `next()`;
// counts req/s.
void CreateLoop(benchmark::State& state, httplib::Client& client,
                const std::function<int64_t()>& next);

}  // namespace viewer::bench

#endif  // VIEWER_TOOLS_BENCH_HTTP_BENCH_LOOPS_H_
