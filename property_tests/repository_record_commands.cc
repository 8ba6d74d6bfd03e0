// Repository commands on interactions, invocations, page views and
// exports.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/cid.h"
#include "app/exports.h"
#include "app/interactions.h"
#include "app/invocations.h"
#include "app/page_views.h"
#include "app/schemas.h"
#include "property_tests/repository_commands.h"
#include "property_tests/repository_gen.h"
#include "property_tests/repository_show.h"

namespace viewer::property {
namespace {

using rc::gen::inRange;

// ---- interactions ----------------------------------------------------------

std::string GenEntityType() {
  return Pick(std::vector<std::string>{"server", "alias", "variable", "secret",
                                       "other"});
}

struct InteractionRecord : Step {
  InteractionInput input;
  explicit InteractionRecord(const Model&) {
    input.entity_type = GenEntityType();
    input.entity_name = GenName();
    input.action = Pick(std::vector<std::string>{"create", "update", "ai"});
    switch (*inRange(0, 4)) {
      case 0:
        input.message = std::nullopt;
        break;
      case 1: {
        // 600 characters of 1 to 3 bytes: cut at 500 characters.
        std::string m;
        for (int i = 0; i < 200; ++i) m += "a\xc3\xa9\xe2\x82\xac";
        input.message = m;
        break;
      }
      default:
        input.message = Pick(std::vector<std::string>{"", "m", "changed it"});
    }
    input.content = Pick(std::vector<std::string>{"", "c", "def f(): pass"});
  }
  void apply(Model& m) const override { Bump(m, kInteractionTable); }
  std::string Describe() const override {
    return absl::StrCat("RecordInteraction ", Render(input.entity_type), "/",
                        Render(input.entity_name), " ", input.action,
                        " message=", Render(input.message),
                        " content=", Render(input.content));
  }
  void Run(StoreSet& s) const override {
    s.OnAll(true,
            [&](Transaction& t) { return Lift(RecordInteraction(t, input)); });
  }
};

// Recent (all == false) or all interactions with one entity.
struct InteractionRead : Step {
  bool all = *inRange(0, 2) == 0;
  std::string type = GenEntityType();
  std::string name = GenName();
  int64_t limit = GenLimit();
  explicit InteractionRead(const Model&) {}
  void apply(Model&) const override {}
  std::string Describe() const override {
    return absl::StrCat(all ? "AllInteractions " : "RecentInteractions ",
                        Render(type), "/", Render(name),
                        all ? "" : absl::StrCat(" limit=", limit));
  }
  void Run(StoreSet& s) const override {
    if (all) {
      s.OnAll(false, [&](Transaction& t) {
        return Lift(AllInteractions(t, type, name));
      });
    } else {
      s.OnAll(false, [&](Transaction& t) {
        return Lift(RecentInteractions(t, type, name, limit));
      });
    }
  }
};

// ---- invocations -----------------------------------------------------------

std::string GenInvocationCid() {
  return Pick(std::vector<std::string>{"R1", "R2", "C", ComputeCid("x")});
}
std::optional<std::string> GenOptionalCid() {
  if (*inRange(0, 2) == 0) return std::nullopt;
  return GenInvocationCid();
}

struct InvocationCreate : Step {
  InvocationInput input{GenName(),        GenInvocationCid(), GenOptionalCid(),
                        GenOptionalCid(), GenOptionalCid(),   GenOptionalCid(),
                        GenOptionalCid(), GenOptionalCid()};
  explicit InvocationCreate(const Model&) {}
  void apply(Model& m) const override { Bump(m, kInvocationTable); }
  std::string Describe() const override {
    return absl::StrCat("CreateInvocation server=", Render(input.server_name),
                        " result=", input.result_cid,
                        " servers=", Render(input.servers_cid),
                        " variables=", Render(input.variables_cid),
                        " secrets=", Render(input.secrets_cid),
                        " request=", Render(input.request_details_cid),
                        " invocation=", Render(input.invocation_cid),
                        " external=", Render(input.external_calls_cid));
  }
  void Run(StoreSet& s) const override {
    s.OnAll(true,
            [&](Transaction& t) { return Lift(CreateInvocation(t, input)); });
  }
};

// By server, by result CIDs or by any CID column, chosen by `op`.
struct InvocationRead : Step {
  int op = *inRange(0, 3);
  std::string server = GenName();
  std::optional<int64_t> limit =
      *inRange(0, 2) == 0 ? std::nullopt : std::optional<int64_t>(GenLimit());
  std::vector<std::string> cids = *rc::gen::container<std::vector<std::string>>(
      *inRange(0, 4), rc::gen::exec(GenInvocationCid));
  std::string cid = GenInvocationCid();
  explicit InvocationRead(const Model&) {}
  void apply(Model&) const override {}
  std::string Describe() const override {
    switch (op) {
      case 0:
        return absl::StrCat("InvocationsForServer ", Render(server),
                            " limit=", limit ? absl::StrCat(*limit) : "none");
      case 1:
        return absl::StrCat("InvocationsByResultCids [",
                            absl::StrJoin(cids, ", "), "]");
      default:
        return absl::StrCat("InvocationsByAnyCid ", cid);
    }
  }
  void Run(StoreSet& s) const override {
    switch (op) {
      case 0:
        s.OnAll(false, [&](Transaction& t) {
          return Lift(InvocationsForServer(t, server, limit));
        });
        break;
      case 1:
        s.OnAll(false, [&](Transaction& t) {
          return Lift(InvocationsByResultCids(t, cids));
        });
        break;
      default:
        s.OnAll(false, [&](Transaction& t) {
          return Lift(InvocationsByAnyCid(t, cid));
        });
    }
  }
};

// ---- page views and exports ----------------------------------------------

// Save, count, count distinct, popular, page (page views); record, list
// (exports): chosen by `op`.
struct PageViewOrExport : Step {
  int op = *inRange(0, 7);
  PageViewInput view{
      Pick(std::vector<std::string>{"/", "/a", "/A", "/a%", "/a_"}),
      Pick(std::vector<std::string>{"GET", "POST"}), std::nullopt,
      std::nullopt};
  std::optional<Timestamp> start = GenBound();
  std::optional<Timestamp> end = GenBound();
  int64_t limit = GenLimit();
  int64_t page = Pick(std::vector<int64_t>{1, 2, 3, 0});
  int64_t per_page = Pick(std::vector<int64_t>{1, 2, 10, 0});
  std::string export_cid = Pick(std::vector<std::string>{
      ComputeCid("e"), ComputeCid(std::string(90, 'e')), "not a cid"});
  explicit PageViewOrExport(const Model&) {}
  void apply(Model& m) const override {
    if (op == 0) Bump(m, kPageViewTable);
    if (op == 5) Bump(m, kExportTable);
  }
  std::string Describe() const override {
    const std::string bounds =
        absl::StrCat(" [", ShowBound(start), ", ", ShowBound(end), "]");
    switch (op) {
      case 0:
        return absl::StrCat("SavePageView ", view.method, " ",
                            Render(view.path));
      case 1:
        return "CountPageViews" + bounds;
      case 2:
        return "CountDistinctPaths" + bounds;
      case 3:
        return absl::StrCat("PopularPaths limit=", limit);
      case 4:
        return absl::StrCat("PageViews page=", page, " per_page=", per_page,
                            bounds);
      case 5:
        return absl::StrCat("RecordExport ", Render(export_cid));
      default:
        return absl::StrCat("ListExports limit=", limit);
    }
  }
  void Run(StoreSet& s) const override {
    switch (op) {
      case 0:
        s.OnAll(true,
                [&](Transaction& t) { return Lift(SavePageView(t, view)); });
        break;
      case 1:
        s.OnAll(false, [&](Transaction& t) {
          return Lift(CountPageViews(t, start, end));
        });
        break;
      case 2:
        s.OnAll(false, [&](Transaction& t) {
          return Lift(CountDistinctPaths(t, start, end));
        });
        break;
      case 3:
        s.OnAll(false,
                [&](Transaction& t) { return Lift(PopularPaths(t, limit)); });
        break;
      case 4:
        s.OnAll(false, [&](Transaction& t) {
          return Lift(PageViews(t, page, per_page, start, end));
        });
        break;
      case 5:
        s.OnAll(true, [&](Transaction& t) {
          return Lift(RecordExport(t, export_cid));
        });
        break;
      default:
        s.OnAll(false,
                [&](Transaction& t) { return Lift(ListExports(t, limit)); });
    }
  }
};

}  // namespace

std::vector<std::pair<int, CmdPtr (*)(const Model&)>> RecordRepositoryCommands(
    const Model&) {
  return {
      {2, &Make<InteractionRecord>}, {2, &Make<InteractionRead>},
      {2, &Make<InvocationCreate>},  {2, &Make<InvocationRead>},
      {3, &Make<PageViewOrExport>},
  };
}

}  // namespace viewer::property
