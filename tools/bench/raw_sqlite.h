// SQLite itself, for storage_bench's fourth column: the server table on
// ":memory:", with the SQLite backend's schema (same columns, same
// indexes), driven by hand-written prepared statements and nothing else:
// no contract, no Value, no Row. The fastest way anyone could use SQLite
// for the same work, as a reference.
//
//   RawSqlite db;
//   db.Insert("srv-000001", "Hello", "cid-0001");   // fills, in one BEGIN
//   db.BeginRead();
//   int64_t checksum = db.GetById(1);
//
// Each read returns a small checksum of the columns it read (their
// lengths and numbers), so that they are really read. Timestamps are
// stored in the backend's text form, from one string made in advance.
//
// Thread safety: one connection; every call takes its mutex, as the SQLite
// backend on ":memory:" shares its one connection in turn.
#ifndef VIEWER_TOOLS_BENCH_RAW_SQLITE_H_
#define VIEWER_TOOLS_BENCH_RAW_SQLITE_H_

#include <sqlite3.h>

#include <cstdint>
#include <mutex>
#include <string>

namespace viewer::bench {

class RawSqlite {
 public:
  RawSqlite();
  ~RawSqlite();
  RawSqlite(const RawSqlite&) = delete;
  RawSqlite& operator=(const RawSqlite&) = delete;

  // Plain statements (BEGIN, COMMIT ...), prepared once.
  void Begin();  // BEGIN IMMEDIATE
  void BeginRead();  // BEGIN, and a read to fix the snapshot
  void Commit();

  // One INSERT (inside the caller's transaction); returns the new id.
  int64_t Insert(const std::string& name, const std::string& definition,
                 const std::string& definition_cid);
  // BEGIN IMMEDIATE, INSERT, COMMIT.
  void InsertCommit(const std::string& name, const std::string& definition);
  // BEGIN IMMEDIATE, UPDATE definition and updated_at, COMMIT.
  void UpdateCommit(int64_t id, const std::string& definition);
  // BEGIN IMMEDIATE, UPDATE enabled, COMMIT.
  void SetEnabledCommit(int64_t id, bool enabled);

  // Reads, each a prepared SELECT of every column; the count of rows.
  int64_t GetById(int64_t id);
  int64_t GetByName(const std::string& name);
  int64_t PrefixScan(const std::string& lo, const std::string& hi);
  int64_t CountByCid(const std::string& cid);
  // BEGIN, GetById, COMMIT: a read-only transaction per lookup.
  int64_t SnapshotGet(int64_t id);

  // Database bytes (pages in use times the page size) per row.
  double BytesPerRow();

 private:
  sqlite3_stmt* Prepare(const char* sql);
  void Run(sqlite3_stmt* stmt);  // steps to done, resets
  // Steps through every row, reading each column; returns the rows.
  int64_t ReadAll(sqlite3_stmt* stmt);

  std::mutex mu_;
  sqlite3* db_ = nullptr;
  std::string now_;  // a timestamp in the backend's text form
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* begin_read_ = nullptr;
  sqlite3_stmt* first_read_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* update_ = nullptr;
  sqlite3_stmt* set_enabled_ = nullptr;
  sqlite3_stmt* by_id_ = nullptr;
  sqlite3_stmt* by_name_ = nullptr;
  sqlite3_stmt* prefix_ = nullptr;
  sqlite3_stmt* count_ = nullptr;
};

}  // namespace viewer::bench

#endif  // VIEWER_TOOLS_BENCH_RAW_SQLITE_H_
