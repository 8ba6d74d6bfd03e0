// Dump and load benchmarks (docs/benchmarks.md, "Dump and load": the dump time
// for a store of 100,000 rows). The store is a memory store of 100,000 rows
// spread over the tables as a busy session fills them:
//   page_view 50,000   entity_interactions 30,000   cid 5,000 (1 KB each)
//   server, alias, variable, secret 2,500 each    server_invocation 5,000
//
//   build/tools/bench/dump_bench --benchmark_min_time=2
//
// BM_DumpToSqliteFile is DumpToSqliteFile into a fresh file (temporary
// file, copy, sync, rename, directory sync); BM_LoadIntoMemory loads that
// file back (its bytes as an in-memory image, then SQLite -> memory);
// BM_CopyStore* are the copies alone, without files.
#include <stdio.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/schemas.h"
#include "app/store_copy.h"
#include "app/store_files.h"
#include "benchmark/benchmark.h"
#include "engine/memory_store.h"
#include "sqlite_backend/sqlite_store.h"
#include "tests/busy_session.h"

namespace viewer {
namespace {

constexpr int kRows = 100'000;

void Check(const absl::Status& s, const char* what) {
  if (!s.ok()) {
    fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    abort();
  }
}

std::unique_ptr<Store> NewMemory() {
  MemoryOptions options;
  options.catalog = AppCatalog();
  auto store = MemoryStore::Open(std::move(options));
  Check(store.status(), "memory store");
  return std::move(*store);
}

// The 100,000-row store, built once.
Store& Source() {
  static Store* store = [] {
    std::unique_ptr<Store> s = NewMemory();
    auto txn = s->Begin(TransactionMode::kReadWrite);
    Check(txn.status(), "begin");
    Check(FillBusySession(**txn, kRows), "fill");
    Check((*txn)->Commit(), "commit");
    return s.release();
  }();
  return *store;
}

std::string TempDirectory() {
  std::string dir =
      (std::filesystem::temp_directory_path() / "viewer-dump-bench-XXXXXX")
          .string();
  if (mkdtemp(dir.data()) == nullptr) abort();
  return dir;
}

void BM_DumpToSqliteFile(benchmark::State& state) {
  Store& source = Source();
  const std::string dir = TempDirectory();
  for (auto _ : state) {
    Check(DumpToSqliteFile(source, dir + "/dump.db"), "dump");
  }
  state.counters["rows"] = kRows;
  state.counters["rows_per_s"] =
      benchmark::Counter(kRows, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_MB"] =
      std::filesystem::file_size(dir + "/dump.db") / 1e6;
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DumpToSqliteFile)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LoadIntoMemory(benchmark::State& state) {
  const std::string dir = TempDirectory();
  Check(DumpToSqliteFile(Source(), dir + "/dump.db"), "dump");
  for (auto _ : state) {
    MemoryOptions options;
    auto loaded = LoadIntoMemory(dir + "/dump.db", std::move(options));
    Check(loaded.status(), "load");
  }
  state.counters["rows_per_s"] =
      benchmark::Counter(kRows, benchmark::Counter::kIsIterationInvariantRate);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_LoadIntoMemory)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CopyStoreMemoryToMemory(benchmark::State& state) {
  Store& source = Source();
  for (auto _ : state) {
    std::unique_ptr<Store> to = NewMemory();
    Check(CopyStore(source, *to), "copy");
    state.PauseTiming();
    to.reset();
    state.ResumeTiming();
  }
  state.counters["rows_per_s"] =
      benchmark::Counter(kRows, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_CopyStoreMemoryToMemory)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace viewer

BENCHMARK_MAIN();
