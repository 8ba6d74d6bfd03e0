#include "property_tests/txn_commands.h"

#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"
#include "app/schemas.h"
#include "property_tests/generators.h"

namespace viewer::property {
namespace {

using rc::gen::elementOf;
using rc::gen::inRange;

// Savepoint names: few, so that names repeat and unknown names come up.
const std::vector<std::string>& SavepointNames() {
  static const auto* names =
      new std::vector<std::string>{"a", "b", "c", "A", "zz"};
  return *names;
}

int FindSavepoint(const Model& m, const std::string& name) {
  for (int i = static_cast<int>(m.savepoints.size()) - 1; i >= 0; --i) {
    if (m.savepoints[i] == name) return i;
  }
  return -1;
}

struct Begin : Step {
  explicit Begin(const Model&) {}
  void checkPreconditions(const Model& m) const override {
    RC_PRE(!m.in_transaction);
  }
  void apply(Model& m) const override { m.in_transaction = true; }
  std::string Describe() const override { return "Begin"; }
  void Run(StoreSet& s) const override {
    std::vector<absl::StatusOr<std::unique_ptr<Transaction>>> begun;
    for (auto& side : s.sides()) {
      begun.push_back(side->store->Begin(TransactionMode::kReadWrite));
    }
    std::vector<absl::Status> statuses;
    for (const auto& b : begun) statuses.push_back(b.status());
    s.ExpectAll(statuses, "Begin differs");
    if (!statuses[0].ok()) s.Fail("Begin failed everywhere", Show(statuses[0]));
    for (size_t i = 0; i < begun.size(); ++i) {
      s.sides()[i]->txn = *std::move(begun[i]);
    }
  }
};

// Commit (commit == true) or Rollback.
struct End : Step {
  bool commit = *inRange(0, 3) != 0;
  explicit End(const Model&) {}
  void checkPreconditions(const Model& m) const override {
    RC_PRE(m.in_transaction);
  }
  void apply(Model& m) const override {
    m.in_transaction = false;
    m.savepoints.clear();
  }
  std::string Describe() const override { return commit ? "Commit" : "Rollback"; }
  void Run(StoreSet& s) const override {
    s.Each(
        [&](StoreSet::Side& side) {
          absl::Status done =
              commit ? side.txn->Commit() : side.txn->Rollback();
          side.txn.reset();
          return done;
        },
        commit ? "Commit differs" : "Rollback differs");
  }
};

// Savepoint (kind 0), RollbackTo (1) or Release (2).
struct SavepointStep : Step {
  int kind = *inRange(0, 3);
  std::string name;
  // Rolling back to or releasing mostly names a savepoint that is open
  // (often an older one than the newest), sometimes any name at all.
  explicit SavepointStep(const Model& m)
      : name(kind != 0 && !m.savepoints.empty() && *inRange(0, 5) != 4
                 ? *elementOf(m.savepoints)
                 : *elementOf(SavepointNames())) {}
  void checkPreconditions(const Model& m) const override {
    RC_PRE(m.in_transaction);
  }
  void apply(Model& m) const override {
    int at = FindSavepoint(m, name);
    if (kind == 0) {
      m.savepoints.push_back(name);
    } else if (at >= 0) {
      m.savepoints.resize(kind == 1 ? at + 1 : at);
    }
  }
  std::string Describe() const override {
    static const char* const kNames[] = {"Savepoint", "RollbackTo", "Release"};
    return absl::StrCat(kNames[kind], " \"", name, "\"");
  }
  void Run(StoreSet& s) const override {
    auto call = [&](Transaction& t) {
      return kind == 0 ? t.Savepoint(name)
                       : kind == 1 ? t.RollbackTo(name) : t.Release(name);
    };
    s.Each([&](StoreSet::Side& side) { return call(*side.txn); });
  }
};

struct OpenSnapshot : Step {
  explicit OpenSnapshot(const Model&) {}
  void checkPreconditions(const Model& m) const override {
    RC_PRE(m.snapshots < 4);
  }
  void apply(Model& m) const override { ++m.snapshots; }
  std::string Describe() const override { return "OpenSnapshot"; }
  void Run(StoreSet& s) const override { s.OpenSnapshot(); }
};

// Reads an old snapshot: checks it still holds what it held when opened,
// and runs a random query on it on every side, sometimes from a thread of
// its own (a transaction may move between threads) while the writer
// stays open on this one.
struct ReadSnapshot : Step {
  int index;
  size_t table = *inRange<size_t>(0, TableCount());
  Query query;
  bool on_other_thread = *inRange(0, 3) == 0;
  explicit ReadSnapshot(const Model& m)
      : index(*inRange(0, std::max(1, m.snapshots))),
        query(GenQuery(AppCatalog().tables()[table], 8)) {}
  void checkPreconditions(const Model& m) const override {
    RC_PRE(index < m.snapshots);
  }
  void apply(Model&) const override {}
  std::string Describe() const override {
    return absl::StrCat("ReadSnapshot #", index,
                        on_other_thread ? " (on another thread) " : " ",
                        AppCatalog().tables()[table].name(), " ",
                        query.DebugString());
  }
  void Run(StoreSet& s) const override {
    s.CheckSnapshot(index);
    const std::string& t = AppCatalog().tables()[table].name();
    s.Each([&](StoreSet::Side& side) {
      if (!on_other_thread) return side.snapshots[index]->Select(t, query);
      absl::StatusOr<std::vector<Row>> rows;
      std::thread reader(
          [&] { rows = side.snapshots[index]->Select(t, query); });
      reader.join();
      return rows;
    });
  }
};

struct CloseSnapshot : Step {
  int index;
  explicit CloseSnapshot(const Model& m)
      : index(*inRange(0, std::max(1, m.snapshots))) {}
  void checkPreconditions(const Model& m) const override {
    RC_PRE(index < m.snapshots);
  }
  void apply(Model& m) const override { --m.snapshots; }
  std::string Describe() const override {
    return absl::StrCat("CloseSnapshot #", index);
  }
  void Run(StoreSet& s) const override { s.CloseSnapshot(index); }
};

struct AdvanceClock : Step {
  int64_t micros = *elementOf(std::vector<int64_t>{0, 1, 250'000, 1'000'000,
                                                   3'600'000'000});
  explicit AdvanceClock(const Model&) {}
  void apply(Model&) const override {}
  std::string Describe() const override {
    return absl::StrCat("AdvanceClock ", micros, "us");
  }
  void Run(StoreSet& s) const override {
    for (auto& side : s.sides()) {
      side->clock.Advance(absl::Microseconds(micros));
    }
  }
};

template <typename T>
CmdPtr Make(const Model& m) {
  return std::make_shared<T>(m);
}

}  // namespace

std::vector<std::pair<int, CmdPtr (*)(const Model&)>> TransactionCommands(
    const Model& m) {
  std::vector<std::pair<int, CmdPtr (*)(const Model&)>> out;
  if (m.in_transaction) {
    out.push_back({4, &Make<End>});
    out.push_back({14, &Make<SavepointStep>});
  } else {
    out.push_back({8, &Make<Begin>});
  }
  if (m.snapshots < 4) out.push_back({2, &Make<OpenSnapshot>});
  if (m.snapshots > 0) {
    out.push_back({3, &Make<ReadSnapshot>});
    out.push_back({1, &Make<CloseSnapshot>});
  }
  out.push_back({3, &Make<AdvanceClock>});
  return out;
}

}  // namespace viewer::property
