// Helpers for the copy, export/import, dump/load and seed tests: whole
// store contents read table by table, a sample filling every table of the
// application (NULLs, unicode, large blobs, id gaps), and file bytes.
//
//   FillSample(*txn, {.blob_bytes = 1 << 20});
//   ASSERT_OK_AND_ASSIGN(StoreContents before, ReadContents(store));
//   ...
//   ExpectSameContents(before, after);
#ifndef VIEWER_TESTS_APP_STORE_IO_UTIL_H_
#define VIEWER_TESTS_APP_STORE_IO_UTIL_H_

#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/schemas.h"
#include "engine/status_macros.h"
#include "engine/store.h"
#include "gtest/gtest.h"
#include "tests/printers.h"

namespace viewer::testing {

// Every table's rows in id order, in catalog order.
using StoreContents = std::vector<std::pair<std::string, std::vector<Row>>>;

inline absl::StatusOr<StoreContents> ReadContents(Store& store) {
  VIEWER_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          store.Begin(TransactionMode::kReadOnly));
  StoreContents out;
  for (const TableSchema& t : store.catalog().tables()) {
    VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                            txn->Select(t.name(), Query{}));
    out.emplace_back(t.name(), std::move(rows));
  }
  return out;
}

// Compares table by table and row by row, so a failure names the table and
// the first differing row instead of printing megabytes.
inline void ExpectSameContents(const StoreContents& want,
                               const StoreContents& got) {
  ASSERT_EQ(want.size(), got.size());
  for (size_t t = 0; t < want.size(); ++t) {
    const auto& [name, rows] = want[t];
    EXPECT_EQ(name, got[t].first);
    EXPECT_EQ(rows.size(), got[t].second.size()) << "table " << name;
    for (size_t i = 0; i < rows.size() && i < got[t].second.size(); ++i) {
      if (!(rows[i] == got[t].second[i])) {
        ADD_FAILURE() << "table " << name << " row " << i
                      << " differs:\n  want " << rows[i].DebugString()
                      << "\n  got  " << got[t].second[i].DebugString();
        break;
      }
    }
  }
}

inline int64_t RowCount(const StoreContents& contents) {
  int64_t n = 0;
  for (const auto& [name, rows] : contents) n += rows.size();
  return n;
}

// Deterministic bytes, every byte value included.
inline std::string SampleBytes(size_t n, uint32_t seed) {
  std::string out(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = static_cast<char>(x & 0xff);
  }
  return out;
}

struct SampleOptions {
  size_t blob_bytes = 1000;  // size of the two large CIDs
  int page_views = 5;        // rows of page_view (and of interactions)
};

// Fills every table of AppCatalog() with explicit ids (with gaps), explicit
// timestamps, NULLs in every nullable column, unicode text and blobs with every
// byte value. Stores CIDs under the CID of their bytes.
inline absl::Status FillSample(Transaction& txn, SampleOptions o = {}) {
  auto t = [](int64_t s) {
    return Value::Time(Timestamp{1'700'000'000'000'000 + s * 1'000'001});
  };
  auto text = [](std::string s) { return Value::Text(std::move(s)); };
  const std::string unicode = "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x8c\x8d";
  // cid: a large blob, an empty one, a small one with a NULL size/time.
  const std::vector<std::string> blobs = {
      SampleBytes(o.blob_bytes, 1), "", "hello", SampleBytes(o.blob_bytes, 2)};
  for (size_t i = 0; i < blobs.size(); ++i) {
    Assignments row = {{"id", Value::Integer(static_cast<int64_t>(i * 3 + 1))},
                       {"path", text("/" + ComputeCid(blobs[i]))},
                       {"file_data", Value::Blob(blobs[i])}};
    if (i != 2) {
      row.push_back(
          {"file_size", Value::Integer(static_cast<int64_t>(blobs[i].size()))});
      row.push_back({"created_at", t(static_cast<int64_t>(i))});
    } else {
      row.push_back({"file_size", Value::Null()});
      row.push_back({"created_at", Value::Null()});
    }
    VIEWER_RETURN_IF_ERROR(txn.Insert(kCidTable, row).status());
  }
  for (int i = 0; i < o.page_views; ++i) {
    Assignments row = {{"id", Value::Integer(i * 2 + 5)},
                       {"path", text(absl::StrCat("/p/", i, unicode))},
                       {"viewed_at", t(i)}};
    if (i % 2 == 0) {
      row.push_back({"method", Value::Null()});
      row.push_back({"user_agent", Value::Null()});
      row.push_back({"ip_address", Value::Null()});
    } else {
      row.push_back({"user_agent", text("Mozilla/5.0 " + unicode)});
      row.push_back({"ip_address", text("127.0.0.1")});
    }
    VIEWER_RETURN_IF_ERROR(txn.Insert(kPageViewTable, row).status());
  }
  for (const char* table :
       {kServerTable, kAliasTable, kVariableTable, kSecretTable}) {
    for (int i = 0; i < 3; ++i) {
      Assignments row = {
          {"id", Value::Integer(i * 10 + 2)},
          {"name", text(absl::StrCat(table, "-", i))},
          {"definition", std::string(table) == kAliasTable && i == 1
                             ? Value::Null()
                             : text(absl::StrCat("def ", i, " ", unicode))},
          {"created_at", t(i)},
          {"updated_at", i == 2 ? Value::Null() : t(i + 100)},
          {"enabled", Value::Boolean(i != 1)}};
      if (std::string(table) == kServerTable) {
        row.push_back(
            {"definition_cid", i == 0 ? Value::Null() : text(ComputeCid("x"))});
      }
      VIEWER_RETURN_IF_ERROR(txn.Insert(table, row).status());
    }
  }
  for (int i = 0; i < o.page_views; ++i) {
    VIEWER_RETURN_IF_ERROR(
        txn.Insert(kInteractionTable,
                   {{"id", Value::Integer(i + 1)},
                    {"entity_type", text("server")},
                    {"entity_name", text(absl::StrCat("server-", i % 3))},
                    {"action", text("update")},
                    {"message", i % 2 ? Value::Null() : text(unicode)},
                    {"content", text("with\x01control")},
                    {"created_at", t(i)}})
            .status());
  }
  VIEWER_RETURN_IF_ERROR(
      txn.Insert(kInvocationTable, {{"id", Value::Integer(7)},
                                    {"server_name", text("server-0")},
                                    {"result_cid", text("AAAAAAAA")},
                                    {"servers_cid", Value::Null()},
                                    {"invocation_cid", text("AAAAAAAA")},
                                    {"invoked_at", Value::Null()}})
          .status());
  return txn
      .Insert(kExportTable, {{"id", Value::Integer(99)},
                             {"cid", text("AAAAAAAA")},
                             {"created_at", t(3)}})
      .status();
}

// An export document header followed by `body` (members, comma-separated).
inline std::string Doc(absl::string_view body) {
  return absl::StrCat(R"({"format": "viewer-export", "version": 1)",
                      body.empty() ? "" : ", ", body, "}");
}

inline std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// Modification time in nanoseconds, or -1.
inline int64_t MtimeNanos(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
}

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_APP_STORE_IO_UTIL_H_
