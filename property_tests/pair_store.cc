#include "property_tests/pair_store.h"

#include <stdlib.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/schemas.h"
#include "engine/memory_store.h"
#include "sqlite_backend/sqlite_store.h"

namespace viewer::property {
namespace {

// The full comparison runs after every this many steps (and at the end).
constexpr int kFullCheckEvery = 8;

void Die(const absl::Status& s) {
  fprintf(stderr, "property_tests: cannot set up the stores: %s\n",
          s.ToString().c_str());
  abort();
}

}  // namespace

std::string Show(const absl::Status& s) {
  return absl::StrCat("error ", absl::StatusCodeToString(s.code()), ": \"",
                      s.message(), "\"");
}
std::string Show(const Row& r) { return r.DebugString(); }
std::string Show(const Value& v) { return v.DebugString(); }
std::string Show(int64_t n) { return absl::StrCat(n); }
std::string Show(const std::vector<Row>& rows) {
  if (rows.empty()) return "[] (no rows)";
  return absl::StrCat(
      "[", rows.size(), " rows]\n      ",
      absl::StrJoin(rows, "\n      ", [](std::string* out, const Row& r) {
        out->append(r.DebugString());
      }));
}
std::string Show(const std::vector<std::vector<Row>>& tables) {
  std::string out;
  for (size_t t = 0; t < tables.size(); ++t) {
    absl::StrAppend(&out, "\n    ", AppCatalog().tables()[t].name(), ": ",
                    Show(tables[t]));
  }
  return out;
}
std::string Show(const std::vector<GroupCount>& groups) {
  return absl::StrCat(
      "{",
      absl::StrJoin(groups, ", ",
                    [](std::string* out, const GroupCount& g) {
                      absl::StrAppend(out, g.key.DebugString(), ": ", g.count);
                    }),
      "}");
}

std::optional<std::string> Diff(const absl::Status& m, const absl::Status& d) {
  if (m.code() == d.code() && m.message() == d.message()) return std::nullopt;
  return "  memory: " + (m.ok() ? std::string("ok") : Show(m)) +
         "\n  sqlite: " + (d.ok() ? std::string("ok") : Show(d));
}

PairStore::PairStore() {
  // On tmpfs where there is one: the SQLite backend behaves the same, and
  // the hundreds of stores a run creates cost no fsyncs.
  std::filesystem::path base = std::filesystem::is_directory("/dev/shm")
                                   ? std::filesystem::path("/dev/shm")
                                   : std::filesystem::temp_directory_path();
  std::string pattern = (base / "viewer-prop-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) Die(absl::InternalError("mkdtemp"));
  dir_ = pattern;

  MemoryOptions m;
  m.catalog = AppCatalog();
  m.clock = &memory_.clock;
  m.busy_timeout = absl::Milliseconds(10);
  auto mem = MemoryStore::Open(std::move(m));
  if (!mem.ok()) Die(mem.status());
  memory_.store = std::move(*mem);

  SqliteOptions s;
  s.catalog = AppCatalog();
  s.path = dir_ + "/property.db";
  s.clock = &disk_.clock;
  s.busy_timeout = absl::Milliseconds(10);
  auto disk = SqliteStore::Open(std::move(s));
  if (!disk.ok()) Die(disk.status());
  disk_.store = std::move(*disk);
}

PairStore::~PairStore() {
  for (Side* side : {&memory_, &disk_}) {
    side->snapshots.clear();
    side->txn.reset();
    side->store.reset();
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void PairStore::Fail(const std::string& what, const std::string& detail) {
  RC_FAIL(absl::StrCat("step ", step_, ": ", op_, "\n", what, ":\n", detail));
}

void PairStore::BeginStep(const std::string& op) {
  ++step_;
  op_ = op;
}

void PairStore::EndStep() {
  if (step_ % kFullCheckEvery == 0) CheckAll();
}

absl::StatusOr<std::vector<std::vector<Row>>> PairStore::Contents(
    Transaction& txn) {
  std::vector<std::vector<Row>> all;
  for (const TableSchema& t : AppCatalog().tables()) {
    auto rows = txn.Select(t.name(), Query{});
    if (!rows.ok()) return rows.status();
    all.push_back(std::move(*rows));
  }
  return all;
}

void PairStore::CheckAll() {
  auto compare = [&](const char* what, Transaction& m, Transaction& d) {
    auto mc = Contents(m);
    auto dc = Contents(d);
    if (!mc.ok() || !dc.ok()) {
      Fail(absl::StrCat("reading ", what, " failed"),
           absl::StrCat("  memory: ", mc.status().ToString(),
                        "\n  sqlite: ", dc.status().ToString()));
    }
    for (size_t t = 0; t < mc->size(); ++t) {
      if ((*mc)[t] != (*dc)[t]) {
        Fail(absl::StrCat("table ", AppCatalog().tables()[t].name(), " (",
                          what, ") differs"),
             absl::StrCat("  memory: ", Show((*mc)[t]),
                          "\n  sqlite: ", Show((*dc)[t])));
      }
    }
  };
  if (memory_.txn != nullptr) {
    compare("inside the open transaction", *memory_.txn, *disk_.txn);
  }
  auto m = memory_.store->Begin(TransactionMode::kReadOnly);
  auto d = disk_.store->Begin(TransactionMode::kReadOnly);
  if (!m.ok() || !d.ok()) {
    Fail("cannot begin a read-only transaction",
         m.status().ToString() + " / " + d.status().ToString());
  }
  compare("committed", **m, **d);
  for (size_t i = 0; i < snapshot_contents_.size(); ++i) CheckSnapshot(i);
}

void PairStore::OpenSnapshot() {
  auto m = memory_.store->Begin(TransactionMode::kReadOnly);
  auto d = disk_.store->Begin(TransactionMode::kReadOnly);
  if (!m.ok() || !d.ok()) {
    Fail("cannot open a snapshot",
         m.status().ToString() + " / " + d.status().ToString());
  }
  auto mc = Contents(**m);
  auto dc = Contents(**d);
  Expect(mc, dc);
  memory_.snapshots.push_back(std::move(*m));
  disk_.snapshots.push_back(std::move(*d));
  snapshot_contents_.push_back(std::move(*mc));
}

void PairStore::CheckSnapshot(size_t i) {
  const auto& recorded = snapshot_contents_[i];
  for (Side* side : {&memory_, &disk_}) {
    auto now = Contents(*side->snapshots[i]);
    if (!now.ok() || *now != recorded) {
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
                        " changed since it was opened"),
           detail);
    }
  }
}

void PairStore::CloseSnapshot(size_t i) {
  CheckSnapshot(i);
  for (Side* side : {&memory_, &disk_}) {
    absl::Status s = side->snapshots[i]->Commit();
    if (!s.ok()) Fail(absl::StrCat("closing a snapshot on ", side->name), Show(s));
    side->snapshots.erase(side->snapshots.begin() + i);
  }
  snapshot_contents_.erase(snapshot_contents_.begin() + i);
}

}  // namespace viewer::property
