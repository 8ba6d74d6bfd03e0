// The rules of the reference model (reference_store.h), one function per
// sentence of the contract (engine/store.h, engine/query.h), over plain
// ordered maps. Written from those comments, not from either backend: no
// function here calls the engine's own matching or ordering code.
//
//   Table rows;
//   absl::StatusOr<int64_t> id = InsertRow(schema, rows, {Value(), ...});
//   std::vector<Row> all = SelectRows(rows, BoundQuery{});
//
// Thread safety: pure functions; a Table is a plain value.
#ifndef VIEWER_PROPERTY_TESTS_REFERENCE_RULES_H_
#define VIEWER_PROPERTY_TESTS_REFERENCE_RULES_H_

#include <cstdint>
#include <map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/query.h"
#include "engine/schema.h"
#include "engine/value.h"

namespace viewer::property {

// One table: rows by id, each with a value for every column (values[0] is
// the id again).
using Table = std::map<int64_t, std::vector<Value>>;
// Every table of a catalog, in catalog order.
using Tables = std::vector<Table>;

// The order of two values of one column: NULL first, then by value;
// INTEGER numerically, TEXT and BLOB bytewise (unsigned), false before
// true, TIMESTAMP chronologically. <0, 0 or >0.
int CompareColumnValues(const Value& a, const Value& b);

// SQL's meaning of one filter on one value: a NULL value or a NULL operand
// never matches a comparison or IN; PREFIX is a byte prefix of TEXT or
// BLOB, case-sensitive, without wildcards.
bool Satisfies(const BoundFilter& f, const Value& v);

// The rows matching every filter, in id order.
std::vector<const std::vector<Value>*> MatchingRows(
    const Table& table, const std::vector<BoundFilter>& where);

// Inserts `row` (row[0] NULL: the id is max(id)+1 of the table, 1 when
// empty). A taken id is "UNIQUE constraint failed: t.id"; then each UNIQUE
// column in schema order. Returns the id; on error `table` is unchanged.
absl::StatusOr<int64_t> InsertRow(const TableSchema& schema, Table& table,
                                  std::vector<Value> row);

// Sets the assigned columns of row `id` (kNotFound when there is none),
// checking UNIQUE against every other row.
absl::Status UpdateRow(const TableSchema& schema, Table& table, int64_t id,
                       const std::vector<std::pair<size_t, Value>>& set);

// Updates every matching row, one at a time in id order, each checked
// against the table as the earlier ones left it; all or nothing.
absl::StatusOr<int64_t> UpdateMatching(
    const TableSchema& schema, Table& table,
    const std::vector<BoundFilter>& where,
    const std::vector<std::pair<size_t, Value>>& set);

// Matching rows ordered by the query's columns, then id ascending, then
// OFFSET and LIMIT.
std::vector<Row> SelectRows(const Table& table, const BoundQuery& query);

// Distinct non-NULL values of `column` among matching rows.
int64_t CountDistinctValues(const Table& table, size_t column,
                            const std::vector<BoundFilter>& where);

// The exact sum of the non-NULL values of an INTEGER column; NULL over no
// values; "integer overflow" (kOutOfRange) when it is past int64.
absl::StatusOr<Value> SumValues(const Table& table, size_t column,
                                const std::vector<BoundFilter>& where);

// True when the sum of `values` fits in int64 but some order of adding
// them passes int64 on the way (all the positives first, say). The
// contract says only "integer overflow past int64"; the backends add in
// the order they scan (by id, or along an index a filter uses) and fail at
// the first partial sum past int64, so for such values either answer, the
// total or "integer overflow", keeps the contract's words, and the
// property accepts either (as long as every backend gives the same).
bool SumDependsOnOrder(const std::vector<int64_t>& values);

// Matching rows counted per value of `column`, NULL a group of its own,
// ordered by value with NULL first.
std::vector<GroupCount> CountGroups(const Table& table, size_t column,
                                    const std::vector<BoundFilter>& where);

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_REFERENCE_RULES_H_
