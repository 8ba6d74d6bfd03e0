// The tables in the database: the original application's layout created on
// an empty schema, a database the original made read and written without
// changing its layout (its sequences still serving its own INSERTs), and
// values its narrower columns cannot hold refused.
#include <string>

#include "absl/strings/str_cat.h"
#include "app/schemas.h"
#include "engine/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/postgres_backend/original_layout.h"
#include "tests/postgres_backend/pg_test_util.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::HasSubstr;

class LayoutTest : public PgTest {};

TEST_F(LayoutTest, CreatesTheOriginalTablesOnAnEmptySchema) {
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(AppCatalog()));
  EXPECT_EQ(Raw("SELECT string_agg(tablename, ' ' ORDER BY tablename)"
                " FROM pg_tables WHERE schemaname = current_schema()"),
            "alias cid entity_interactions export page_view secret server "
            "server_invocation variable");
  EXPECT_EQ(
      Raw("SELECT string_agg(column_name || ' ' || data_type || ' ' ||"
          " is_nullable || ' ' || coalesce(collation_name, '-') || ' ' ||"
          " coalesce(column_default, '-'), E'\\n' ORDER BY ordinal_position)"
          " FROM information_schema.columns WHERE table_schema ="
          " current_schema() AND table_name = 'server'"),
      absl::StrCat("id bigint NO - nextval('server_id_seq'::regclass)\n"
                   "name character varying NO C -\n"
                   "definition character varying NO C -\n"
                   "definition_cid character varying YES C -\n"
                   "created_at timestamp without time zone YES - -\n"
                   "updated_at timestamp without time zone YES - -\n"
                   "enabled boolean NO - true"));
  EXPECT_EQ(Raw("SELECT string_agg(indexname || ' ' || (indexdef LIKE"
                " 'CREATE UNIQUE%')::text, ', ' ORDER BY indexname)"
                " FROM pg_indexes WHERE schemaname = current_schema()"
                " AND tablename IN ('server', 'cid')"),
            "cid_pkey true, ix_cid_path true, ix_server_definition_cid false, "
            "ix_server_name true, server_pkey true");
  EXPECT_EQ(Raw("SELECT data_type FROM information_schema.columns WHERE"
                " table_schema = current_schema() AND table_name = 'cid'"
                " AND column_name IN ('file_data', 'file_size')"
                " ORDER BY column_name"),
            "bytea\nbigint");
}

TEST_F(LayoutTest, AUniqueColumnWithoutAnIndexGetsAUniqueConstraint) {
  Catalog catalog(
      {TableSchema("tag", {Column("label", ColumnType::kText).Unique(),
                           Column("hits", ColumnType::kInteger)})});
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(catalog));
  EXPECT_EQ(
      Raw("SELECT string_agg(conname || ' ' || contype::text, ', ' ORDER BY"
          " conname) FROM pg_constraint WHERE connamespace ="
          " current_schema()::regnamespace"),
      "tag_label_key u, tag_pkey p");
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
  ASSERT_OK(txn->Insert("tag", {{"label", Value::Text("x")}}));
  EXPECT_THAT(txn->Insert("tag", {{"label", Value::Text("x")}}),
              StatusIs(StatusCode::kAlreadyExists,
                       "UNIQUE constraint failed: tag.label"));
  EXPECT_THAT(
      txn->Insert("tag", {{"id", Value::Integer(1)}}),
      StatusIs(StatusCode::kAlreadyExists, "UNIQUE constraint failed: tag.id"));
}

TEST_F(LayoutTest, OpeningAgainChangesNothing) {
  { ASSERT_OK_AND_ASSIGN(auto store, OpenStore(AppCatalog())); }
  const std::string before = Fingerprint();
  ASSERT_THAT(before, HasSubstr("server:r:"));
  { ASSERT_OK_AND_ASSIGN(auto store, OpenStore(AppCatalog())); }
  EXPECT_EQ(Fingerprint(), before);
}

class OriginalDatabaseTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_OK(RawSql(kOriginalLayout));
    // Rows the original application wrote, as plain SQL.
    ASSERT_OK(
        RawSql("INSERT INTO server (name, definition, created_at, updated_at)"
               " VALUES ('alpha', 'def a', '2024-02-29 23:59:59.123456',"
               " '2024-03-01 00:00:00.000001');"
               "INSERT INTO server (name, definition, enabled, created_at)"
               " VALUES ('beta', 'def b', false, '1999-12-31 23:59:59');"
               "INSERT INTO cid (path, file_data, file_size, created_at)"
               " VALUES ('/AAAAAAAD', '\\x00ff7f80'::bytea, 4,"
               " '2030-01-01 12:00:00.5');"));
    before_ = Fingerprint();
  }

  std::string before_;
};

TEST_F(OriginalDatabaseTest, ReadsWhatTheOriginalWrote) {
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(AppCatalog()));
  EXPECT_EQ(Fingerprint(), before_);
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadOnly));
  ASSERT_OK_AND_ASSIGN(Row alpha, txn->Get("server", 1));
  ASSERT_OK_AND_ASSIGN(Timestamp created,
                       Timestamp::Parse("2024-02-29 23:59:59.123456"));
  ASSERT_OK_AND_ASSIGN(Timestamp updated,
                       Timestamp::Parse("2024-03-01 00:00:00.000001"));
  const Row want{{Value::Integer(1), Value::Text("alpha"), Value::Text("def a"),
                  Value(), Value::Time(created), Value::Time(updated),
                  Value::Boolean(true)}};
  EXPECT_EQ(alpha, want);
  ASSERT_OK_AND_ASSIGN(Row beta, txn->Get("server", 2));
  EXPECT_EQ(beta[6], Value::Boolean(false));
  ASSERT_OK_AND_ASSIGN(Row cid, txn->Get("cid", 1));
  EXPECT_EQ(cid[2], Value::Blob(std::string("\x00\xff\x7f\x80", 4)));
  EXPECT_EQ(cid[3], Value::Integer(4));
  EXPECT_EQ(cid[4].timestamp().ToString(), "2030-01-01 12:00:00.500000");
}

TEST_F(OriginalDatabaseTest,
       WritesWithoutChangingTheLayoutAndKeepsItsSequences) {
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(AppCatalog()));
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
    ASSERT_OK_AND_ASSIGN(
        int64_t id, txn->Insert("server", {{"name", Value::Text("gamma")},
                                           {"definition", Value::Text("g")}}));
    EXPECT_EQ(id, 3);
    ASSERT_OK(txn->Update("server", 1, {{"enabled", Value::Boolean(false)}}));
    ASSERT_OK(txn->Insert("cid", {{"id", Value::Integer(10)},
                                  {"path", Value::Text("/x")},
                                  {"file_data", Value::Blob("")}}));
    ASSERT_OK(txn->Commit());
  }
  EXPECT_EQ(Fingerprint(), before_);
  // The original's own INSERTs take ids from the sequences: still fresh.
  EXPECT_EQ(Raw("INSERT INTO server (name, definition) VALUES ('delta', 'd')"
                " RETURNING id"),
            "4");
  EXPECT_EQ(Raw("INSERT INTO cid (path, file_data) VALUES ('/y', '')"
                " RETURNING id"),
            "11");
  EXPECT_EQ(Raw("SELECT string_agg(name || ' ' || enabled::text, ', '"
                " ORDER BY id) FROM server"),
            "alpha false, beta false, gamma true, delta true");
  // And ours continue after theirs.
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
  EXPECT_EQ(txn->Insert("server", {{"name", Value::Text("epsilon")},
                                   {"definition", Value::Text("e")}})
                .value_or(-1),
            5);
}

TEST_F(OriginalDatabaseTest, RefusesWhatItsNarrowerColumnsCannotHold) {
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(AppCatalog()));
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
  // 100 characters fit VARCHAR(100), even as 200 bytes.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "\xc3\xa9";
  EXPECT_OK(txn->Insert("server", {{"name", Value::Text(hundred)},
                                   {"definition", Value::Text("d")}}));
  EXPECT_THAT(
      txn->Insert("server", {{"name", Value::Text(hundred + "x")},
                             {"definition", Value::Text("d")}}),
      StatusIs(StatusCode::kInvalidArgument,
               "value too long for server.name: the database's column holds "
               "at most 100 characters"));
  EXPECT_THAT(txn->Update("cid", 1, {{"file_size", Value::Integer(1LL << 31)}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "integer out of range for cid.file_size: the "
                       "database's column holds 32-bit integers"));
  EXPECT_OK(
      txn->Update("cid", 1, {{"file_size", Value::Integer((1LL << 31) - 1)}}));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(Raw("SELECT count(*) FROM server"), "3");
  EXPECT_EQ(Raw("SELECT file_size FROM cid"), "2147483647");
}

// A constraint of the database that the schema does not have is still
// reported in the contract's words.
TEST_F(OriginalDatabaseTest, ItsOwnNotNullIsReportedAsTheContractsError) {
  ASSERT_OK(
      RawSql("UPDATE server SET definition_cid = 'x';"
             "ALTER TABLE server ALTER definition_cid SET NOT NULL"));
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(AppCatalog()));
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
  EXPECT_THAT(txn->Insert("server", {{"name", Value::Text("n")},
                                     {"definition", Value::Text("d")}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "NOT NULL constraint failed: server.definition_cid"));
  // The failed statement left the transaction usable.
  EXPECT_OK(txn->Insert("server", {{"name", Value::Text("n")},
                                   {"definition", Value::Text("d")},
                                   {"definition_cid", Value::Text("c")}}));
  EXPECT_OK(txn->Commit());
}

// Another program changes the layout under a running store: the statement
// that no longer prepares fails, and the transaction goes on.
TEST_F(OriginalDatabaseTest, AStatementThatNoLongerPreparesChangesNothing) {
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(AppCatalog()));
  ASSERT_OK(RawSql("ALTER TABLE server DROP COLUMN definition_cid"));
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadWrite));
  ASSERT_OK(txn->Insert("export", {{"cid", Value::Text("AAAAAAAA")}}));
  auto failed = txn->Insert(
      "server", {{"name", Value::Text("n")}, {"definition", Value::Text("d")}});
  EXPECT_THAT(failed, StatusIs(StatusCode::kInternal));
  EXPECT_THAT(std::string(failed.status().message()),
              HasSubstr("\"definition_cid\" of relation \"server\" does not "
                        "exist (SQLSTATE 42703)"));
  ASSERT_OK(txn->Insert("export", {{"cid", Value::Text("AAAAAAAB")}}));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(Raw("SELECT string_agg(cid, ' ' ORDER BY id) FROM export"),
            "AAAAAAAA AAAAAAAB");
  EXPECT_EQ(Raw("SELECT count(*) FROM server"), "2");
}

// The original's text columns sort by the database's collation; viewer
// still orders bytewise there.
TEST_F(OriginalDatabaseTest, OrdersBytewiseWhateverTheDatabaseCollation) {
  ASSERT_EQ(Raw("SELECT ('a' < 'B')::text"), "true")
      << "the test cluster's default collation must not be bytewise "
         "(scripts/pg_cluster.sh uses ICU en-US)";
  ASSERT_OK(
      RawSql("INSERT INTO alias (name) VALUES ('b'), ('A'), ('a'), "
             "('B'), ('_'), ('ab')"));
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(AppCatalog()));
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin(TransactionMode::kReadOnly));
  Query q;
  q.order_by = {{"name"}};
  ASSERT_OK_AND_ASSIGN(std::vector<Row> rows, txn->Select("alias", q));
  std::string names;
  for (const Row& r : rows) absl::StrAppend(&names, r[1].text(), " ");
  EXPECT_EQ(names, "A B _ a ab b ");
  q.where = {Filter::Prefix("name", Value::Text("a")),
             Filter::Lt("name", Value::Text("b"))};
  ASSERT_OK_AND_ASSIGN(rows, txn->Select("alias", q));
  names.clear();
  for (const Row& r : rows) absl::StrAppend(&names, r[1].text(), " ");
  EXPECT_EQ(names, "a ab ");
}

class ForeignLayoutTest : public PgTest {
 protected:
  // Opening must fail with `message` and leave the schema as it was.
  void ExpectRefused(const std::string& message) {
    const std::string before = Fingerprint();
    auto store = OpenStore(AppCatalog());
    EXPECT_THAT(store, StatusIs(StatusCode::kFailedPrecondition));
    EXPECT_THAT(std::string(store.status().message()), HasSubstr(message));
    EXPECT_EQ(std::string(store.status().message()).find('\n'),
              std::string::npos);
    EXPECT_EQ(Fingerprint(), before);
  }
};

TEST_F(ForeignLayoutTest, AnotherApplicationsTables) {
  ASSERT_OK(
      RawSql("CREATE TABLE users (id SERIAL PRIMARY KEY, email TEXT);"
             "CREATE TABLE orders (id SERIAL PRIMARY KEY)"));
  ExpectRefused(absl::StrCat("schema \"", schema_->name(),
                             "\" in postgresql:///viewer?host="));
  ExpectRefused("holds other tables (orders, users) and none of viewer's");
}

TEST_F(ForeignLayoutTest, AMissingColumn) {
  ASSERT_OK(RawSql(kOriginalLayout));
  ASSERT_OK(RawSql("ALTER TABLE server DROP COLUMN definition_cid"));
  ExpectRefused(
      "has no column server.definition_cid; the database's layout does not "
      "match the schema");
}

TEST_F(ForeignLayoutTest, AColumnOfTheWrongType) {
  ASSERT_OK(
      RawSql("CREATE TABLE secret (id SERIAL PRIMARY KEY, name INTEGER,"
             " definition TEXT, created_at TIMESTAMP, updated_at"
             " TIMESTAMP, enabled BOOLEAN)"));
  ExpectRefused("existing table secret in postgresql:///viewer?host=");
  ExpectRefused(
      "has a column of the wrong type (viewer stores TEXT) in "
      "secret.name");
}

TEST_F(ForeignLayoutTest, AUniqueColumnWithoutAUniqueIndex) {
  ASSERT_OK(RawSql(kOriginalLayout));
  ASSERT_OK(
      RawSql("DROP INDEX ix_variable_name;"
             "CREATE INDEX ix_variable_name ON variable (name)"));
  ExpectRefused("has no unique index on variable.name");
}

TEST_F(ForeignLayoutTest, NoSchemaToCreateTablesIn) {
  PostgresOptions o = Options(AppCatalog());
  o.url = cluster_->Url("viewer", "postgres",
                        "&options=-csearch_path%3Dno_such_schema");
  EXPECT_THAT(PostgresStore::Open(o),
              StatusIs(StatusCode::kFailedPrecondition,
                       absl::StrCat(cluster_->Url("viewer"),
                                    " has no schema to keep viewer's tables "
                                    "in: its search_path names no schema "
                                    "that exists")));
}

TEST_F(ForeignLayoutTest, ADatabaseThatIsNotUtf8) {
  ASSERT_OK_AND_ASSIGN(
      auto db, PgDatabase::Create(*cluster_,
                                  "ENCODING 'LATIN1' LOCALE_PROVIDER libc "
                                  "LOCALE 'C' TEMPLATE template0"));
  PostgresOptions o = Options(AppCatalog());
  o.url = db->url();
  EXPECT_THAT(PostgresStore::Open(o),
              StatusIs(StatusCode::kFailedPrecondition,
                       absl::StrCat(db->url(),
                                    " stores text as LATIN1; viewer needs a "
                                    "database created with ENCODING 'UTF8'")));
  EXPECT_EQ(*cluster_->Sql(db->name(),
                           "SELECT count(*) FROM pg_tables WHERE "
                           "schemaname = 'public'"),
            "0");
}

}  // namespace
}  // namespace viewer::testing
