// The concurrency property, on the reference model and on every backend
// (tests/storage/backend_kinds.h): writer threads run random read-write
// transactions on a bank (concurrency_ops.h): logged transfers, transfers
// with a bogus half undone by RollbackTo, unlogged half transfers rolled
// back, renames of an indexed column, creations and deletions of empty
// accounts. Reader threads take snapshots all along and check each one
// against its own transfer log, through several access paths, and that it
// does not move while read. Some transfers stop between their two updates
// until a reader has begun a snapshot, so snapshots provably overlap open
// writers; the run fails unless that happened. Under the thread sanitizer
// it must also be race-free.
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "property_tests/concurrency_ops.h"
#include "property_tests/properties.h"
#include "property_tests/reference_store.h"
#include "property_tests/replay.h"
#include "rapidcheck.h"
#include "tests/storage/backend_kinds.h"

namespace viewer::property {
namespace {

using rc::gen::inRange;

constexpr int kWriters = 3;
constexpr int kReaders = 2;
constexpr absl::Duration kWriterWait = absl::Seconds(30);

// A store to run the property on, opened fresh in an empty folder.
struct Target {
  std::string name;
  std::function<absl::StatusOr<std::unique_ptr<Store>>(const std::string&)>
      open;
  // The backend, whose data outside the folder (a PostgreSQL schema) is
  // released after the case; none for the reference model.
  std::optional<testing::BackendKind> kind;
};

std::vector<Target> Targets() {
  std::vector<Target> out;
  out.push_back(
      {"reference",
       [](const std::string&) -> absl::StatusOr<std::unique_ptr<Store>> {
         ReferenceOptions o;
         o.catalog = BankCatalog();
         o.busy_timeout = kWriterWait;
         return std::make_unique<ReferenceStore>(std::move(o));
       }});
  for (testing::BackendKind kind : SelectedBackends()) {
    out.push_back({testing::BackendName(kind),
                   [kind](const std::string& dir) {
                     return testing::OpenBackend(kind, BankCatalog(),
                                                 SystemClock::Get(), dir,
                                                 {.busy_timeout = kWriterWait});
                   },
                   kind});
  }
  return out;
}

// A fresh folder under /dev/shm (or the temporary folder), removed after.
class ScratchDir {
 public:
  ScratchDir() {
    std::filesystem::path base = std::filesystem::is_directory("/dev/shm")
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    path_ = (base / "viewer-conc-XXXXXX").string();
    if (mkdtemp(path_.data()) == nullptr) path_.clear();
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Op GenOp() {
  Op op{static_cast<OpKind>(*inRange(0, kOpKinds)), *inRange(0, kAccounts + 1),
        *inRange(0, kAccounts + 1), *inRange<int64_t>(-50, 200)};
  op.wait_for_reader = op.kind == OpKind::kTransfer && *inRange(0, 8) == 0;
  return op;
}

// Each writer starts with a transfer between two opened accounts that waits
// for a reader, then runs random ops.
std::vector<std::vector<Op>> GenScripts() {
  std::vector<std::vector<Op>> scripts(kWriters);
  for (auto& script : scripts) {
    const int a = *inRange(0, kAccounts);
    const int b = (a + *inRange(1, kAccounts)) % kAccounts;
    script.push_back(Op{OpKind::kTransfer, a, b, *inRange<int64_t>(1, 100),
                        /*wait_for_reader=*/true});
    const int n = *inRange(0, 25);
    for (int i = 0; i < n; ++i) script.push_back(GenOp());
  }
  return scripts;
}

void RunCase(const Target& target, int64_t* snapshots, int64_t* overlapping) {
  const auto scripts = GenScripts();
  ScratchDir dir;
  RC_ASSERT(!dir.path().empty());
  // Declared before the store, so it runs after the store is closed, even
  // when the case fails (RC_FAIL throws).
  struct Release {
    const Target& target;
    const std::string& dir;
    ~Release() {
      if (target.kind) testing::ReleaseBackend(*target.kind, dir);
    }
  } release{target, dir.path()};
  auto opened = target.open(dir.path());
  if (!opened.ok()) RC_FAIL("cannot open: " + opened.status().ToString());
  Store& store = **opened;
  absl::Status accounts = OpenAccounts(store);
  if (!accounts.ok())
    RC_FAIL("cannot open the accounts: " + accounts.ToString());

  Shared shared;
  std::atomic<int> writers_left{kWriters};
  std::vector<std::thread> threads;
  for (const auto& script : scripts) {
    threads.emplace_back([&store, &shared, &writers_left, &script] {
      for (const Op& op : script) RunOp(store, op, shared);
      --writers_left;
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&] {
      do {
        CheckSnapshot(store, shared);
        // Two readers checking flat out would starve three writers of the
        // cores they need to make progress.
        std::this_thread::yield();
      } while (writers_left > 0);
    });
  }
  for (std::thread& t : threads) t.join();
  CheckSnapshot(store, shared);
  std::vector<std::string> found = shared.Errors();
  if (!found.empty()) {
    RC_FAIL(absl::StrCat("on ", target.name, ":\n", absl::StrJoin(found, "\n"),
                         "\nReplay this run with:\n  ", ReplayCommand()));
  }
  // The first transfer to run found its accounts, so at least one writer
  // waited inside its transaction until a reader's snapshot overlapped it.
  RC_ASSERT(shared.rendezvous.load() >= 1);
  RC_ASSERT(shared.overlapping.load() >= shared.rendezvous.load());
  *snapshots += shared.snapshots.load();
  *overlapping += shared.overlapping.load();
}

}  // namespace

bool CheckConcurrencyProperty() {
  bool ok = true;
  for (const Target& target : Targets()) {
    SetActivity("concurrency property on " + target.name);
    int64_t snapshots = 0, overlapping = 0;
    ok = rc::check(absl::StrCat("on ", target.name,
                                ": concurrent transfers agree with their log "
                                "in every snapshot, and snapshots overlap "
                                "open writers"),
                   [&] { RunCase(target, &snapshots, &overlapping); }) &&
         ok;
    printf(
        "concurrency on %s: %lld snapshots, %lld begun while a writer was "
        "inside a transaction\n",
        target.name.c_str(), static_cast<long long>(snapshots),
        static_cast<long long>(overlapping));
  }
  return ok;
}

}  // namespace viewer::property
