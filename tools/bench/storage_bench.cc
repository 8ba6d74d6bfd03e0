// Storage benchmarks: the same operations through the same contract on
// three stores, each holding 100,000 servers:
//   memory       the in-memory MVCC engine (what `viewer --in-memory-db` uses)
//   sqlite_file  the SQLite backend on a file in a temporary folder
//   sqlite_mem   the SQLite backend on ":memory:", a reference point only
//
//   build/tools/bench/storage_bench --benchmark_min_time=0.5
//
// The "BytesPerRow" case reports the bytes each store holds per row against
// the payload bytes of the row (counters `held_per_row`, `payload_per_row`).
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_format.h"
#include "app/schemas.h"
#include "benchmark/benchmark.h"
#include "engine/memory_store.h"
#include "sqlite_backend/sqlite_store.h"

namespace viewer {
namespace {

constexpr int kRows = 100'000;

enum Backend { kMemory = 0, kSqliteFile = 1, kSqliteMem = 2 };
const char* const kBackendNames[] = {"memory", "sqlite_file", "sqlite_mem"};

std::string ServerName(int i) { return absl::StrFormat("srv-%06d", i); }
std::string Definition(int i) {
  return absl::StrFormat("Hello from server %d: {{greeting}} at {{request.path}}", i);
}

struct Fixture {
  std::string dir;
  std::unique_ptr<Store> store;
  int64_t payload_bytes = 0;
};

std::unique_ptr<Store> OpenStore(Backend backend, const std::string& dir) {
  if (backend == kMemory) {
    MemoryOptions options;
    options.catalog = AppCatalog();
    auto store = MemoryStore::Open(std::move(options));
    if (!store.ok()) abort();
    return std::move(*store);
  }
  SqliteOptions options;
  options.catalog = AppCatalog();
  options.path = backend == kSqliteFile ? dir + "/bench.db" : ":memory:";
  auto store = SqliteStore::Open(std::move(options));
  if (!store.ok()) {
    fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    abort();
  }
  return std::move(*store);
}

void Check(const absl::Status& s) {
  if (!s.ok()) {
    fprintf(stderr, "benchmark setup failed: %s\n", s.ToString().c_str());
    abort();
  }
}

// One loaded store per backend, built on first use and kept for the run.
Fixture& Get(Backend backend) {
  static Fixture* fixtures[3] = {nullptr, nullptr, nullptr};
  if (fixtures[backend] != nullptr) return *fixtures[backend];
  auto* f = new Fixture;
  std::string pattern =
      (std::filesystem::temp_directory_path() / "viewer-bench-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) abort();
  f->dir = pattern;
  f->store = OpenStore(backend, f->dir);
  auto txn = f->store->Begin(TransactionMode::kReadWrite);
  Check(txn.status());
  for (int i = 0; i < kRows; ++i) {
    std::string name = ServerName(i);
    std::string def = Definition(i);
    std::string cid = absl::StrFormat("cid-%04d", i % 1000);
    f->payload_bytes += name.size() + def.size() + cid.size() + 8 * 3 + 1;
    Check((*txn)
              ->Insert(kServerTable, {{"name", Value::Text(std::move(name))},
                                      {"definition", Value::Text(std::move(def))},
                                      {"definition_cid", Value::Text(cid)}})
              .status());
  }
  Check((*txn)->Commit());
  fixtures[backend] = f;
  return *f;
}

std::unique_ptr<Transaction> Begin(Store& store, TransactionMode mode) {
  auto txn = store.Begin(mode);
  Check(txn.status());
  return std::move(*txn);
}

void BM_GetById(benchmark::State& state) {
  Store& store = *Get(Backend(state.range(0))).store;
  auto txn = Begin(store, TransactionMode::kReadOnly);
  int64_t i = 0;
  for (auto _ : state) {
    auto row = txn->Get(kServerTable, 1 + (i++ * 7919) % kRows);
    benchmark::DoNotOptimize(row);
  }
}

void BM_GetByUniqueName(benchmark::State& state) {
  Store& store = *Get(Backend(state.range(0))).store;
  auto txn = Begin(store, TransactionMode::kReadOnly);
  int64_t i = 0;
  for (auto _ : state) {
    Query q;
    q.where = {Filter::Eq("name", Value::Text(ServerName((i++ * 7919) % kRows)))};
    q.limit = 1;
    auto rows = txn->Select(kServerTable, q);
    if (!rows.ok() || rows->size() != 1) state.SkipWithError("lookup failed");
  }
}

void BM_InsertCommit(benchmark::State& state) {
  Store& store = *Get(Backend(state.range(0))).store;
  static std::atomic<int64_t> next{0};
  for (auto _ : state) {
    auto txn = Begin(store, TransactionMode::kReadWrite);
    std::string name = absl::StrFormat("new-%d-%d", state.range(0), next++);
    Check(txn->Insert(kServerTable, {{"name", Value::Text(name)},
                                     {"definition", Value::Text("x")}})
              .status());
    Check(txn->Commit());
  }
}

void BM_UpdateCommit(benchmark::State& state) {
  Store& store = *Get(Backend(state.range(0))).store;
  int64_t i = 0;
  for (auto _ : state) {
    auto txn = Begin(store, TransactionMode::kReadWrite);
    Check(txn->Update(kServerTable, 1 + (i * 7919) % kRows,
                      {{"definition", Value::Text(Definition(int(i)))}}));
    Check(txn->Commit());
    ++i;
  }
}

void BM_PrefixScan10(benchmark::State& state) {
  Store& store = *Get(Backend(state.range(0))).store;
  auto txn = Begin(store, TransactionMode::kReadOnly);
  int64_t i = 0;
  for (auto _ : state) {
    // "srv-01234" matches srv-012340 .. srv-012349.
    std::string prefix = ServerName(int((i++ * 7919) % kRows)).substr(0, 9);
    Query q;
    q.where = {Filter::Prefix("name", Value::Text(prefix))};
    q.order_by = {{"name"}};
    auto rows = txn->Select(kServerTable, q);
    if (!rows.ok() || rows->size() != 10) state.SkipWithError("prefix failed");
  }
}

void BM_CountWithFilter(benchmark::State& state) {
  Store& store = *Get(Backend(state.range(0))).store;
  auto txn = Begin(store, TransactionMode::kReadOnly);
  int64_t i = 0;
  for (auto _ : state) {
    // 100 rows share each definition_cid.
    auto n = txn->Count(kServerTable,
                        {Filter::Eq("definition_cid",
                                    Value::Text(absl::StrFormat(
                                        "cid-%04d", (i++ * 31) % 1000)))});
    if (!n.ok() || *n != 100) state.SkipWithError("count failed");
  }
}

// A read-only transaction per lookup; with range(1) == 1 another thread
// commits updates the whole time.
void BM_SnapshotLookup(benchmark::State& state) {
  Store& store = *Get(Backend(state.range(0))).store;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> commits{0};
  std::thread writer;
  if (state.range(1) == 1) {
    writer = std::thread([&] {
      int64_t i = 0;
      while (!stop) {
        auto txn = Begin(store, TransactionMode::kReadWrite);
        Check(txn->Update(kServerTable, 1 + (i++ * 104729) % kRows,
                          {{"enabled", Value::Boolean(i % 2 == 0)}}));
        Check(txn->Commit());
        ++commits;
      }
    });
  }
  int64_t i = 0;
  for (auto _ : state) {
    auto txn = Begin(store, TransactionMode::kReadOnly);
    auto row = txn->Get(kServerTable, 1 + (i++ * 7919) % kRows);
    if (!row.ok()) state.SkipWithError("lookup failed");
  }
  stop = true;
  if (writer.joinable()) writer.join();
  state.counters["writer_commits"] = double(commits);
}

void BM_BytesPerRow(benchmark::State& state) {
  Fixture& f = Get(Backend(state.range(0)));
  for (auto _ : state) {
    auto stats = f.store->Stats();
    benchmark::DoNotOptimize(stats);
  }
  auto stats = f.store->Stats();
  Check(stats.status());
  int64_t rows = 0;
  int64_t bytes = 0;
  for (const TableStats& t : stats->tables) {
    if (t.table == kServerTable) {
      rows = t.rows;
      bytes = t.bytes;
    }
  }
  state.counters["held_per_row"] = double(bytes) / double(rows);
  state.counters["payload_per_row"] = double(f.payload_bytes) / kRows;
}

void Backends(benchmark::internal::Benchmark* b) {
  for (int backend : {kMemory, kSqliteFile, kSqliteMem}) b->Arg(backend);
}

// First, while each store holds exactly the loaded rows.
BENCHMARK(BM_BytesPerRow)->Apply(Backends)->Iterations(1);
BENCHMARK(BM_GetById)->Apply(Backends);
BENCHMARK(BM_GetByUniqueName)->Apply(Backends);
BENCHMARK(BM_InsertCommit)->Apply(Backends);
BENCHMARK(BM_UpdateCommit)->Apply(Backends);
BENCHMARK(BM_PrefixScan10)->Apply(Backends);
BENCHMARK(BM_CountWithFilter)->Apply(Backends);
BENCHMARK(BM_SnapshotLookup)
    ->ArgsProduct({{kMemory, kSqliteFile, kSqliteMem}, {0, 1}})
    ->UseRealTime();

}  // namespace
}  // namespace viewer

BENCHMARK_MAIN();
