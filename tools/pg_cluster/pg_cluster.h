// A throwaway PostgreSQL server for tests and benchmarks
// (scripts/pg_cluster.sh does the starting and stopping), and a fresh
// schema or database per test in it.
//
//   absl::StatusOr<PgCluster*> cluster = PgCluster::Get();
//   ASSERT_TRUE(cluster.ok()) << cluster.status();  // fails, never skips
//   ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgSchema> schema,
//                        PgSchema::Create(**cluster));
//   PostgresOptions options;
//   options.url = schema->url();  // tables go to the fresh schema
//
// One cluster serves a whole test run. Under ctest, the fixture test
// pg_cluster.start starts it before the first test that needs it and
// pg_cluster.stop removes it after the last (tests/postgres/CMakeLists.txt);
// the environment variable VIEWER_TEST_PG_DIR names its folder. A program
// run without it (a test binary run by hand, tools/bench/storage_bench and
// http_bench) starts a cluster of its own in a temporary folder on first
// use and removes it when the process exits, however it ends (the script
// watches the process).
//
// The cluster is made for throwaway data: it does not sync to disk
// (fsync, synchronous_commit and full_page_writes are off).
// The cluster listens only on a Unix socket in its folder. The role
// `postgres` connects without a password; other roles need theirs. Run as
// root, the server runs as the `postgres` user.
//
// Thread safety: Get() and the methods of PgCluster may be called from any
// thread. PgSchema and PgDatabase belong to one test.
#ifndef VIEWER_TOOLS_PG_CLUSTER_PG_CLUSTER_H_
#define VIEWER_TOOLS_PG_CLUSTER_PG_CLUSTER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace viewer {

class PgCluster {
 public:
  // The cluster of this test run (see above), started on first use. An
  // error says why it could not be started or reached.
  static absl::StatusOr<PgCluster*> Get();

  // The folder holding the server's data and socket.
  const std::string& dir() const { return dir_; }
  // A URL of `database` for role `user` (no password in it), with
  // `extra` ("&key=value"...) appended.
  std::string Url(absl::string_view database,
                  absl::string_view user = "postgres",
                  absl::string_view extra = "") const;
  // Runs `sql` (no parameters; several statements allowed) in `database`
  // as `postgres`; returns the first column of every row of the last
  // statement, one per line.
  absl::StatusOr<std::string> Sql(absl::string_view database,
                                  absl::string_view sql) const;
  // A name no other PgSchema or PgDatabase of any process uses.
  static std::string UniqueName(absl::string_view prefix);

 private:
  explicit PgCluster(std::string dir) : dir_(std::move(dir)) {}
  static absl::StatusOr<PgCluster*> Attach(const std::string& dir);
  static absl::StatusOr<PgCluster*> StartOwn();

  const std::string dir_;
};

// A fresh, empty schema in the cluster's database "viewer", dropped (with
// everything in it) when the object dies.
class PgSchema {
 public:
  static absl::StatusOr<std::unique_ptr<PgSchema>> Create(PgCluster& cluster);
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;
  ~PgSchema();

  const std::string& name() const { return name_; }
  // The database's URL with search_path set to this schema alone.
  const std::string& url() const { return url_; }

 private:
  PgSchema(PgCluster& cluster, std::string name);

  PgCluster& cluster_;
  const std::string name_;
  const std::string url_;
};

// A fresh database (UTF8, the cluster's default collation), dropped when
// the object dies (connections still open to it are ended).
class PgDatabase {
 public:
  // `options` is appended to CREATE DATABASE (e.g. "ENCODING 'LATIN1'").
  static absl::StatusOr<std::unique_ptr<PgDatabase>> Create(
      PgCluster& cluster, absl::string_view options = "");
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;
  ~PgDatabase();

  const std::string& name() const { return name_; }
  std::string url() const { return cluster_.Url(name_); }

 private:
  PgDatabase(PgCluster& cluster, std::string name)
      : cluster_(cluster), name_(std::move(name)) {}

  PgCluster& cluster_;
  const std::string name_;
};

}  // namespace viewer

#endif  // VIEWER_TOOLS_PG_CLUSTER_PG_CLUSTER_H_
