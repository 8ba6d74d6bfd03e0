#include "postgres_backend/internal/connection.h"

#include <cstdlib>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "postgres_backend/internal/errors.h"
#include "postgres_backend/internal/value_codec.h"

namespace viewer::postgres_internal {
namespace {

// The passwords written in `url`: the one of a URL's user info
// ("scheme://user:password@host") and every "password=" value (a URL's
// query parameter or a key=value pair), as they appear in the text.
std::vector<std::string> Passwords(absl::string_view url) {
  std::vector<std::string> out;
  size_t scheme = url.find("://");
  if (scheme != absl::string_view::npos) {
    absl::string_view rest = url.substr(scheme + 3);
    absl::string_view authority = rest.substr(0, rest.find_first_of("/?"));
    size_t at = authority.rfind('@');
    if (at != absl::string_view::npos) {
      absl::string_view userinfo = authority.substr(0, at);
      size_t colon = userinfo.find(':');
      if (colon != absl::string_view::npos && colon + 1 < userinfo.size()) {
        out.emplace_back(userinfo.substr(colon + 1));
      }
    }
  }
  for (size_t at = url.find("password="); at != absl::string_view::npos;
       at = url.find("password=", at + 1)) {
    absl::string_view value = url.substr(at + 9);
    if (absl::ConsumePrefix(&value, "'")) {
      value = value.substr(0, value.find('\''));
    } else {
      value = value.substr(0, value.find_first_of("& \t\n"));
    }
    if (!value.empty()) out.emplace_back(value);
  }
  return out;
}

}  // namespace

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

int64_t Result::affected() const {
  int64_t n = 0;
  return absl::SimpleAtoi(PQcmdTuples(result_), &n) ? n : 0;
}

std::string RedactPassword(absl::string_view url) {
  std::string out(url);
  for (const std::string& p : Passwords(url)) {
    out = absl::StrReplaceAll(out, {{p, "***"}});
  }
  return out;
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const ConnectTarget& target) {
  // Parse first: libpq's own parse errors may quote the whole URL.
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(target.url.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string why = parse_error ? OneLine(parse_error) : "out of memory";
    PQfreemem(parse_error);
    for (const std::string& p : Passwords(target.url)) {
      why = absl::StrReplaceAll(why, {{p, "***"}});
    }
    return absl::InvalidArgumentError(
        absl::StrCat("cannot parse the PostgreSQL URL \"",
                     RedactPassword(target.url), "\": ", why));
  }
  PQconninfoFree(parsed);
  // Later keywords win over earlier ones and over what the URL (expanded
  // from "dbname") says: the timeout is a default, the encoding is not.
  const std::string timeout = absl::StrCat(target.connect_timeout_seconds);
  const char* keys[] = {"connect_timeout", "application_name", "dbname",
                        "client_encoding", nullptr};
  const char* values[] = {timeout.c_str(), "viewer", target.url.c_str(), "UTF8",
                          nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return absl::UnavailableError(
        "cannot connect to PostgreSQL: out of memory");
  }
  std::unique_ptr<Connection> made(new Connection(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    return ConnectError(conn, made->Describe());
  }
  // The server's notices (warnings that change nothing) would go to
  // stderr; nothing here needs them.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return made;
}

Connection::~Connection() { PQfinish(conn_); }

absl::Status Connection::Command(const std::string& sql) {
  Result r(PQexec(conn_, sql.c_str()));
  ExecStatusType status = PQresultStatus(r.get());
  if (r.get() != nullptr &&
      (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) {
    return absl::OkStatus();
  }
  return StatementError(r.get(), conn_, nullptr, nullptr);
}

absl::StatusOr<std::string> Connection::Prepare(const Sql& sql,
                                                const TableSchema* table,
                                                const TableLayout* layout) {
  auto it = prepared_.find(sql.text);
  if (it != prepared_.end()) return it->second;
  if (prepared_.size() >= kMaxPrepared) {
    absl::Status s = Command("DEALLOCATE ALL");
    if (!s.ok()) return s;
    prepared_.clear();
  }
  std::string name = absl::StrCat("v", next_name_++);
  Result r(PQprepare(conn_, name.c_str(), sql.text.c_str(),
                     static_cast<int>(sql.types.size()), sql.types.data()));
  if (r.get() == nullptr || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    return StatementError(r.get(), conn_, table, layout);
  }
  prepared_.emplace(sql.text, name);
  return name;
}

absl::StatusOr<Result> Connection::Run(const Sql& sql, const TableSchema* table,
                                       const TableLayout* layout) {
  absl::StatusOr<std::string> name = Prepare(sql, table, layout);
  if (!name.ok()) return name.status();
  EncodedParams params(sql.params);
  Result r(PQexecPrepared(conn_, name->c_str(), params.size(), params.data(),
                          params.lengths(), params.formats(),
                          /*resultFormat=*/1));
  ExecStatusType status = PQresultStatus(r.get());
  if (r.get() != nullptr &&
      (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)) {
    return r;
  }
  return StatementError(r.get(), conn_, table, layout);
}

absl::StatusOr<Result> Connection::Pipeline(
    const std::vector<std::string>& before,
    const std::vector<const Sql*>& statements,
    const std::vector<std::string>& after, const TableSchema* table,
    const TableLayout* layout) {
  if (prepared_.size() + statements.size() > kMaxPrepared) {
    absl::Status s = Command("DEALLOCATE ALL");
    if (!s.ok()) return s;
    prepared_.clear();
  }
  // What each result answers, in order: a command, a statement's
  // preparation (in the pipeline too, after `before`, so that a statement
  // that does not prepare fails inside the caller's savepoint), or a
  // statement's execution.
  struct Query {
    const Sql* prepare = nullptr;  // non-null: the preparation of this
    std::string name;
    Result result;
  };
  std::vector<Query> queries;
  for (size_t i = 0; i < before.size(); ++i) queries.emplace_back();
  size_t last_execution = 0;
  std::vector<std::unique_ptr<EncodedParams>> params;  // alive until sent
  if (PQenterPipelineMode(conn_) != 1) {
    return ConnectionLost(PQerrorMessage(conn_));
  }
  auto command = [this](const std::string& text) {
    return PQsendQueryParams(conn_, text.c_str(), 0, nullptr, nullptr, nullptr,
                             nullptr, 1) == 1;
  };
  bool sent = true;
  for (const std::string& c : before) sent = sent && command(c);
  for (const Sql* sql : statements) {
    if (!sent) break;
    auto it = prepared_.find(sql->text);
    std::string name =
        it != prepared_.end() ? it->second : absl::StrCat("v", next_name_++);
    if (it == prepared_.end()) {
      sent = PQsendPrepare(conn_, name.c_str(), sql->text.c_str(),
                           static_cast<int>(sql->types.size()),
                           sql->types.data()) == 1;
      queries.push_back(Query{sql, name, Result()});
    }
    params.push_back(std::make_unique<EncodedParams>(sql->params));
    const EncodedParams& p = *params.back();
    sent = sent && PQsendQueryPrepared(conn_, name.c_str(), p.size(), p.data(),
                                       p.lengths(), p.formats(), 1) == 1;
    queries.push_back(Query{nullptr, name, Result()});
    last_execution = queries.size() - 1;
  }
  for (const std::string& c : after) {
    sent = sent && command(c);
    queries.emplace_back();
  }
  sent = sent && PQpipelineSync(conn_) == 1;
  // Every query's results end with a null; the sync's result does not.
  bool synced = false;
  if (sent) {
    for (Query& q : queries) {
      while (PGresult* next = PQgetResult(conn_)) q.result = Result(next);
    }
    Result sync(PQgetResult(conn_));
    synced = PQresultStatus(sync.get()) == PGRES_PIPELINE_SYNC;
  }
  if (PQexitPipelineMode(conn_) != 1 || !synced) {
    return ConnectionLost(PQerrorMessage(conn_));
  }
  for (Query& q : queries) {
    ExecStatusType status = PQresultStatus(q.result.get());
    if (q.result.get() == nullptr ||
        (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
      return StatementError(q.result.get(), conn_, table, layout);
    }
    if (q.prepare != nullptr) prepared_.emplace(q.prepare->text, q.name);
  }
  return std::move(queries[last_execution].result);
}

std::string Connection::Parameter(const char* name) const {
  const char* v = PQparameterStatus(conn_, name);
  return v ? v : "";
}

std::string Connection::Describe() const {
  const char* user = PQuser(conn_);
  const char* host = PQhost(conn_);
  const char* port = PQport(conn_);
  const char* db = PQdb(conn_);
  const std::string u = user ? user : "";
  const std::string h = host ? host : "";
  const std::string p = port ? port : "";
  const std::string d = db ? db : "";
  if (h.empty() || h[0] == '/') {
    return absl::StrCat("postgresql:///", d, "?host=", h, "&port=", p,
                        "&user=", u);
  }
  const bool ipv6 = absl::StrContains(h, ':');
  return absl::StrCat("postgresql://", u, "@", ipv6 ? "[" : "", h,
                      ipv6 ? "]" : "", ":", p, "/", d);
}

}  // namespace viewer::postgres_internal
