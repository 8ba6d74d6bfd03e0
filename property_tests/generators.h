// Generators of values, filters, queries and assignments for the
// application tables. They are built to collide: names come from a small
// alphabet, NULL shows up in NOT NULL columns too, and the odd bytes that
// break naive code (0x00, 0xFF, '_', '%', quotes, mixed case, non-ASCII)
// come up often. Call them only inside a RapidCheck generation context
// (a command's constructor): they pick with `*gen`.
#ifndef VIEWER_PROPERTY_TESTS_GENERATORS_H_
#define VIEWER_PROPERTY_TESTS_GENERATORS_H_

#include <string>
#include <vector>

#include "engine/query.h"
#include "engine/schema.h"
#include "engine/value.h"

namespace viewer::property {

// The manual clocks' start; generated timestamps fall around it.
inline constexpr int64_t kClockStart = 1'700'000'000'000'000;

std::string GenText();
std::string GenBytes();
// A value for `column`: usually of its type, sometimes NULL.
Value GenValue(const Column& column);
// A value for a prefix filter on `column`: short, so it often matches.
Value GenPrefix(const Column& column);
Filter GenFilter(const TableSchema& table, int64_t max_id);
std::vector<Filter> GenFilters(const TableSchema& table, int64_t max_id);
std::vector<Order> GenOrder(const TableSchema& table);
Query GenQuery(const TableSchema& table, int64_t max_id);
// Columns for an insert: the NOT NULL ones usually, the others sometimes.
Assignments GenInsert(const TableSchema& table, int64_t max_id);
// One to three columns (rarely none) for an update.
Assignments GenUpdate(const TableSchema& table);
// An id that exists often and is missing sometimes.
int64_t GenId(int64_t max_id);
// A column name of `table` (id included).
std::string GenColumn(const TableSchema& table);

// Renders assignments, filters and queries for failure messages.
std::string ShowAssignments(const Assignments& a);
std::string ShowFilters(const std::vector<Filter>& f);

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_GENERATORS_H_
