// The schema and fixture shared by the storage contract tests, which run
// every body on every backend.
#ifndef VIEWER_TESTS_STORAGE_CONTRACT_FIXTURE_H_
#define VIEWER_TESTS_STORAGE_CONTRACT_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "engine/store.h"
#include "gtest/gtest.h"
#include "tests/printers.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {

// thing: id, name (TEXT NOT NULL UNIQUE, indexed), note (TEXT), tag (TEXT,
// indexed), data (BLOB), count (INTEGER), score (INTEGER, indexed),
// flag (BOOLEAN NOT NULL DEFAULT true), at (TIMESTAMP DEFAULT now, indexed),
// updated (TIMESTAMP DEFAULT now, now on update).
// other: id, code (TEXT UNIQUE, not indexed), payload (BLOB NOT NULL),
// kind (TEXT DEFAULT 'plain').
const Catalog& ContractCatalog();

// Column positions in `thing`.
enum ThingColumn {
  kId = 0, kName, kNote, kTag, kData, kCount, kScore, kFlag, kAt, kUpdated
};

inline Value T(std::string s) { return Value::Text(std::move(s)); }
inline Value I(int64_t v) { return Value::Integer(v); }
inline Value B(std::string s) { return Value::Blob(std::move(s)); }

class ContractTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  ContractTest() : h_(GetParam(), ContractCatalog()) {}

  // Inserts `name` with the given extra columns in its own transaction.
  int64_t AddThing(const std::string& name, Assignments extra = {});
  // All rows of `table` in id order, read in a fresh read-only transaction.
  std::vector<Row> All(const std::string& table = "thing");
  // Names of the rows `query` returns from `thing`, in order.
  std::vector<std::string> Names(const Query& query);

  StoreHarness h_;
};

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_STORAGE_CONTRACT_FIXTURE_H_
