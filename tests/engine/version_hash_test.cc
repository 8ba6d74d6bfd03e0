// Tests of VersionHash (engine/internal/version_hash.h): finds what was
// inserted through growth, tombstones and rebuilds, keeps "several"
// marks, and reads a version only when its slot's hash bits match.
#include "engine/internal/version_hash.h"

#include <cstdlib>
#include <vector>

#include "absl/hash/hash.h"
#include "tests/testutil.h"

namespace viewer::internal {
namespace {

// Versions whose "key" is their index in a vector.
struct Keys {
  std::vector<Version*> versions;
  explicit Keys(int n) {
    for (int i = 0; i < n; ++i) {
      void* block = nullptr;
      if (posix_memalign(&block, 16, sizeof(Version)) != 0) abort();
      versions.push_back(new (block) Version());
    }
  }
  ~Keys() {
    for (Version* v : versions) free(v);
  }
  size_t KeyOf(const Version* v) const {
    for (size_t i = 0; i < versions.size(); ++i) {
      if (versions[i] == v) return i;
    }
    return ~size_t{0};
  }
  static size_t Hash(size_t key) { return absl::HashOf(key); }
};

TEST(VersionHash, FindsWhatWasInsertedAndNotWhatWasErased) {
  Keys keys(7000);
  VersionHash hash;
  auto rehash = [&](const Version* v) { return Keys::Hash(keys.KeyOf(v)); };
  auto find = [&](size_t key) {
    return hash.Find(Keys::Hash(key), [&](const Version* v) {
      return keys.KeyOf(v) == key;
    });
  };
  for (size_t k = 0; k < 5000; ++k) hash.Insert(Keys::Hash(k), keys.versions[k], rehash);
  EXPECT_EQ(hash.size(), 5000u);
  for (size_t k = 0; k < 5000; k += 2) hash.Erase(find(k));
  EXPECT_EQ(hash.size(), 2500u);
  for (size_t k = 0; k < 5000; ++k) {
    VersionHash::Slot* slot = find(k);
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
  find(1)->Set(keys.versions[1], /*several=*/true);
  for (size_t k = 0; k < 5000; k += 2) hash.Insert(Keys::Hash(k), keys.versions[k], rehash);
  for (size_t k = 5000; k < 7000; ++k) hash.Insert(Keys::Hash(k), keys.versions[k], rehash);
  EXPECT_EQ(hash.size(), 7000u);
  for (size_t k = 0; k < 7000; ++k) {
    ASSERT_NE(find(k), nullptr) << k;
    EXPECT_EQ(find(k)->several(), k == 1);
  }
}

TEST(VersionHash, ReadsAVersionOnlyWhenItsHashBitsMatch) {
  Keys keys(1000);
  VersionHash hash;
  auto rehash = [&](const Version* v) { return Keys::Hash(keys.KeyOf(v)); };
  for (size_t k = 0; k < 1000; ++k) hash.Insert(Keys::Hash(k), keys.versions[k], rehash);
  int reads = 0;
  for (size_t k = 1000; k < 2000; ++k) {  // none is there
    EXPECT_EQ(hash.Find(Keys::Hash(k),
                        [&](const Version*) {
                          ++reads;
                          return false;
                        }),
              nullptr);
  }
  EXPECT_LT(reads, 10);  // 16 hash bits: about 1 in 65,536 per slot read
}

}  // namespace
}  // namespace viewer::internal
