#include "tools/bench/raw_sqlite.h"

#include <cstdio>
#include <cstdlib>

#include "absl/time/clock.h"
#include "app/schemas.h"
#include "engine/value.h"
#include "sqlite_backend/internal/sql_builder.h"

namespace viewer::bench {
namespace {

constexpr char kColumns[] =
    "id, name, definition, definition_cid, created_at, updated_at, enabled";

void Die(sqlite3* db, const char* what) {
  fprintf(stderr, "raw sqlite: %s: %s\n", what, sqlite3_errmsg(db));
  abort();
}

void BindText(sqlite3_stmt* stmt, int i, const std::string& text) {
  sqlite3_bind_text(stmt, i, text.data(), static_cast<int>(text.size()),
                    SQLITE_STATIC);
}

}  // namespace

RawSqlite::RawSqlite() {
  if (sqlite3_open(":memory:", &db_) != SQLITE_OK) Die(db_, "open");
  const TableSchema& server = *AppCatalog().Find(kServerTable);
  auto exec = [&](const std::string& sql) {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) !=
        SQLITE_OK) {
      Die(db_, sql.c_str());
    }
  };
  exec(sqlite_internal::CreateTableSql(server));
  for (const std::string& sql : sqlite_internal::CreateIndexSql(server)) {
    exec(sql);
  }
  now_ = Timestamp::FromAbsl(absl::Now()).ToString();
  begin_ = Prepare("BEGIN IMMEDIATE");
  begin_read_ = Prepare("BEGIN");
  first_read_ = Prepare("SELECT 1 FROM sqlite_master LIMIT 1");
  commit_ = Prepare("COMMIT");
  insert_ = Prepare(
      "INSERT INTO server (name, definition, definition_cid, created_at, "
      "updated_at, enabled) VALUES (?, ?, ?, ?, ?, 1)");
  update_ = Prepare(
      "UPDATE server SET definition = ?, updated_at = ? WHERE id = ?");
  set_enabled_ = Prepare("UPDATE server SET enabled = ? WHERE id = ?");
  const std::string select = std::string("SELECT ") + kColumns + " FROM server";
  by_id_ = Prepare((select + " WHERE id = ?").c_str());
  by_name_ = Prepare((select + " WHERE name = ? LIMIT 1").c_str());
  prefix_ = Prepare(
      (select + " WHERE name >= ? AND name < ? ORDER BY name, id").c_str());
  count_ = Prepare("SELECT COUNT(*) FROM server WHERE definition_cid = ?");
}

RawSqlite::~RawSqlite() {
  for (sqlite3_stmt* s : {begin_, begin_read_, first_read_, commit_, insert_,
                          update_, set_enabled_, by_id_, by_name_, prefix_,
                          count_}) {
    sqlite3_finalize(s);
  }
  sqlite3_close(db_);
}

sqlite3_stmt* RawSqlite::Prepare(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK) {
    Die(db_, sql);
  }
  return stmt;
}

void RawSqlite::Run(sqlite3_stmt* stmt) {
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) Die(db_, sqlite3_sql(stmt));
  sqlite3_reset(stmt);
}

int64_t RawSqlite::ReadAll(sqlite3_stmt* stmt) {
  int64_t rows = 0;
  int64_t sum = 0;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    ++rows;
    sum += sqlite3_column_int64(stmt, 0);
    for (int c = 1; c <= 5; ++c) {
      const unsigned char* text = sqlite3_column_text(stmt, c);
      sum += sqlite3_column_bytes(stmt, c) + (text != nullptr ? text[0] : 0);
    }
    sum += sqlite3_column_int(stmt, 6);
  }
  if (rc != SQLITE_DONE) Die(db_, sqlite3_sql(stmt));
  sqlite3_reset(stmt);
  if (sum == -1) abort();  // keeps the reads
  return rows;
}

void RawSqlite::Begin() {
  std::lock_guard<std::mutex> lock(mu_);
  Run(begin_);
}

void RawSqlite::BeginRead() {
  std::lock_guard<std::mutex> lock(mu_);
  Run(begin_read_);
  Run(first_read_);
}

void RawSqlite::Commit() {
  std::lock_guard<std::mutex> lock(mu_);
  Run(commit_);
}

int64_t RawSqlite::Insert(const std::string& name,
                          const std::string& definition,
                          const std::string& definition_cid) {
  std::lock_guard<std::mutex> lock(mu_);
  BindText(insert_, 1, name);
  BindText(insert_, 2, definition);
  if (definition_cid.empty()) {
    sqlite3_bind_null(insert_, 3);
  } else {
    BindText(insert_, 3, definition_cid);
  }
  BindText(insert_, 4, now_);
  BindText(insert_, 5, now_);
  Run(insert_);
  return sqlite3_last_insert_rowid(db_);
}

void RawSqlite::InsertCommit(const std::string& name,
                             const std::string& definition) {
  Begin();
  Insert(name, definition, "");
  Commit();
}

void RawSqlite::UpdateCommit(int64_t id, const std::string& definition) {
  std::lock_guard<std::mutex> lock(mu_);
  Run(begin_);
  BindText(update_, 1, definition);
  BindText(update_, 2, now_);
  sqlite3_bind_int64(update_, 3, id);
  Run(update_);
  Run(commit_);
}

void RawSqlite::SetEnabledCommit(int64_t id, bool enabled) {
  std::lock_guard<std::mutex> lock(mu_);
  Run(begin_);
  sqlite3_bind_int(set_enabled_, 1, enabled ? 1 : 0);
  sqlite3_bind_int64(set_enabled_, 2, id);
  Run(set_enabled_);
  Run(commit_);
}

int64_t RawSqlite::GetById(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_bind_int64(by_id_, 1, id);
  return ReadAll(by_id_);
}

int64_t RawSqlite::GetByName(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  BindText(by_name_, 1, name);
  return ReadAll(by_name_);
}

int64_t RawSqlite::PrefixScan(const std::string& lo, const std::string& hi) {
  std::lock_guard<std::mutex> lock(mu_);
  BindText(prefix_, 1, lo);
  BindText(prefix_, 2, hi);
  return ReadAll(prefix_);
}

int64_t RawSqlite::CountByCid(const std::string& cid) {
  std::lock_guard<std::mutex> lock(mu_);
  BindText(count_, 1, cid);
  int64_t n = -1;
  if (sqlite3_step(count_) == SQLITE_ROW) n = sqlite3_column_int64(count_, 0);
  sqlite3_reset(count_);
  return n;
}

int64_t RawSqlite::SnapshotGet(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  Run(begin_read_);
  sqlite3_bind_int64(by_id_, 1, id);
  const int64_t rows = ReadAll(by_id_);
  Run(commit_);
  return rows;
}

double RawSqlite::BytesPerRow() {
  std::lock_guard<std::mutex> lock(mu_);
  auto pragma = [&](const char* sql) {
    sqlite3_stmt* stmt = Prepare(sql);
    int64_t v = 0;
    if (sqlite3_step(stmt) == SQLITE_ROW) v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
  };
  const int64_t pages =
      pragma("PRAGMA page_count") - pragma("PRAGMA freelist_count");
  const int64_t rows = pragma("SELECT COUNT(*) FROM server");
  return double(pages * pragma("PRAGMA page_size")) / double(rows);
}

}  // namespace viewer::bench
