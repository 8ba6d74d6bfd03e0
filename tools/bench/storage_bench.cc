// Storage benchmarks: the same operations on five stores, each holding
// 100,000 servers:
//   0 memory       the in-memory MVCC engine (what `viewer --in-memory-db`
//                  uses), through the storage contract
//   1 sqlite_file  the SQLite backend on a file in a temporary folder
//   2 sqlite_mem   the SQLite backend on ":memory:", a reference point only
//   3 raw_sqlite   SQLite itself on ":memory:" with hand-written prepared
//                  statements, no contract (raw_sqlite.h)
//   4 postgres     the PostgreSQL backend on a throwaway cluster that this
//                  program starts on first use and removes when it exits
//                  (tools/pg_cluster/pg_cluster.h): a local server reached
//                  over a Unix socket, not syncing to disk
//
//   build/tools/bench/storage_bench --benchmark_min_time=1
//
// The PostgreSQL cases report wall time ("real_time" in their names): the
// work is done by the server's processes, which this process's CPU time
// does not count. The others report this process's CPU time.
//
// "BytesPerRow" reports the bytes each store holds per row against the
// payload bytes of the row (counters `held_per_row`, `payload_per_row`).
// "BusySession" fills a store of each kind with the busy-session mix
// (tests/busy_session.h) in a child process of its own and reports the
// bytes the store says it holds, and how much the child's heap and
// resident memory grew. It has no PostgreSQL case: those figures are of
// one process, and PostgreSQL's rows live in the server's processes
// (BytesPerRow does report PostgreSQL's table and index bytes).
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "app/schemas.h"
#include "benchmark/benchmark.h"
#include "engine/memory_store.h"
#include "postgres_backend/postgres_store.h"
#include "sqlite_backend/sqlite_store.h"
#include "tools/bench/raw_sqlite.h"
#include "tools/pg_cluster/pg_cluster.h"
#ifdef VIEWER_BUSY_SESSION
#include "tools/bench/bench_memory.h"
#endif

namespace viewer {
namespace {

constexpr int kRows = 100'000;

enum Backend {
  kMemory = 0,
  kSqliteFile = 1,
  kSqliteMem = 2,
  kRawSqlite = 3,
  kPostgres = 4
};

std::string ServerName(int i) { return absl::StrFormat("srv-%06d", i); }
std::string Definition(int i) {
  return absl::StrFormat("Hello from server %d: {{greeting}} at {{request.path}}", i);
}
std::string DefinitionCid(int i) {
  return absl::StrFormat("cid-%04d", i % 1000);
}
int64_t PayloadBytes(int i) {
  return ServerName(i).size() + Definition(i).size() +
         DefinitionCid(i).size() + 8 * 3 + 1;
}

void Check(const absl::Status& s) {
  if (!s.ok()) {
    fprintf(stderr, "benchmark setup failed: %s\n", s.ToString().c_str());
    abort();
  }
}

// A fresh schema in this program's own PostgreSQL cluster (never a test
// run's cluster named by VIEWER_TEST_PG_DIR), kept for the whole run.
std::unique_ptr<Store> OpenPostgres() {
  unsetenv("VIEWER_TEST_PG_DIR");
  absl::StatusOr<PgCluster*> cluster = PgCluster::Get();
  Check(cluster.status());
  absl::StatusOr<std::unique_ptr<PgSchema>> schema =
      PgSchema::Create(**cluster);
  Check(schema.status());
  PostgresOptions options;
  options.url = (*schema)->url();
  options.catalog = AppCatalog();
  // Kept to the end: the cluster, schema and all, goes when the program
  // exits.
  static auto* const kept = new std::vector<std::unique_ptr<PgSchema>>;
  kept->push_back(std::move(*schema));
  auto store = PostgresStore::Open(std::move(options));
  Check(store.status());
  return std::move(*store);
}

std::unique_ptr<Store> OpenStore(Backend backend, const std::string& dir) {
  if (backend == kPostgres) return OpenPostgres();
  if (backend == kMemory) {
    MemoryOptions options;
    options.catalog = AppCatalog();
    auto store = MemoryStore::Open(std::move(options));
    Check(store.status());
    return std::move(*store);
  }
  SqliteOptions options;
  options.catalog = AppCatalog();
  options.path = backend == kSqliteFile ? dir + "/bench.db" : ":memory:";
  auto store = SqliteStore::Open(std::move(options));
  Check(store.status());
  return std::move(*store);
}

struct Fixture {
  std::unique_ptr<Store> store;           // backends 0-2 and 4
  std::unique_ptr<bench::RawSqlite> raw;  // backend 3
  int64_t payload_bytes = 0;
};

// One loaded store per backend, built on first use and kept for the run.
Fixture& Get(Backend backend) {
  static Fixture* fixtures[5] = {};
  if (fixtures[backend] != nullptr) return *fixtures[backend];
  auto* f = new Fixture;
  for (int i = 0; i < kRows; ++i) f->payload_bytes += PayloadBytes(i);
  if (backend == kRawSqlite) {
    f->raw = std::make_unique<bench::RawSqlite>();
    f->raw->Begin();
    for (int i = 0; i < kRows; ++i) {
      f->raw->Insert(ServerName(i), Definition(i), DefinitionCid(i));
    }
    f->raw->Commit();
    fixtures[backend] = f;
    return *f;
  }
  std::string dir =
      (std::filesystem::temp_directory_path() / "viewer-bench-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) abort();
  f->store = OpenStore(backend, dir);
  auto txn = f->store->Begin(TransactionMode::kReadWrite);
  Check(txn.status());
  for (int i = 0; i < kRows; ++i) {
    Check((*txn)
              ->Insert(kServerTable,
                       {{"name", Value::Text(ServerName(i))},
                        {"definition", Value::Text(Definition(i))},
                        {"definition_cid", Value::Text(DefinitionCid(i))}})
              .status());
  }
  Check((*txn)->Commit());
  fixtures[backend] = f;
  return *f;
}

Backend BackendOf(const benchmark::State& state) {
  return Backend(state.range(0));
}

std::unique_ptr<Transaction> Begin(Store& store, TransactionMode mode) {
  auto txn = store.Begin(mode);
  Check(txn.status());
  return std::move(*txn);
}

// The row ids and names the lookups visit: all over the table.
int64_t SomeId(int64_t i) { return 1 + (i * 7919) % kRows; }

void BM_GetById(benchmark::State& state) {
  Fixture& f = Get(BackendOf(state));
  int64_t i = 0;
  if (f.raw) {
    f.raw->BeginRead();
    for (auto _ : state) {
      if (f.raw->GetById(SomeId(i++)) != 1) state.SkipWithError("lookup");
    }
    f.raw->Commit();
    return;
  }
  auto txn = Begin(*f.store, TransactionMode::kReadOnly);
  for (auto _ : state) {
    auto row = txn->Get(kServerTable, SomeId(i++));
    if (!row.ok()) state.SkipWithError("lookup failed");
  }
}

void BM_GetByUniqueName(benchmark::State& state) {
  Fixture& f = Get(BackendOf(state));
  int64_t i = 0;
  if (f.raw) {
    f.raw->BeginRead();
    for (auto _ : state) {
      const std::string name = ServerName((i++ * 7919) % kRows);
      if (f.raw->GetByName(name) != 1) state.SkipWithError("lookup failed");
    }
    f.raw->Commit();
    return;
  }
  auto txn = Begin(*f.store, TransactionMode::kReadOnly);
  for (auto _ : state) {
    Query q;
    q.where = {Filter::Eq("name", Value::Text(ServerName((i++ * 7919) % kRows)))};
    q.limit = 1;
    auto rows = txn->Select(kServerTable, q);
    if (!rows.ok() || rows->size() != 1) state.SkipWithError("lookup failed");
  }
}

void BM_InsertCommit(benchmark::State& state) {
  Fixture& f = Get(BackendOf(state));
  static std::atomic<int64_t> next{0};
  for (auto _ : state) {
    std::string name = absl::StrFormat("new-%d-%d", state.range(0), next++);
    if (f.raw) {
      f.raw->InsertCommit(name, "x");
      continue;
    }
    auto txn = Begin(*f.store, TransactionMode::kReadWrite);
    Check(txn->Insert(kServerTable, {{"name", Value::Text(name)},
                                     {"definition", Value::Text("x")}})
              .status());
    Check(txn->Commit());
  }
}

void BM_UpdateCommit(benchmark::State& state) {
  Fixture& f = Get(BackendOf(state));
  int64_t i = 0;
  for (auto _ : state) {
    if (f.raw) {
      f.raw->UpdateCommit(SomeId(i), Definition(int(i)));
      ++i;
      continue;
    }
    auto txn = Begin(*f.store, TransactionMode::kReadWrite);
    Check(txn->Update(kServerTable, SomeId(i),
                      {{"definition", Value::Text(Definition(int(i)))}}));
    Check(txn->Commit());
    ++i;
  }
}

void BM_PrefixScan10(benchmark::State& state) {
  Fixture& f = Get(BackendOf(state));
  int64_t i = 0;
  std::unique_ptr<Transaction> txn;
  if (f.raw) {
    f.raw->BeginRead();
  } else {
    txn = Begin(*f.store, TransactionMode::kReadOnly);
  }
  for (auto _ : state) {
    // "srv-01234" matches srv-012340 .. srv-012349.
    std::string prefix = ServerName(int((i++ * 7919) % kRows)).substr(0, 9);
    if (f.raw) {
      // The same byte range the backends use.
      const std::string hi = *PrefixUpperBound(prefix);
      if (f.raw->PrefixScan(prefix, hi) != 10) state.SkipWithError("prefix");
      continue;
    }
    Query q;
    q.where = {Filter::Prefix("name", Value::Text(prefix))};
    q.order_by = {{"name"}};
    auto rows = txn->Select(kServerTable, q);
    if (!rows.ok() || rows->size() != 10) state.SkipWithError("prefix failed");
  }
  if (f.raw) f.raw->Commit();
}

void BM_CountWithFilter(benchmark::State& state) {
  Fixture& f = Get(BackendOf(state));
  int64_t i = 0;
  std::unique_ptr<Transaction> txn;
  if (f.raw) {
    f.raw->BeginRead();
  } else {
    txn = Begin(*f.store, TransactionMode::kReadOnly);
  }
  for (auto _ : state) {
    // 100 rows share each definition_cid.
    const std::string cid = DefinitionCid(int((i++ * 31) % 1000));
    const int64_t n =
        f.raw ? f.raw->CountByCid(cid)
              : txn->Count(kServerTable,
                           {Filter::Eq("definition_cid", Value::Text(cid))})
                    .value_or(-1);
    if (n != 100) state.SkipWithError("count failed");
  }
  if (f.raw) f.raw->Commit();
}

// A read-only transaction per lookup, while another thread commits the
// whole time (range(1)): 0 nothing; 1 an update of a random server; 2 (for
// the stores behind the contract) a new page view, in another table,
// which tells the cost of the servers table's latch from that of commits
// as such.
void BM_SnapshotLookup(benchmark::State& state) {
  Fixture& f = Get(BackendOf(state));
  const int64_t writes = state.range(1);
  std::atomic<bool> stop{false};
  std::atomic<int64_t> commits{0};
  std::thread writer;
  if (writes != 0) {
    writer = std::thread([&] {
      int64_t i = 0;
      while (!stop) {
        const int64_t id = 1 + (i++ * 104729) % kRows;
        if (f.raw) {
          f.raw->SetEnabledCommit(id, i % 2 == 0);
        } else {
          auto txn = Begin(*f.store, TransactionMode::kReadWrite);
          if (writes == 2) {
            Check(txn->Insert(kPageViewTable, {{"path", Value::Text("/x")}})
                      .status());
          } else {
            Check(txn->Update(kServerTable, id,
                              {{"enabled", Value::Boolean(i % 2 == 0)}}));
          }
          Check(txn->Commit());
        }
        ++commits;
      }
    });
  }
  int64_t i = 0;
  for (auto _ : state) {
    if (f.raw) {
      if (f.raw->SnapshotGet(SomeId(i++)) != 1) state.SkipWithError("lookup");
      continue;
    }
    auto txn = Begin(*f.store, TransactionMode::kReadOnly);
    auto row = txn->Get(kServerTable, SomeId(i++));
    if (!row.ok()) state.SkipWithError("lookup failed");
  }
  stop = true;
  if (writer.joinable()) writer.join();
  state.counters["writer_commits"] = double(commits);
}

void BM_BytesPerRow(benchmark::State& state) {
  Fixture& f = Get(BackendOf(state));
  state.counters["payload_per_row"] = double(f.payload_bytes) / kRows;
  if (f.raw) {
    for (auto _ : state) benchmark::DoNotOptimize(f.raw->BytesPerRow());
    state.counters["held_per_row"] = f.raw->BytesPerRow();
    return;
  }
  for (auto _ : state) {
    auto stats = f.store->Stats();
    benchmark::DoNotOptimize(stats);
  }
  auto stats = f.store->Stats();
  Check(stats.status());
  for (const TableStats& t : stats->tables) {
    if (t.table == kServerTable) {
      state.counters["held_per_row"] = double(t.bytes) / double(t.rows);
    }
  }
}

#ifdef VIEWER_BUSY_SESSION
// The busy-session mix of 100,000 rows of all nine tables, in a store of
// its own made in a child process: memory engine (0) or the SQLite
// backend on ":memory:" (2).
void BM_BusySession(benchmark::State& state) {
  const Backend backend = BackendOf(state);
  bench::MemoryFigures figures;
  for (auto _ : state) {
    figures = bench::MeasureInChild([&] { return OpenStore(backend, ""); },
                                    kRows);
  }
  state.counters["store_bytes"] = double(figures.store_bytes);
  state.counters["heap_growth"] = double(figures.heap_growth);
  state.counters["rss_growth"] = double(figures.rss_growth);
}
#endif

void InProcessBackends(benchmark::internal::Benchmark* b) {
  for (int backend : {kMemory, kSqliteFile, kSqliteMem, kRawSqlite}) {
    b->Arg(backend);
  }
}

// Each case on the in-process stores (CPU time), then on PostgreSQL (wall
// time, see the top of this file).
#define VIEWER_STORAGE_BENCHMARK(fn)       \
  BENCHMARK(fn)->Apply(InProcessBackends); \
  BENCHMARK(fn)->Arg(kPostgres)->UseRealTime()

// First, while each store holds exactly the loaded rows.
BENCHMARK(BM_BytesPerRow)->Apply(InProcessBackends)->Iterations(1);
BENCHMARK(BM_BytesPerRow)->Arg(kPostgres)->Iterations(1);
VIEWER_STORAGE_BENCHMARK(BM_GetById);
VIEWER_STORAGE_BENCHMARK(BM_GetByUniqueName);
VIEWER_STORAGE_BENCHMARK(BM_InsertCommit);
VIEWER_STORAGE_BENCHMARK(BM_UpdateCommit);
VIEWER_STORAGE_BENCHMARK(BM_PrefixScan10);
VIEWER_STORAGE_BENCHMARK(BM_CountWithFilter);
BENCHMARK(BM_SnapshotLookup)
    ->ArgsProduct({{kMemory, kSqliteFile, kSqliteMem, kRawSqlite, kPostgres},
                   {0, 1}})
    ->Args({kMemory, 2})
    ->UseRealTime();
#ifdef VIEWER_BUSY_SESSION
BENCHMARK(BM_BusySession)->Arg(kMemory)->Arg(kSqliteMem)->Iterations(1)
    ->UseRealTime();
#endif

}  // namespace
}  // namespace viewer

BENCHMARK_MAIN();
