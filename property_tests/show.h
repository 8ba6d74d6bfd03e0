// Printing and comparing the results the property tests compare: rows,
// values, counts, groups and whole tables, each maybe an error. Errors are
// equal when code and message are.
//
//   if (!Same(model_result, backend_result)) Fail(Show(backend_result));
#ifndef VIEWER_PROPERTY_TESTS_SHOW_H_
#define VIEWER_PROPERTY_TESTS_SHOW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/query.h"
#include "engine/value.h"

namespace viewer::property {

// "ok", or the code and message.
std::string Show(const absl::Status& s);
std::string Show(const Row& r);
std::string Show(const std::vector<Row>& rows);
std::string Show(const std::vector<GroupCount>& groups);
std::string Show(const Value& v);
std::string Show(int64_t n);
// Every table of the application catalog, one per line.
std::string Show(const std::vector<std::vector<Row>>& tables);

template <typename T>
std::string Show(const absl::StatusOr<T>& r) {
  return r.ok() ? Show(*r) : Show(r.status());
}

inline bool Same(const absl::Status& a, const absl::Status& b) {
  return a.code() == b.code() && a.message() == b.message();
}

// Both ok with equal values, or the same code and message.
template <typename T>
bool Same(const absl::StatusOr<T>& a, const absl::StatusOr<T>& b) {
  if (a.ok() != b.ok()) return false;
  return a.ok() ? *a == *b : Same(a.status(), b.status());
}

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_SHOW_H_
