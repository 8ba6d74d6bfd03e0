// Renders the repositories' results for the property's mismatch messages,
// and Val<T>: a repository result wrapped so that StoreSet's comparison
// (Same / Show, found by argument-dependent lookup) can print it.
//
//   s.OnAll(true, [&](Transaction& t) { return Lift(CreateEntity(...)); });
#ifndef VIEWER_PROPERTY_TESTS_REPOSITORY_SHOW_H_
#define VIEWER_PROPERTY_TESTS_REPOSITORY_SHOW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/exports.h"
#include "app/interactions.h"
#include "app/invocations.h"
#include "app/page_views.h"

namespace viewer::property {

std::string Render(const std::string& s);
std::string Render(int64_t n);
std::string Render(bool b);
std::string Render(const std::optional<std::string>& s);
std::string Render(const Entity& e);
std::string Render(const Interaction& i);
std::string Render(const CidRecord& r);
std::string Render(const PageView& v);
std::string Render(const PathCount& p);
std::string Render(const PageViewPage& p);
std::string Render(const Invocation& i);
std::string Render(const ExportRecord& r);

template <typename T>
std::string Render(const std::vector<T>& list) {
  std::string out = absl::StrCat("[", list.size(), "]");
  for (const T& x : list) absl::StrAppend(&out, "\n      ", Render(x));
  return out;
}

// A repository result, compared with == and shown with Render.
template <typename T>
struct Val {
  T v;
  friend bool operator==(const Val& a, const Val& b) { return a.v == b.v; }
  friend std::string Show(const Val& x) { return Render(x.v); }
};

template <typename T>
absl::StatusOr<Val<T>> Lift(absl::StatusOr<T> r) {
  if (!r.ok()) return r.status();
  return Val<T>{*std::move(r)};
}

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_REPOSITORY_SHOW_H_
