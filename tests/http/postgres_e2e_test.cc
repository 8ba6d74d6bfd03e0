// The real viewer binary on PostgreSQL (docs/postgres.md): DATABASE_URL
// forms, /status naming the server but never the password, one clear line
// for every database that cannot be used at start, --load from PostgreSQL
// (only read), `viewer copy` between SQLite and PostgreSQL, and 503 while
// the server is down, then recovery.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/live_viewer.h"
#include "tests/temp_dir.h"
#include "tests/testutil.h"
#include "tools/pg_cluster/pg_cluster.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

constexpr char kPassword[] = "pw-Never-Shown-7";

PgCluster& Cluster() {
  absl::StatusOr<PgCluster*> cluster = PgCluster::Get();
  EXPECT_TRUE(cluster.ok()) << cluster.status();
  if (!cluster.ok()) std::abort();
  return **cluster;
}

// A login role with kPassword that may create tables in `schema`, dropped
// with everything it owns when the object dies.
class PasswordRole {
 public:
  explicit PasswordRole(const PgSchema& schema)
      : name_(PgCluster::UniqueName("role")) {
    absl::StatusOr<std::string> made = Cluster().Sql(
        "viewer",
        absl::StrCat("CREATE ROLE ", name_, " LOGIN PASSWORD '", kPassword,
                     "'; GRANT ALL ON SCHEMA ", schema.name(), " TO ", name_));
    EXPECT_TRUE(made.ok()) << made.status();
  }
  ~PasswordRole() {
    (void)Cluster().Sql(
        "viewer", absl::StrCat("DROP OWNED BY ", name_, "; DROP ROLE ", name_));
  }
  const std::string& name() const { return name_; }
  // postgresql://ROLE:PASSWORD@/DB?host=...: the password in the URL's
  // user part, the socket folder as a parameter.
  std::string Url(const PgSchema& schema, absl::string_view password,
                  absl::string_view database = "viewer") const {
    return absl::StrCat("postgresql://", name_, ":", password, "@/", database,
                        "?host=", Cluster().dir(),
                        "&port=5432&options=-csearch_path%3D", schema.name());
  }

 private:
  const std::string name_;
};

struct Exited {
  int code = -1;
  std::string out, err;
};

// Runs viewer with `args` and DATABASE_URL=`url` (unset when empty) until it
// exits by itself.
Exited RunToExit(std::vector<std::string> args, const std::string& url,
                 const std::string& cwd = "") {
  TempDir work, logs;
  args.insert(args.begin(), ViewerBinary());
  std::map<std::string, std::optional<std::string>> env;
  env["DATABASE_URL"] =
      url.empty() ? std::nullopt : std::optional<std::string>(url);
  ChildProcess child(args, {.cwd = cwd.empty() ? work.path() : cwd,
                            .logs = logs.path(),
                            .env = env});
  Exited out;
  out.code = child.Wait(60000);
  out.out = child.Stdout();
  out.err = child.Stderr();
  return out;
}

// The one value of a one-column, one-row query in database "viewer".
std::string SqlValue(absl::string_view sql) {
  absl::StatusOr<std::string> v = Cluster().Sql("viewer", sql);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? std::string(absl::StripTrailingAsciiWhitespace(*v)) : "";
}

int Create(LiveViewer& v, const std::string& name) {
  httplib::Result r = v.Client()->Post(
      "/servers", json({{"name", name}, {"definition", "def " + name}}).dump(),
      "application/json");
  return r ? r->status : -1;
}

int GetStatus(LiveViewer& v, const std::string& path) {
  httplib::Result r = v.Client()->Get(path);
  return r ? r->status : -1;
}

TEST(PostgresViewerTest, ServesAndNamesTheServerNeverThePassword) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgSchema> schema,
                       PgSchema::Create(Cluster()));
  PasswordRole role(*schema);
  {
    LiveViewer v({}, {{"DATABASE_URL", role.Url(*schema, kPassword)}});
    ASSERT_TRUE(v.started()) << v.child().Stderr();
    EXPECT_EQ(Create(v, "alpha"), 201);
    json status = JsonOf(v.Client()->Get("/status.json"));
    EXPECT_EQ(status["mode"], "postgresql");
    EXPECT_THAT(status["database"].get<std::string>(),
                HasSubstr("(PostgreSQL "));
    EXPECT_THAT(status.dump(), Not(HasSubstr(kPassword)));
    httplib::Result page = v.Client()->Get("/status");
    ASSERT_TRUE(page);
    EXPECT_THAT(page->body, HasSubstr("PostgreSQL"));
    EXPECT_THAT(page->body, Not(HasSubstr(kPassword)));
    EXPECT_EQ(v.Stop(), 0);
    EXPECT_THAT(v.child().Stdout(), HasSubstr("viewer [postgresql] "));
    EXPECT_THAT(v.child().Stdout() + v.child().Stderr(),
                Not(HasSubstr(kPassword)));
  }
  // The row is in the database itself, in the schema of the URL.
  EXPECT_EQ(SqlValue(absl::StrCat("SELECT definition FROM ", schema->name(),
                                  ".server WHERE name = 'alpha'")),
            "def alpha");
}

TEST(PostgresViewerTest, PostgresSchemeAndInMemoryWins) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgSchema> schema,
                       PgSchema::Create(Cluster()));
  PasswordRole role(*schema);
  std::string url = role.Url(*schema, kPassword);
  url.replace(0, std::string("postgresql").size(), "postgres");
  {
    LiveViewer v({}, {{"DATABASE_URL", url}});
    ASSERT_TRUE(v.started()) << v.child().Stderr();
    EXPECT_EQ(Create(v, "beta"), 201);
    EXPECT_EQ(v.Stop(), 0);
  }
  // --in-memory-db wins: the database is not even opened.
  LiveViewer memory({"--in-memory-db"}, {{"DATABASE_URL", url}});
  ASSERT_TRUE(memory.started()) << memory.child().Stderr();
  EXPECT_EQ(GetStatus(memory, "/servers/beta.json"), 404);
  EXPECT_EQ(memory.Stop(), 0);
  EXPECT_THAT(memory.child().Stdout(), HasSubstr("wins over DATABASE_URL="));
  EXPECT_THAT(memory.child().Stdout() + memory.child().Stderr(),
              Not(HasSubstr(kPassword)));
}

// Every database viewer cannot use stops it at start with one line that
// names the problem, and never the password.
TEST(PostgresViewerTest, BadDatabasesStopWithOneClearLine) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgSchema> schema,
                       PgSchema::Create(Cluster()));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgSchema> foreign,
                       PgSchema::Create(Cluster()));
  ASSERT_OK(Cluster()
                .Sql("viewer", absl::StrCat("CREATE TABLE ", foreign->name(),
                                            ".invoices (id int)"))
                .status());
  PasswordRole role(*schema);
  ASSERT_OK(
      Cluster()
          .Sql("viewer", absl::StrCat("GRANT USAGE ON SCHEMA ", foreign->name(),
                                      " TO ", role.name()))
          .status());
  struct Case {
    std::string what, url, expected;
  };
  const std::vector<Case> cases = {
      {"unreachable server",
       absl::StrCat("postgresql://u:", kPassword,
                    "@/viewer?host=/nonexistent-viewer-socket-dir&port=5432"),
       "/nonexistent-viewer-socket-dir"},
      {"wrong password", role.Url(*schema, "wrong-pw-Also-Hidden"),
       "password authentication failed"},
      {"missing database", role.Url(*schema, kPassword, "no_such_database"),
       "does not exist"},
      {"foreign layout", role.Url(*foreign, kPassword), "holds other tables"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Exited run = RunToExit({"--port", "0"}, c.url);
    EXPECT_EQ(run.code, 1);
    std::vector<std::string> lines =
        absl::StrSplit(run.err, '\n', absl::SkipEmpty());
    ASSERT_EQ(lines.size(), 1u) << run.err;
    EXPECT_THAT(lines[0], HasSubstr("viewer: error: cannot open the database"));
    EXPECT_THAT(lines[0], HasSubstr(c.expected));
    EXPECT_THAT(run.err + run.out, Not(HasSubstr(kPassword)));
    EXPECT_THAT(run.err + run.out, Not(HasSubstr("wrong-pw-Also-Hidden")));
  }
  // Nothing was added to the foreign schema.
  EXPECT_EQ(SqlValue(absl::StrCat(
                "SELECT count(*) FROM pg_tables WHERE schemaname = '",
                foreign->name(), "'")),
            "1");
}

TEST(PostgresViewerTest, LoadStartsAMemorySessionAndOnlyReads) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgSchema> schema,
                       PgSchema::Create(Cluster()));
  {
    LiveViewer v({}, {{"DATABASE_URL", schema->url()}});
    ASSERT_TRUE(v.started()) << v.child().Stderr();
    ASSERT_EQ(Create(v, "kept"), 201);
    EXPECT_EQ(v.Stop(), 0);
  }
  {
    LiveViewer memory({"--in-memory-db", "--load", schema->url()});
    ASSERT_TRUE(memory.started()) << memory.child().Stderr();
    EXPECT_THAT(memory.child().Stdout(), HasSubstr("loaded postgresql://"));
    EXPECT_EQ(GetStatus(memory, "/servers/kept.json"), 200);
    EXPECT_EQ(Create(memory, "only-in-memory"), 201);
    EXPECT_EQ(memory.Stop(), 0);
  }
  EXPECT_EQ(SqlValue(absl::StrCat("SELECT string_agg(name, ',') FROM ",
                                  schema->name(), ".server")),
            "kept");
  // An empty schema is refused, and nothing is created in it.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgSchema> empty,
                       PgSchema::Create(Cluster()));
  Exited run =
      RunToExit({"--in-memory-db", "--port", "0", "--load", empty->url()}, "");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("has no table"));
  EXPECT_EQ(SqlValue(absl::StrCat(
                "SELECT count(*) FROM pg_tables WHERE schemaname = '",
                empty->name(), "'")),
            "0");
}

TEST(PostgresViewerTest, CopyMovesAStoreBothWaysIntoEmptyDatabasesOnly) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgSchema> schema,
                       PgSchema::Create(Cluster()));
  PasswordRole role(*schema);
  const std::string pg = role.Url(*schema, kPassword);
  TempDir dir;
  const std::string first = "sqlite:///" + dir.path() + "/first.db";
  const std::string back = "sqlite:///" + dir.path() + "/back.db";
  {
    LiveViewer v({}, {{"DATABASE_URL", first}});
    ASSERT_TRUE(v.started()) << v.child().Stderr();
    for (int i = 0; i < 5; ++i) ASSERT_EQ(Create(v, absl::StrCat("s", i)), 201);
    EXPECT_EQ(v.Stop(), 0);
  }
  Exited to_pg = RunToExit({"copy", first, pg}, "");
  ASSERT_EQ(to_pg.code, 0) << to_pg.err;
  EXPECT_THAT(to_pg.out, HasSubstr("viewer copy: copied "));
  EXPECT_THAT(to_pg.out, HasSubstr("server 5"));
  EXPECT_THAT(to_pg.err, HasSubstr("copying server: 5 rows"));
  EXPECT_THAT(to_pg.out + to_pg.err, Not(HasSubstr(kPassword)));

  // The destination now holds rows: a second copy is refused, whole.
  Exited again = RunToExit({"copy", first, pg}, "");
  EXPECT_EQ(again.code, 1);
  // The first table holding rows: cid, with the five servers' definitions.
  EXPECT_THAT(again.err, HasSubstr("is not empty (table cid holds 5 rows)"));
  EXPECT_THAT(again.out + again.err, Not(HasSubstr(kPassword)));
  EXPECT_EQ(SqlValue(absl::StrCat("SELECT count(*) FROM ", schema->name(),
                                  ".server")),
            "5");

  Exited to_sqlite = RunToExit({"copy", pg, back}, "");
  ASSERT_EQ(to_sqlite.code, 0) << to_sqlite.err;
  LiveViewer v({}, {{"DATABASE_URL", back}});
  ASSERT_TRUE(v.started()) << v.child().Stderr();
  json s4 = JsonOf(v.Client()->Get("/servers/s4.json"));
  EXPECT_EQ(s4["definition"], "def s4");
  EXPECT_EQ(v.Stop(), 0);

  // A source that does not exist is one line, and creates nothing.
  Exited missing =
      RunToExit({"copy", "sqlite:///" + dir.path() + "/none.db", pg}, "");
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("cannot open the source"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/none.db"));
}

// pg_cluster.sh on a cluster of this test alone (so stopping it disturbs
// no other test): "start" (first time --throwaway, watched by this
// process), "stop", "destroy".
absl::StatusOr<std::string> OwnCluster(const std::string& verb,
                                       const std::string& dir) {
  const std::string command = absl::StrCat(
      VIEWER_SOURCE_DIR, "/scripts/pg_cluster.sh ", verb, " ", dir, " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return absl::InternalError("popen failed");
  std::string out;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof(buf), pipe)) out.append(buf, n);
  if (pclose(pipe) != 0) {
    return absl::InternalError(absl::StrCat(command, ": ", out));
  }
  return std::string(absl::StripTrailingAsciiWhitespace(out));
}

TEST(PostgresViewerTest, ServerDownAnswers503ThenRecovers) {
  // Directly under /tmp: run as root, the server's user must reach it (the
  // script makes the folder its own), and a socket path must be short.
  char pattern[] = "/tmp/viewer-pg-own-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const std::string dir = pattern;
  ASSERT_OK_AND_ASSIGN(
      std::string url,
      OwnCluster(absl::StrCat("start --throwaway --watch ", getpid()), dir));
  LiveViewer v({}, {{"DATABASE_URL", url}});
  ASSERT_TRUE(v.started()) << v.child().Stderr();
  ASSERT_EQ(Create(v, "before"), 201);

  ASSERT_OK(OwnCluster("stop", dir).status());
  EXPECT_EQ(GetStatus(v, "/servers/before.json"), 503);
  EXPECT_EQ(Create(v, "while-down"), 503);
  EXPECT_EQ(GetStatus(v, "/servers.json"), 503);

  ASSERT_OK(OwnCluster("start", dir).status());
  EXPECT_EQ(GetStatus(v, "/servers/before.json"), 200);
  EXPECT_EQ(Create(v, "after"), 201);
  EXPECT_EQ(GetStatus(v, "/servers/while-down.json"), 404);
  EXPECT_EQ(v.Stop(), 0);
  (void)OwnCluster("destroy", dir);
}

// Connections ended by the server (pg_terminate_backend) are replaced: the
// next requests succeed.
TEST(PostgresViewerTest, TerminatedConnectionsAreReplaced) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgSchema> schema,
                       PgSchema::Create(Cluster()));
  PasswordRole role(*schema);
  LiveViewer v({}, {{"DATABASE_URL", role.Url(*schema, kPassword)}});
  ASSERT_TRUE(v.started()) << v.child().Stderr();
  ASSERT_EQ(Create(v, "one"), 201);
  const std::string ended = SqlValue(absl::StrCat(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
      "usename = '",
      role.name(), "'"));
  EXPECT_NE(ended, "0");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(GetStatus(v, "/servers/one.json"), 200) << i;
  }
  EXPECT_EQ(Create(v, "two"), 201);
  EXPECT_EQ(v.Stop(), 0);
}

// Each worker thread keeps its PostgreSQL connection: once 8 clients have
// been served at once, serving them again opens no new connection (with
// fewer connections pooled than workers, requests kept opening new ones).
TEST(PostgresViewerTest, WorkersReuseTheirConnections) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgSchema> schema,
                       PgSchema::Create(Cluster()));
  PasswordRole role(*schema);
  LiveViewer v({"--threads", "8"},
               {{"DATABASE_URL", role.Url(*schema, kPassword)}});
  ASSERT_TRUE(v.started()) << v.child().Stderr();
  ASSERT_EQ(Create(v, "one"), 201);
  auto load = [&](int rounds) {
    std::vector<std::thread> clients;
    for (int c = 0; c < 8; ++c) {
      clients.emplace_back([&] {
        std::unique_ptr<httplib::Client> client = v.Client();
        for (int i = 0; i < rounds; ++i) {
          httplib::Result r = client->Get("/servers/one.json");
          EXPECT_TRUE(r && r->status == 200);
        }
      });
    }
    for (std::thread& t : clients) t.join();
  };
  load(20);
  const std::string since = SqlValue("SELECT clock_timestamp()");
  load(100);
  EXPECT_EQ(SqlValue(absl::StrCat(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = '",
                role.name(), "' AND backend_start > '", since, "'")),
            "0");
  EXPECT_EQ(v.Stop(), 0);
}

}  // namespace
}  // namespace viewer::testing
