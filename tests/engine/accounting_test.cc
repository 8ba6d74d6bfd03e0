// The byte accounting (Stats, --max-memory) against what the process's
// heap really grows by: 100,000 rows shaped like the application's
// servers, and 10,000 rows holding 1 KB blobs, each within 15%.
//
// The heap is glibc's count of bytes in use (mallinfo2: small chunks and
// mmapped ones); under a sanitizer, whose allocator glibc does not see,
// the sanitizer's own count of bytes allocated.
#include <malloc.h>

#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "engine/memory_store.h"
#include "tests/testutil.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define VIEWER_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define VIEWER_SANITIZED 1
#endif
#endif
#ifdef VIEWER_SANITIZED
// From the sanitizer runtime (sanitizer/allocator_interface.h, which only
// clang installs).
extern "C" size_t __sanitizer_get_current_allocated_bytes(void);
#endif

namespace viewer {
namespace {

int64_t HeapBytes() {
#ifdef VIEWER_SANITIZED
  return static_cast<int64_t>(__sanitizer_get_current_allocated_bytes());
#else
  const struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
#endif
}

Catalog Tables() {
  using T = ColumnType;
  return Catalog({
      TableSchema("server",
                  {Column("name", T::kText).NotNull().Unique().Indexed(),
                   Column("definition", T::kText).NotNull(),
                   Column("definition_cid", T::kText).Indexed(),
                   Column("created_at", T::kTimestamp).DefaultNow(),
                   Column("updated_at", T::kTimestamp).DefaultNow(),
                   Column("enabled", T::kBoolean).NotNull()
                       .Default(Value::Boolean(true))}),
      TableSchema("cid", {Column("path", T::kText).NotNull().Unique().Indexed(),
                          Column("file_data", T::kBlob).NotNull(),
                          Column("file_size", T::kInteger)}),
  });
}

struct Growth {
  int64_t accounted = 0;
  int64_t heap = 0;
};

// Inserts rows with `row(i)` in one transaction; what the store's
// accounting and the heap grew by, once the transaction is gone.
template <typename RowFn>
Growth Fill(MemoryStore& store, const char* table, int rows, RowFn row) {
  const int64_t heap = HeapBytes();
  const int64_t accounted = store.Stats()->bytes_used;
  {
    auto txn = *store.Begin(TransactionMode::kReadWrite);
    for (int i = 0; i < rows; ++i) {
      EXPECT_OK(txn->Insert(table, row(i)).status());
    }
    EXPECT_OK(txn->Commit());
  }
  const Growth g{store.Stats()->bytes_used - accounted, HeapBytes() - heap};
  ::testing::Test::RecordProperty("accounted", std::to_string(g.accounted));
  ::testing::Test::RecordProperty("heap", std::to_string(g.heap));
  return g;
}

std::unique_ptr<MemoryStore> Open() {
  MemoryOptions options;
  options.catalog = Tables();
  return std::move(*MemoryStore::Open(std::move(options)));
}

TEST(Accounting, MatchesTheHeapForAHundredThousandServers) {
  auto store = Open();
  const Growth g = Fill(*store, "server", 100'000, [](int i) {
    return Assignments{
        {"name", Value::Text(absl::StrFormat("srv-%06d", i))},
        {"definition",
         Value::Text(absl::StrFormat(
             "Hello from server %d: {{greeting}} at {{request.path}}", i))},
        {"definition_cid", Value::Text(absl::StrFormat("cid-%04d", i % 1000))}};
  });
  ASSERT_GT(g.heap, 0);
  EXPECT_NEAR(double(g.accounted) / double(g.heap), 1.0, 0.15)
      << "accounted " << g.accounted << " bytes, the heap grew by " << g.heap;
}

TEST(Accounting, MatchesTheHeapForBlobs) {
  auto store = Open();
  const Growth g = Fill(*store, "cid", 10'000, [](int i) {
    std::string bytes(1024, static_cast<char>('a' + i % 26));
    return Assignments{{"path", Value::Text(absl::StrFormat("/cid-%06d", i))},
                       {"file_data", Value::Blob(std::move(bytes))},
                       {"file_size", Value::Integer(1024)}};
  });
  ASSERT_GT(g.heap, 0);
  EXPECT_NEAR(double(g.accounted) / double(g.heap), 1.0, 0.15)
      << "accounted " << g.accounted << " bytes, the heap grew by " << g.heap;
}

}  // namespace
}  // namespace viewer
