// The catalog the SQLite backend's unit tests use: three small tables in
// the application's style, covering every column type and every
// unique/indexed combination the on-disk layout distinguishes.
#ifndef VIEWER_TESTS_SQLITE_BACKEND_TEST_CATALOG_H_
#define VIEWER_TESTS_SQLITE_BACKEND_TEST_CATALOG_H_

#include "engine/schema.h"
#include "engine/value.h"

namespace viewer::testing {

// server: as the application's (unique+indexed, indexed-only, "now"
// columns, a boolean with a default). cid: a blob column. tag: a column
// that is unique but not indexed, and an integer to sum.
inline Catalog TestCatalog() {
  return Catalog({
      TableSchema(
          "server",
          {
              Column("name", ColumnType::kText).NotNull().Unique().Indexed(),
              Column("definition", ColumnType::kText).NotNull(),
              Column("definition_cid", ColumnType::kText).Indexed(),
              Column("created_at", ColumnType::kTimestamp).DefaultNow(),
              Column("updated_at", ColumnType::kTimestamp)
                  .DefaultNow()
                  .NowOnUpdate(),
              Column("enabled", ColumnType::kBoolean)
                  .NotNull()
                  .Default(Value::Boolean(true)),
          }),
      TableSchema(
          "cid",
          {
              Column("path", ColumnType::kText).NotNull().Unique().Indexed(),
              Column("file_data", ColumnType::kBlob).NotNull(),
              Column("file_size", ColumnType::kInteger),
          }),
      TableSchema("tag",
                  {
                      Column("label", ColumnType::kText).Unique(),
                      Column("weight", ColumnType::kInteger),
                      Column("data", ColumnType::kBlob),
                  }),
  });
}

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_SQLITE_BACKEND_TEST_CATALOG_H_
