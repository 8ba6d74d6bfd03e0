#include "tools/pg_cluster/pg_cluster.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace viewer {
namespace {

// The port scripts/pg_cluster.sh names its socket after.
constexpr char kPort[] = "5432";

std::string Script() { return VIEWER_SOURCE_DIR "/scripts/pg_cluster.sh"; }

// Runs scripts/pg_cluster.sh with `args`; its output, or an error holding
// it.
absl::StatusOr<std::string> RunScript(const std::string& args) {
  const std::string command = absl::StrCat("'", Script(), "' ", args, " 2>&1");
  FILE* out = popen(command.c_str(), "r");
  if (out == nullptr) {
    return absl::InternalError(absl::StrCat("cannot run ", command));
  }
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, out)) > 0) text.append(buf, n);
  const int rc = pclose(out);
  if (rc != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("scripts/pg_cluster.sh ", args, " failed (status ", rc,
                     "): ", absl::StripTrailingAsciiWhitespace(text)));
  }
  return text;
}

// The folder of the cluster this process started, and the process, so
// that a forked child that exits does not remove its parent's cluster.
std::string* own_dir = nullptr;
pid_t owner = 0;

void DestroyOwn() {
  if (own_dir == nullptr || getpid() != owner) return;
  (void)RunScript(absl::StrCat("destroy ", *own_dir));
}

}  // namespace

absl::StatusOr<PgCluster*> PgCluster::Get() {
  static const absl::StatusOr<PgCluster*>* const cluster = [] {
    const char* dir = getenv("VIEWER_TEST_PG_DIR");
    return new absl::StatusOr<PgCluster*>(
        dir != nullptr && *dir != '\0' ? Attach(dir) : StartOwn());
  }();
  return *cluster;
}

absl::StatusOr<PgCluster*> PgCluster::Attach(const std::string& dir) {
  auto cluster = std::unique_ptr<PgCluster>(new PgCluster(dir));
  absl::StatusOr<std::string> up = cluster->Sql("viewer", "SELECT 1");
  if (!up.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the test run's PostgreSQL cluster in ", dir,
        " is not reachable (ctest starts it in the test pg_cluster.start; "
        "see that test's output): ",
        up.status().message()));
  }
  return cluster.release();
}

absl::StatusOr<PgCluster*> PgCluster::StartOwn() {
  char pattern[] = "/tmp/viewer-pg-XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    return absl::InternalError("cannot make a temporary folder in /tmp");
  }
  own_dir = new std::string(pattern);
  owner = getpid();
  atexit(DestroyOwn);
  absl::StatusOr<std::string> started = RunScript(
      absl::StrCat("start --throwaway --watch ", getpid(), " ", *own_dir));
  if (!started.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot start a PostgreSQL cluster for the tests: ",
                     started.status().message()));
  }
  return Attach(*own_dir);
}

std::string PgCluster::Url(absl::string_view database, absl::string_view user,
                           absl::string_view extra) const {
  return absl::StrCat("postgresql:///", database, "?host=", dir_,
                      "&port=", kPort, "&user=", user, extra);
}

absl::StatusOr<std::string> PgCluster::Sql(absl::string_view database,
                                           absl::string_view sql) const {
  const std::string url = Url(database);
  PGconn* conn = PQconnectdb(url.c_str());
  std::unique_ptr<PGconn, void (*)(PGconn*)> closer(conn, PQfinish);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to ", url, ": ",
                     conn ? PQerrorMessage(conn) : "out of memory"));
  }
  // Dropping a schema tells what it dropped; nobody needs to read that.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  const std::string text(sql);
  std::unique_ptr<PGresult, void (*)(PGresult*)> result(
      PQexec(conn, text.c_str()), PQclear);
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return absl::InternalError(absl::StrCat(
        "\"", sql, "\" failed in ", database, ": ", PQerrorMessage(conn)));
  }
  std::vector<std::string> lines;
  for (int i = 0; i < PQntuples(result.get()); ++i) {
    lines.push_back(PQgetvalue(result.get(), i, 0));
  }
  return absl::StrJoin(lines, "\n");
}

std::string PgCluster::UniqueName(absl::string_view prefix) {
  static std::atomic<int> next{0};
  return absl::StrCat(prefix, "_", getpid(), "_", next++);
}

PgSchema::PgSchema(PgCluster& cluster, std::string name)
    : cluster_(cluster),
      name_(std::move(name)),
      url_(cluster.Url("viewer", "postgres",
                       absl::StrCat("&options=-csearch_path%3D", name_))) {}

absl::StatusOr<std::unique_ptr<PgSchema>> PgSchema::Create(PgCluster& cluster) {
  std::string name = PgCluster::UniqueName("t");
  absl::StatusOr<std::string> made =
      cluster.Sql("viewer", absl::StrCat("CREATE SCHEMA ", name));
  if (!made.ok()) return made.status();
  return std::unique_ptr<PgSchema>(new PgSchema(cluster, std::move(name)));
}

PgSchema::~PgSchema() {
  (void)cluster_.Sql("viewer", absl::StrCat("DROP SCHEMA ", name_, " CASCADE"));
}

absl::StatusOr<std::unique_ptr<PgDatabase>> PgDatabase::Create(
    PgCluster& cluster, absl::string_view options) {
  std::string name = PgCluster::UniqueName("d");
  absl::StatusOr<std::string> made = cluster.Sql(
      "postgres", absl::StrCat("CREATE DATABASE ", name, " ", options));
  if (!made.ok()) return made.status();
  return std::unique_ptr<PgDatabase>(new PgDatabase(cluster, std::move(name)));
}

PgDatabase::~PgDatabase() {
  (void)cluster_.Sql("postgres",
                     absl::StrCat("DROP DATABASE ", name_, " WITH (FORCE)"));
}

}  // namespace viewer
