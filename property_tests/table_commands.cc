// Table-level commands: writes, reads and aggregates on any of the
// tables, and the generator that mixes every command kind (these, the
// transaction, writer and repository commands).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "app/schemas.h"
#include "property_tests/commands.h"
#include "property_tests/generators.h"
#include "property_tests/reference_rules.h"
#include "property_tests/repository_commands.h"
#include "property_tests/txn_commands.h"
#include "property_tests/writer_commands.h"

namespace viewer::property {
namespace {

using rc::gen::inRange;

const TableSchema& Schema(size_t t) { return AppCatalog().tables()[t]; }
const std::string& Name(size_t t) { return Schema(t).name(); }

struct TableStep : Step {
  size_t table = *inRange<size_t>(0, TableCount());
};

struct Insert : TableStep {
  Assignments values;
  explicit Insert(const Model& m) { values = GenInsert(Schema(table), m.max_id[table]); }
  void apply(Model& m) const override {
    int64_t explicit_id = 0;
    for (const auto& [c, v] : values) {
      if (c == "id" && !v.is_null()) explicit_id = v.integer();
    }
    m.max_id[table] = std::max(m.max_id[table] + 1,
                               std::min<int64_t>(explicit_id, 1 << 20));
  }
  std::string Describe() const override {
    return absl::StrCat("Insert ", Name(table), " ", ShowAssignments(values));
  }
  void Run(StoreSet& s) const override {
    s.OnAll(true,
            [&](Transaction& t) { return t.Insert(Name(table), values); });
  }
};

struct Update : TableStep {
  int64_t id;
  Assignments values;
  explicit Update(const Model& m)
      : id(GenId(m.max_id[table])), values(GenUpdate(Schema(table))) {}
  void apply(Model&) const override {}
  std::string Describe() const override {
    return absl::StrCat("Update ", Name(table), " id=", id, " ",
                        ShowAssignments(values));
  }
  void Run(StoreSet& s) const override {
    s.OnAll(true,
            [&](Transaction& t) { return t.Update(Name(table), id, values); });
  }
};

struct Delete : TableStep {
  int64_t id;
  explicit Delete(const Model& m) : id(GenId(m.max_id[table])) {}
  void apply(Model&) const override {}
  std::string Describe() const override {
    return absl::StrCat("Delete ", Name(table), " id=", id);
  }
  void Run(StoreSet& s) const override {
    s.OnAll(true, [&](Transaction& t) { return t.Delete(Name(table), id); });
  }
};

struct UpdateWhere : TableStep {
  std::vector<Filter> where;
  Assignments values;
  explicit UpdateWhere(const Model& m)
      : where(GenFilters(Schema(table), m.max_id[table])),
        values(GenUpdate(Schema(table))) {}
  void apply(Model&) const override {}
  std::string Describe() const override {
    return absl::StrCat("UpdateWhere ", Name(table), " [", ShowFilters(where),
                        "] ", ShowAssignments(values));
  }
  void Run(StoreSet& s) const override {
    s.OnAll(true, [&](Transaction& t) {
      return t.UpdateWhere(Name(table), where, values);
    });
  }
};

struct DeleteWhere : TableStep {
  std::vector<Filter> where;
  explicit DeleteWhere(const Model& m) {
    // Never "delete everything" by accident too often: at least one filter.
    where = {GenFilter(Schema(table), m.max_id[table])};
  }
  void apply(Model&) const override {}
  std::string Describe() const override {
    return absl::StrCat("DeleteWhere ", Name(table), " [", ShowFilters(where),
                        "]");
  }
  void Run(StoreSet& s) const override {
    s.OnAll(true,
            [&](Transaction& t) { return t.DeleteWhere(Name(table), where); });
  }
};

struct Get : TableStep {
  int64_t id;
  explicit Get(const Model& m) : id(GenId(m.max_id[table])) {}
  void apply(Model&) const override {}
  std::string Describe() const override {
    return absl::StrCat("Get ", Name(table), " id=", id);
  }
  void Run(StoreSet& s) const override {
    s.OnAll(false, [&](Transaction& t) { return t.Get(Name(table), id); });
  }
};

struct Select : TableStep {
  Query query;
  explicit Select(const Model& m) : query(GenQuery(Schema(table), m.max_id[table])) {}
  void apply(Model&) const override {}
  std::string Describe() const override {
    return absl::StrCat("Select ", Name(table), " ", query.DebugString());
  }
  void Run(StoreSet& s) const override {
    s.OnAll(false,
            [&](Transaction& t) { return t.Select(Name(table), query); });
  }
};

// The values Sum adds up, as the model's open or committed state has them.
std::vector<int64_t> SummedValues(StoreSet& s, const std::string& table,
                                  const std::string& column,
                                  const std::vector<Filter>& where) {
  std::vector<int64_t> out;
  auto rows = s.Collect(false, [&](Transaction& x) {
    return x.Select(table, {.where = where});
  })[0];
  const std::optional<size_t> c = AppCatalog().Find(table)->Find(column);
  if (!rows.ok() || !c) return out;
  for (const Row& r : *rows) {
    if (r[*c].kind() == ValueKind::kInteger) out.push_back(r[*c].integer());
  }
  return out;
}

// Count, count distinct, sum and count-by, chosen by `kind`.
struct Aggregate : TableStep {
  int kind = *inRange(0, 4);
  std::string column;
  std::vector<Filter> where;
  explicit Aggregate(const Model& m)
      : column(GenColumn(Schema(table))),
        where(GenFilters(Schema(table), m.max_id[table])) {
    // Sum mostly over INTEGER columns (others are an error on both).
    if (kind == 2 && *inRange(0, 4) != 0) {
      column = table == 0 && *inRange(0, 2) == 0 ? "file_size" : "id";
    }
  }
  void apply(Model&) const override {}
  // Sum is compared with the model, except where the values' sum fits but
  // a partial sum may not (SumDependsOnOrder): there the backends may
  // answer the total or "integer overflow", all of them the same.
  void RunSum(StoreSet& s) const {
    const std::string& t = Name(table);
    auto results = s.Collect(
        false, [&](Transaction& x) { return x.Sum(t, column, where); });
    bool same = true;
    for (size_t i = 1; i < results.size(); ++i) {
      same = same && Same(results[0], results[i]);
    }
    if (same) return;
    bool backends_agree = true;
    for (size_t i = 2; i < results.size(); ++i) {
      backends_agree = backends_agree && Same(results[1], results[i]);
    }
    const bool overflow =
        !results[1].ok() && Same(results[1].status(), IntegerOverflow());
    if (results[0].ok() && backends_agree && overflow &&
        SumDependsOnOrder(SummedValues(s, t, column, where))) {
      return;
    }
    s.FailAll(results, "results differ");
  }
  std::string Describe() const override {
    static const char* const kNames[] = {"Count", "CountDistinct", "Sum",
                                         "CountBy"};
    return absl::StrCat(kNames[kind], " ", Name(table),
                        kind == 0 ? "" : absl::StrCat(" ", column).c_str(),
                        " [", ShowFilters(where), "]");
  }
  void Run(StoreSet& s) const override {
    const std::string& t = Name(table);
    switch (kind) {
      case 0:
        s.OnAll(false, [&](Transaction& x) { return x.Count(t, where); });
        break;
      case 1:
        s.OnAll(false, [&](Transaction& x) {
          return x.CountDistinct(t, column, where);
        });
        break;
      case 2:
        RunSum(s);
        break;
      default:
        s.OnAll(false,
                [&](Transaction& x) { return x.CountBy(t, column, where); });
    }
  }
};

template <typename T>
CmdPtr Make(const Model& m) {
  return std::make_shared<T>(m);
}

}  // namespace

rc::Gen<CmdPtr> GenCommand(const Model& model) {
  return rc::gen::exec([model]() -> CmdPtr {
    struct Option {
      int weight;
      CmdPtr (*make)(const Model&);
    };
    std::vector<Option> options = {
        {30, &Make<Insert>},      {12, &Make<Update>},
        {6, &Make<Delete>},       {4, &Make<UpdateWhere>},
        {3, &Make<DeleteWhere>},  {5, &Make<Get>},
        {12, &Make<Select>},      {6, &Make<Aggregate>},
    };
    for (const auto& [weight, make] : TransactionCommands(model)) {
      options.push_back({weight, make});
    }
    for (const auto& [weight, make] : RepositoryCommands(model)) {
      options.push_back({weight, make});
    }
    for (const auto& [weight, make] : WriterCommands(model)) {
      options.push_back({weight, make});
    }
    int total = 0;
    for (const Option& o : options) total += o.weight;
    int pick = *inRange(0, total);
    for (const Option& o : options) {
      if (pick < o.weight) return o.make(model);
      pick -= o.weight;
    }
    return options.back().make(model);
  });
}

}  // namespace viewer::property
