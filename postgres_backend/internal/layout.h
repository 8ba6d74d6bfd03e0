// What PostgresStore::Open learned about the database's tables
// (schema_setup.h), kept for the store's lifetime and read by every
// transaction: column types and widths to check values against, unique
// index names to report violations with, sequences to keep ahead of max(id).
//
// Thread safety: built once before the store is shared, then only read.
#ifndef VIEWER_POSTGRES_BACKEND_INTERNAL_LAYOUT_H_
#define VIEWER_POSTGRES_BACKEND_INTERNAL_LAYOUT_H_

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace viewer::postgres_internal {

struct ColumnLayout {
  Oid type = 0;       // the column's type in the database
  int max_chars = 0;  // n of VARCHAR(n); 0: no limit
};

struct TableLayout {
  std::vector<ColumnLayout> columns;  // one per schema column, in order
  // Each single-column unique index (or UNIQUE/PRIMARY KEY constraint,
  // which owns an index of the same name): its name -> schema column.
  absl::flat_hash_map<std::string, size_t> unique_index_column;
  // The id column's sequence as a regclass literal ("public.server_id_seq"),
  // or empty when the column has none.
  std::string sequence;
};

struct Layout {
  std::string schema;               // the schema the tables live in
  int64_t lock_key = 0;             // the writers' advisory lock
  std::vector<TableLayout> tables;  // one per catalog table, in order
};

}  // namespace viewer::postgres_internal

#endif  // VIEWER_POSTGRES_BACKEND_INTERNAL_LAYOUT_H_
