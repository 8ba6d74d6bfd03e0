#include "property_tests/show.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/schemas.h"

namespace viewer::property {

std::string Show(const absl::Status& s) {
  if (s.ok()) return "ok";
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
    const std::string name = t < AppCatalog().tables().size()
                                 ? AppCatalog().tables()[t].name()
                                 : absl::StrCat("table ", t);
    absl::StrAppend(&out, "\n    ", name, ": ", Show(tables[t]));
  }
  return out;
}

std::string Show(const std::vector<GroupCount>& groups) {
  return absl::StrCat("{",
                      absl::StrJoin(groups, ", ",
                                    [](std::string* out, const GroupCount& g) {
                                      absl::StrAppend(out, g.key.DebugString(),
                                                      ": ", g.count);
                                    }),
                      "}");
}

}  // namespace viewer::property
