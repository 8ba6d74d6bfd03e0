// Repository commands on entities and CIDs, and the list of every
// repository command (the others are in repository_record_commands.cc).
#include "property_tests/repository_commands.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/schemas.h"
#include "property_tests/repository_gen.h"
#include "property_tests/repository_show.h"

namespace viewer::property {
namespace {

using rc::gen::inRange;

std::string ShowInput(const EntityInput& in) {
  return absl::StrCat(
      "{name=", Render(in.name), " definition=", Render(in.definition),
      " enabled=", in.enabled ? Render(*in.enabled) : std::string("unset"),
      "}");
}

const CidRepository& Cids() {
  static const auto* repo = new CidRepository(nullptr);
  return *repo;
}

// ---- entities ------------------------------------------------------------

// Create, update (rename), enable/disable or delete, chosen by `op`.
struct EntityWrite : Step {
  EntityKind kind = GenKind();
  // Create 40%, update 30%, enable/disable 15%, delete 15%.
  int op = [] {
    const int r = *inRange(0, 20);
    return r < 8 ? 0 : r < 14 ? 1 : r < 17 ? 2 : 3;
  }();
  std::string name = GenName();
  EntityInput input{GenName(), GenDefinition(), GenEnabled()};
  bool enable = *inRange(0, 2) == 0;
  explicit EntityWrite(const Model&) {
    // Updates keep the name more often than not.
    if (op == 1 && *inRange(0, 2) == 0) input.name = name;
  }
  void apply(Model& m) const override {
    Bump(m, EntityTableName(kind));
    Bump(m, kInteractionTable);
  }
  std::string Describe() const override {
    const std::string k(EntityDisplayName(kind));
    switch (op) {
      case 0:
        return absl::StrCat("CreateEntity ", k, " ", ShowInput(input));
      case 1:
        return absl::StrCat("UpdateEntity ", k, " ", Render(name), " ",
                            ShowInput(input));
      case 2:
        return absl::StrCat("SetEntityEnabled ", k, " ", Render(name), " ",
                            Render(enable));
      default:
        return absl::StrCat("DeleteEntity ", k, " ", Render(name));
    }
  }
  void Run(StoreSet& s) const override {
    switch (op) {
      case 0:
        s.OnAll(true, [&](Transaction& t) {
          return Lift(CreateEntity(t, kind, input));
        });
        break;
      case 1:
        s.OnAll(true, [&](Transaction& t) {
          return Lift(UpdateEntity(t, kind, name, input));
        });
        break;
      case 2:
        s.OnAll(true, [&](Transaction& t) {
          return Lift(SetEntityEnabled(t, kind, name, enable));
        });
        break;
      default:
        s.OnAll(true,
                [&](Transaction& t) { return DeleteEntity(t, kind, name); });
    }
  }
};

// List, get, count, exists or first name, chosen by `op`.
struct EntityRead : Step {
  EntityKind kind = GenKind();
  int op = *inRange(0, 5);
  std::string name = GenName();
  explicit EntityRead(const Model&) {}
  void apply(Model&) const override {}
  std::string Describe() const override {
    static const char* const kOps[] = {"ListEntities", "GetEntity",
                                       "CountEntities", "EntityExists",
                                       "FirstEntityName"};
    return absl::StrCat(kOps[op], " ", EntityDisplayName(kind),
                        op == 1 || op == 3 ? " " + Render(name) : "");
  }
  void Run(StoreSet& s) const override {
    switch (op) {
      case 0:
        s.OnAll(false,
                [&](Transaction& t) { return Lift(ListEntities(t, kind)); });
        break;
      case 1:
        s.OnAll(false,
                [&](Transaction& t) { return Lift(GetEntity(t, kind, name)); });
        break;
      case 2:
        s.OnAll(false,
                [&](Transaction& t) { return Lift(CountEntities(t, kind)); });
        break;
      case 3:
        s.OnAll(false, [&](Transaction& t) {
          return Lift(EntityExists(t, kind, name));
        });
        break;
      default:
        s.OnAll(false,
                [&](Transaction& t) { return Lift(FirstEntityName(t, kind)); });
    }
  }
};

// ---- CIDs ----------------------------------------------------------------

struct CidCreate : Step {
  std::string content = GenContent();
  explicit CidCreate(const Model&) {}
  void apply(Model& m) const override { Bump(m, kCidTable); }
  std::string Describe() const override {
    return absl::StrCat("CidRepository::Create ", Render(content));
  }
  void Run(StoreSet& s) const override {
    s.OnAll(true,
            [&](Transaction& t) { return Lift(Cids().Create(t, content)); });
  }
};

// Get, find by prefix, recent, count or exists, chosen by `op`.
struct CidRead : Step {
  int op = *inRange(0, 5);
  std::string cid = GenCid();
  std::string prefix = GenPrefix();
  int64_t limit = GenLimit();
  explicit CidRead(const Model&) {}
  void apply(Model&) const override {}
  std::string Describe() const override {
    switch (op) {
      case 0:
        return absl::StrCat("CidRepository::Get ", Render(cid));
      case 1:
        return absl::StrCat("CidRepository::FindByPrefix ", Render(prefix),
                            " limit=", limit);
      case 2:
        return absl::StrCat("CidRepository::Recent limit=", limit);
      case 3:
        return "CidRepository::Count";
      default:
        return absl::StrCat("CidRepository::Exists ", Render(cid));
    }
  }
  void Run(StoreSet& s) const override {
    switch (op) {
      case 0:
        s.OnAll(false, [&](Transaction& t) -> absl::StatusOr<Val<std::string>> {
          auto bytes = Cids().Get(t, cid);
          if (!bytes.ok()) return bytes.status();
          return Val<std::string>{**bytes};
        });
        break;
      case 1:
        s.OnAll(false, [&](Transaction& t) {
          return Lift(Cids().FindByPrefix(t, prefix, limit));
        });
        break;
      case 2:
        s.OnAll(false,
                [&](Transaction& t) { return Lift(Cids().Recent(t, limit)); });
        break;
      case 3:
        s.OnAll(false, [&](Transaction& t) { return Lift(Cids().Count(t)); });
        break;
      default:
        s.OnAll(false,
                [&](Transaction& t) { return Lift(Cids().Exists(t, cid)); });
    }
  }
};

}  // namespace

std::vector<std::pair<int, CmdPtr (*)(const Model&)>> RepositoryCommands(
    const Model& model) {
  std::vector<std::pair<int, CmdPtr (*)(const Model&)>> out = {
      {14, &Make<EntityWrite>},
      {6, &Make<EntityRead>},
      {4, &Make<CidCreate>},
      {4, &Make<CidRead>},
  };
  for (const auto& option : RecordRepositoryCommands(model)) {
    out.push_back(option);
  }
  return out;
}

}  // namespace viewer::property
