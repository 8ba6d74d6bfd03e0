#include "tools/bench/http_bench_loops.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace viewer::bench {

void GetLoop(benchmark::State& state, httplib::Client& client) {
  int64_t bytes = 0;
  for (auto _ : state) {
    httplib::Result r = client.Get("/servers/bench.json");
    if (!r || r->status != 200) {
      state.SkipWithError("GET /servers/bench.json failed");
      break;
    }
    bytes += static_cast<int64_t>(r->body.size());
  }
  state.counters["req/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(bytes);
}

void CreateLoop(benchmark::State& state, httplib::Client& client,
                const std::function<int64_t()>& next) {
  for (auto _ : state) {
    const int64_t n = next();
    const std::string body =
        nlohmann::json{{"name", absl::StrCat("srv-", n)},
                       {"definition",
                        absl::StrCat("server ", n, " says {{request.path}}")}}
            .dump();
    httplib::Result r = client.Post("/servers", body, "application/json");
    if (!r || r->status != 201) {
      state.SkipWithError("POST /servers failed");
      break;
    }
  }
  state.counters["req/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace viewer::bench
