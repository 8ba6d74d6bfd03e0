// Fixtures for the PostgreSQL backend's unit tests: a fresh schema of the
// test run's cluster per test (tools/pg_cluster/pg_cluster.h), stores opened
// on it, and plain SQL run in it the way another program (the original
// application, psql) would.
//
//   class MyTest : public PgTest {};
//   TEST_F(MyTest, Reads) {
//     ASSERT_OK(RawSql("CREATE TABLE t (id SERIAL PRIMARY KEY)"));
//     ASSERT_OK_AND_ASSIGN(auto store, OpenStore(AppCatalog()));
//     EXPECT_EQ(*RawSql("SELECT count(*) FROM t"), "0");
//   }
#ifndef VIEWER_TESTS_POSTGRES_BACKEND_PG_TEST_UTIL_H_
#define VIEWER_TESTS_POSTGRES_BACKEND_PG_TEST_UTIL_H_

#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/clock.h"
#include "engine/schema.h"
#include "gtest/gtest.h"
#include "postgres_backend/postgres_store.h"
#include "tests/testutil.h"
#include "tools/pg_cluster/pg_cluster.h"

namespace viewer {

inline void PrintTo(const Value& v, std::ostream* os) {
  *os << v.DebugString();
}
inline void PrintTo(const Row& r, std::ostream* os) { *os << r.DebugString(); }

}  // namespace viewer

namespace viewer::testing {

class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<PgCluster*> cluster = PgCluster::Get();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *cluster;
    absl::StatusOr<std::unique_ptr<PgSchema>> schema =
        PgSchema::Create(*cluster_);
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = *std::move(schema);
  }

  // Options for a store on this test's schema.
  PostgresOptions Options(const Catalog& catalog) {
    PostgresOptions o;
    o.url = schema_->url();
    o.catalog = catalog;
    o.clock = &clock_;
    o.busy_timeout = absl::Milliseconds(200);
    return o;
  }
  absl::StatusOr<std::unique_ptr<PostgresStore>> OpenStore(
      const Catalog& catalog) {
    return PostgresStore::Open(Options(catalog));
  }

  // Runs `sql` in this test's schema as the superuser; the first column of
  // the last statement's rows, one per line.
  absl::StatusOr<std::string> RawSql(absl::string_view sql) {
    return cluster_->Sql(
        "viewer",
        absl::StrCat("SET search_path = ", schema_->name(), "; ", sql));
  }
  std::string Raw(absl::string_view sql) {
    absl::StatusOr<std::string> r = RawSql(sql);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or("<error>");
  }

  // Everything the catalog says about the schema's tables, columns and
  // indexes, with the transaction that last wrote each catalog row: equal
  // before and after only if nothing was created, altered or rewritten.
  std::string Fingerprint() {
    return Raw(
        "SELECT string_agg(c.relname || ':' || c.relkind::text || ':' ||"
        " c.xmin::text"
        " || ':' || coalesce((SELECT string_agg(a.attname || ' ' ||"
        " format_type(a.atttypid, a.atttypmod) || ' ' || a.xmin::text, ',' "
        " ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid"
        " AND a.attnum > 0), ''), E'\\n' ORDER BY c.relname)"
        " FROM pg_class c WHERE c.relnamespace = "
        "current_schema()::regnamespace");
  }

  PgCluster* cluster_ = nullptr;
  std::unique_ptr<PgSchema> schema_;
  // 1700000000 s after the epoch is 2023-11-14 22:13:20 UTC.
  ManualClock clock_{Timestamp{1'700'000'000'000'000}};
};

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_POSTGRES_BACKEND_PG_TEST_UTIL_H_
