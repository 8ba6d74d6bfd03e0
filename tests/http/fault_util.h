// Helpers for the fault and dump tests (tests/http/fault_test.cc,
// dump_fault_test.cc): seeds, SQLite checks done with the sqlite3 library
// directly (not through viewer), and a large store file to dump.
//
//   EXPECT_EQ(IntegrityCheck(db, /*immutable=*/true), "ok");
//   BuildStoreFile(dir + "/big.db", 100000);
//
// Thread safety: plain functions.
#ifndef VIEWER_TESTS_HTTP_FAULT_UTIL_H_
#define VIEWER_TESTS_HTTP_FAULT_UTIL_H_

#include <cstdint>
#include <set>
#include <string>

namespace viewer::testing {

// VIEWER_FAULT_SEED when set, else a random seed; printed with `test`.
uint32_t FaultSeed(const std::string& test);

// "ok", or what PRAGMA integrity_check (or opening the file) reported.
// `immutable` opens the file as unchangeable (no -wal, -shm or locks are
// touched), for a file some process may still be replacing.
std::string IntegrityCheck(const std::string& path, bool immutable);

// The names in the server table of the SQLite file at `path` (opened
// immutable); empty when it cannot be read.
std::set<std::string> ServerNamesIn(const std::string& path);

// The bytes of a file; "" when there is none.
std::string ReadWholeFile(const std::string& path);
bool FileExists(const std::string& path);

// Writes a SQLite file in the disk layout holding `rows` rows spread over
// the tables as a busy session fills them (as tools/bench/dump_bench):
// half page views, 30% interactions, 5% CIDs of 1 KiB, 5% invocations, the
// rest entities. Aborts the test on failure.
void BuildStoreFile(const std::string& path, int rows);

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_HTTP_FAULT_UTIL_H_
