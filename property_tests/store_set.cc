#include "property_tests/store_set.h"

#include <stdlib.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "app/schemas.h"
#include "property_tests/properties.h"
#include "property_tests/reference_store.h"
#include "property_tests/replay.h"
#include "rapidcheck.h"

namespace viewer::property {
namespace {

// The full comparison runs after every this many steps (and at the end).
constexpr int kFullCheckEvery = 8;

void Die(const std::string& what) {
  fprintf(stderr, "property_tests: cannot set up the stores: %s\n",
          what.c_str());
  abort();
}

testing::BackendOptions Options() {
  testing::BackendOptions o;
  o.busy_timeout = kBusyTimeout;
  return o;
}

std::vector<testing::BackendKind>& Selected() {
  static auto* kinds = new std::vector<testing::BackendKind>(
      std::begin(testing::kBackends), std::end(testing::kBackends));
  return *kinds;
}

}  // namespace

void SelectBackends(std::vector<testing::BackendKind> kinds) {
  Selected() = std::move(kinds);
}

const std::vector<testing::BackendKind>& SelectedBackends() {
  return Selected();
}

StoreSet::StoreSet() {
  // On tmpfs where there is one: the SQLite backend behaves the same, and
  // the hundreds of stores a run creates cost no fsyncs.
  std::filesystem::path base = std::filesystem::is_directory("/dev/shm")
                                   ? std::filesystem::path("/dev/shm")
                                   : std::filesystem::temp_directory_path();
  std::string pattern = (base / "viewer-prop-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) Die("mkdtemp " + pattern);
  dir_ = pattern;

  auto model = std::make_unique<Side>();
  model->name = "reference";
  ReferenceOptions r;
  r.catalog = AppCatalog();
  r.clock = &model->clock;
  r.busy_timeout = kBusyTimeout;
  model->store = std::make_unique<ReferenceStore>(std::move(r));
  sides_.push_back(std::move(model));

  for (testing::BackendKind kind : SelectedBackends()) {
    auto side = std::make_unique<Side>();
    side->name = testing::BackendName(kind);
    side->kind = kind;
    const std::string dir = dir_ + "/" + side->name;
    std::filesystem::create_directory(dir);
    auto store =
        testing::OpenBackend(kind, AppCatalog(), &side->clock, dir, Options());
    if (!store.ok()) Die(side->name + ": " + store.status().ToString());
    side->store = std::move(*store);
    if (testing::SharesData(kind)) {
      // Opened now: opening checks the schema, which waits for any writer.
      auto second = testing::OpenBackend(kind, AppCatalog(), &side->clock, dir,
                                         Options());
      if (!second.ok()) Die(side->name + ": " + second.status().ToString());
      side->second = std::move(*second);
    }
    sides_.push_back(std::move(side));
  }
}

StoreSet::~StoreSet() {
  for (auto& side : sides_) {
    side->snapshots.clear();
    side->txn.reset();
    side->second.reset();
    side->store.reset();
    if (side->kind) {
      testing::ReleaseBackend(*side->kind, dir_ + "/" + side->name);
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

Store* StoreSet::SecondHandle(Side& side) { return side.second.get(); }

void StoreSet::Fail(const std::string& what, const std::string& detail) {
  RC_FAIL(absl::StrCat("step ", step_, ": ", op_, "\n", what, ":\n", detail,
                       "\nReplay this run with:\n  ", ReplayCommand()));
}

void StoreSet::BeginStep(const std::string& op) {
  ++step_;
  op_ = op;
  SetActivity(absl::StrCat("storage property, step ", step_, ": ", op));
}

void StoreSet::EndStep() {
  if (step_ % kFullCheckEvery == 0) CheckAll();
}

absl::StatusOr<Contents> StoreSet::ContentsOf(Transaction& txn) {
  Contents all;
  for (const TableSchema& t : AppCatalog().tables()) {
    auto rows = txn.Select(t.name(), Query{});
    if (!rows.ok()) return rows.status();
    all.push_back(std::move(*rows));
  }
  return all;
}

absl::StatusOr<Contents> StoreSet::Committed(Side& side) {
  auto txn = side.store->Begin(TransactionMode::kReadOnly);
  if (!txn.ok()) return txn.status();
  auto contents = ContentsOf(**txn);
  absl::Status done = (*txn)->Commit();
  if (!done.ok()) return done;
  return contents;
}

void StoreSet::CheckAll() {
  if (model().txn != nullptr) {
    Each([](Side& side) { return ContentsOf(*side.txn); },
         "tables differ inside the open transaction");
  }
  Each([this](Side& side) { return Committed(side); },
       "committed tables differ");
  for (size_t i = 0; i < snapshot_contents_.size(); ++i) CheckSnapshot(i);
}

void StoreSet::OpenSnapshot() {
  std::vector<absl::StatusOr<std::unique_ptr<Transaction>>> begun;
  for (auto& side : sides_) {
    begun.push_back(side->store->Begin(TransactionMode::kReadOnly));
  }
  std::vector<absl::Status> statuses;
  for (const auto& b : begun) statuses.push_back(b.status());
  ExpectAll(statuses, "beginning a snapshot");
  if (!statuses[0].ok()) {
    Fail("cannot begin a snapshot on " + sides_[0]->name, Show(statuses[0]));
  }
  std::vector<absl::StatusOr<Contents>> contents;
  for (size_t i = 0; i < sides_.size(); ++i) {
    contents.push_back(ContentsOf(**begun[i]));
  }
  ExpectAll(contents, "a new snapshot's tables differ");
  for (size_t i = 0; i < sides_.size(); ++i) {
    sides_[i]->snapshots.push_back(*std::move(begun[i]));
  }
  snapshot_contents_.push_back(*std::move(contents[0]));
}

void StoreSet::CheckSnapshot(size_t i) {
  const Contents& recorded = snapshot_contents_[i];
  for (auto& side : sides_) {
    auto now = ContentsOf(*side->snapshots[i]);
    if (now.ok() && *now == recorded) continue;
    std::string detail;
    if (!now.ok()) {
      detail = Show(now.status());
    } else {
      for (size_t t = 0; t < recorded.size(); ++t) {
        if ((*now)[t] == recorded[t]) continue;
        absl::StrAppend(&detail, "  table ", AppCatalog().tables()[t].name(),
                        "\n  when opened: ", Show(recorded[t]),
                        "\n  now: ", Show((*now)[t]), "\n");
      }
    }
    Fail(absl::StrCat("snapshot #", i, " on ", side->name,
                      " differs from what it held when opened"),
         detail);
  }
}

void StoreSet::CloseSnapshot(size_t i) {
  CheckSnapshot(i);
  Each(
      [i](Side& side) {
        absl::Status s = side.snapshots[i]->Commit();
        side.snapshots.erase(side.snapshots.begin() + i);
        return s;
      },
      "closing a snapshot");
  snapshot_contents_.erase(snapshot_contents_.begin() + i);
}

}  // namespace viewer::property
