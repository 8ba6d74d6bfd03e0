// Tests of VersionHash (engine/internal/version_hash.h): finds what was
// inserted through growth, tombstones and rebuilds, keeps "several"
// marks, and reads a version only when its slot's hash bits match, however
// large the table.
#include "engine/internal/version_hash.h"

#include <cstdlib>
#include <vector>

#include "absl/hash/hash.h"
#include "tests/testutil.h"

namespace viewer::internal {
namespace {

// Versions whose "key" is kept in their begin stamp (for this test only).
struct Keys {
  std::vector<Version*> versions;
  explicit Keys(size_t n) {
    for (size_t i = 0; i < n; ++i) {
      void* block = nullptr;
      if (posix_memalign(&block, 16, sizeof(Version)) != 0) abort();
      versions.push_back(new (block) Version());
      versions.back()->begin.store(i);
    }
  }
  ~Keys() {
    for (Version* v : versions) free(v);
  }
  static size_t KeyOf(const Version* v) { return v->Begin(); }
  static size_t Hash(size_t key) { return absl::HashOf(key); }
};

struct Table {
  VersionHash hash;
  int rehashes = 0;
  void Insert(const Keys& keys, size_t k) {
    hash.Insert(Keys::Hash(k), keys.versions[k], [&](const Version* v) {
      ++rehashes;
      return Keys::Hash(Keys::KeyOf(v));
    });
  }
  VersionHash::Slot* Find(size_t k) {
    return hash.Find(Keys::Hash(k),
                     [&](const Version* v) { return Keys::KeyOf(v) == k; });
  }
};

TEST(VersionHash, FindsWhatWasInsertedAndNotWhatWasErased) {
  Keys keys(7000);
  Table t;
  for (size_t k = 0; k < 5000; ++k) t.Insert(keys, k);
  EXPECT_EQ(t.hash.size(), 5000u);
  for (size_t k = 0; k < 5000; k += 2) t.hash.Erase(t.Find(k));
  EXPECT_EQ(t.hash.size(), 2500u);
  for (size_t k = 0; k < 5000; ++k) {
    VersionHash::Slot* slot = t.Find(k);
    if (k % 2 == 0) {
      EXPECT_EQ(slot, nullptr) << k;
    } else {
      ASSERT_NE(slot, nullptr) << k;
      EXPECT_EQ(slot->version(), keys.versions[k]);
      EXPECT_FALSE(slot->several());
    }
  }
  // Inserting again reuses tombstones; past 7/8 of the slots the table
  // is rebuilt, and marks survive it.
  t.Find(1)->Set(keys.versions[1], /*several=*/true);
  for (size_t k = 0; k < 5000; k += 2) t.Insert(keys, k);
  for (size_t k = 5000; k < 7000; ++k) t.Insert(keys, k);
  EXPECT_EQ(t.hash.size(), 7000u);
  for (size_t k = 0; k < 7000; ++k) {
    ASSERT_NE(t.Find(k), nullptr) << k;
    EXPECT_EQ(t.Find(k)->version(), keys.versions[k]);
    EXPECT_EQ(t.Find(k)->several(), k == 1);
  }
}

// A probe reads a version only when the slot's 19 kept hash bits match,
// also in a table so large that a key's home takes more than 19 bits.
TEST(VersionHash, ReadsAVersionOnlyWhenItsHashBitsMatch) {
  for (size_t n : {size_t{1000}, size_t{600'000}}) {
    Keys keys(n);
    Table t;
    for (size_t k = 0; k < n; ++k) t.Insert(keys, k);
    int reads = 0;
    for (size_t k = n; k < n + 10'000; ++k) {  // none is there
      EXPECT_EQ(t.hash.Find(Keys::Hash(k),
                            [&](const Version*) {
                              ++reads;
                              return false;
                            }),
                nullptr);
    }
    EXPECT_LT(reads, 10) << n << " keys";  // about 1 in 500,000 slots read
    for (size_t k = 0; k < n; k += 997) {
      ASSERT_NE(t.Find(k), nullptr) << k;
      EXPECT_EQ(t.Find(k)->version(), keys.versions[k]);
    }
  }
}

}  // namespace
}  // namespace viewer::internal
