// The plan's phase 4.4 (CIDs): CidRepository on two backends (each
// against the reference one), results compared whole
// (tests/app/repository_fixture.h); find by prefix with '_', '%' and mixed
// case; the lookup order store, folder, literal.
#include <memory>
#include <string>
#include <vector>

#include "app/cid.h"
#include "app/cid_directory.h"
#include "app/cid_repository.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/cid_test_util.h"
#include "tests/app/repository_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// CidRepository::Get's bytes, by value, so both sides compare.
absl::StatusOr<std::string> GetBytes(const CidRepository& repo, Transaction& t,
                                     absl::string_view cid) {
  absl::StatusOr<std::shared_ptr<const std::string>> bytes = repo.Get(t, cid);
  if (!bytes.ok()) return bytes.status();
  return **bytes;
}

// ---- 4.4 CIDs
// ----------------------------------------------------------------

TEST_P(RepositoryEquivalenceTest, CidCreateGetAndCount) {
  CidRepository repo;
  const std::string big(70'000, 'b');
  auto hello = Same([&](Transaction& t) { return repo.Create(t, "hello"); });
  ASSERT_OK(hello);
  EXPECT_EQ(*hello, "AAAAAAAFaGVsbG8");
  auto big_cid = Same([&](Transaction& t) { return repo.Create(t, big); });
  EXPECT_EQ(*big_cid, ComputeCid(big));
  EXPECT_EQ(
      *SameRead([&](Transaction& t) { return GetBytes(repo, t, *big_cid); }),
      big);
  EXPECT_EQ(*SameRead([&](Transaction& t) { return repo.Count(t); }), 2);
  auto rows =
      SameRead([&](Transaction& t) { return t.Select("cid", Query{}); });
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0][1], Value::Text("/AAAAAAAFaGVsbG8"));
  EXPECT_EQ((*rows)[0][2], Value::Blob("hello"));
  EXPECT_EQ((*rows)[0][3], Value::Integer(5));
  ExpectSameContents();
}

TEST_P(RepositoryEquivalenceTest, CidCreateIsIdempotent) {
  CidRepository repo;
  auto first =
      Same([&](Transaction& t) { return repo.Create(t, "same bytes"); });
  Advance(absl::Seconds(3));
  auto second =
      Same([&](Transaction& t) { return repo.Create(t, "same bytes"); });
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(*SameRead([&](Transaction& t) { return repo.Count(t); }), 1);
  // The row keeps its first timestamp.
  auto recent = SameRead([&](Transaction& t) { return repo.Recent(t, 10); });
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0].created_at.micros,
            a_.clock().Now().micros - 3'000'000);
  ExpectSameContents();
}

TEST_P(RepositoryEquivalenceTest, CidGetLooksInTheStoreThenTheLiteral) {
  CidRepository repo;
  const std::string unknown = ComputeCid(std::string(100, 'u'));
  EXPECT_THAT(
      SameRead([&](Transaction& t) { return GetBytes(repo, t, unknown); }),
      StatusIs(absl::StatusCode::kNotFound,
               absl::StrCat("no content for CID ", unknown)));
  // A literal CID needs no storage.
  EXPECT_EQ(*SameRead([&](Transaction& t) {
    return GetBytes(repo, t, "AAAAAAARYWkgLT4gL2FpX2Fzc2lzdAo");
  }),
            "ai -> /ai_assist\n");
  EXPECT_EQ(
      *SameRead([&](Transaction& t) { return GetBytes(repo, t, "AAAAAAAA"); }),
      "");
  // Malformed: the codec's message.
  EXPECT_THAT(
      SameRead([&](Transaction& t) { return GetBytes(repo, t, "AAAA%AAA"); }),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "CID has a character outside A-Za-z0-9-_: '%' at position 4"));
  EXPECT_THAT(
      SameRead([&](Transaction& t) { return GetBytes(repo, t, "/AAAAAAAA"); }),
      StatusIs(absl::StatusCode::kInvalidArgument));
  // The store's row wins over the literal (rows written by something else
  // may disagree with their name; the store is looked in first).
  Do([](Transaction& t) {
    return t.Insert("cid", {{"path", Value::Text("/AAAAAAAFaGVsbG8")},
                            {"file_data", Value::Blob("HELLO")}});
  });
  EXPECT_EQ(*SameRead([&](Transaction& t) {
    return GetBytes(repo, t, "AAAAAAAFaGVsbG8");
  }),
            "HELLO");
  auto recent = SameRead([&](Transaction& t) { return repo.Recent(t, 1); });
  EXPECT_EQ((*recent)[0].file_size, 5);  // NULL file_size reads as the size
}

TEST_P(RepositoryEquivalenceTest, CidGetUsesTheFolderAfterTheStore) {
  ScopedTempDir dir;
  const std::string on_disk(300, 'd');
  const std::string cid = ComputeCid(on_disk);
  WriteFileOrDie(dir.path() + "/" + cid, on_disk);
  auto folder = CidDirectory::Open({.path = dir.path()});
  ASSERT_OK(folder);
  CidRepository repo(folder->get());
  EXPECT_EQ(*SameRead([&](Transaction& t) { return GetBytes(repo, t, cid); }),
            on_disk);
  EXPECT_TRUE(*SameRead([&](Transaction& t) { return repo.Exists(t, cid); }));
  EXPECT_EQ(*SameRead([&](Transaction& t) { return repo.Count(t); }), 0);
  // Storing the same bytes again puts a row in the store (the folder is
  // never written); Get then serves the row.
  EXPECT_EQ(*Same([&](Transaction& t) { return repo.Create(t, on_disk); }),
            cid);
  EXPECT_EQ(*SameRead([&](Transaction& t) { return repo.Count(t); }), 1);
  EXPECT_EQ(*SameRead([&](Transaction& t) { return GetBytes(repo, t, cid); }),
            on_disk);
}

TEST_P(RepositoryEquivalenceTest, CidRecentIsNewestFirstThenLaterInsertFirst) {
  CidRepository repo;
  for (const char* s : {"one", "two"}) {
    Do([&](Transaction& t) { return repo.Create(t, s); });
  }
  Advance(absl::Seconds(1));
  for (const char* s : {"three", "four"}) {
    Do([&](Transaction& t) { return repo.Create(t, s); });
  }
  auto recent = SameRead([&](Transaction& t) { return repo.Recent(t, 3); });
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_EQ(*(*recent)[0].data, "four");
  EXPECT_EQ(*(*recent)[1].data, "three");
  EXPECT_EQ(*(*recent)[2].data, "two");
  EXPECT_EQ((*recent)[0].cid, ComputeCid("four"));
  EXPECT_THAT(*SameRead([&](Transaction& t) { return repo.Recent(t, 0); }),
              IsEmpty());
  EXPECT_THAT(SameRead([&](Transaction& t) { return repo.Recent(t, -1); }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "limit must be >= 0, got -1"));
}

TEST_P(RepositoryEquivalenceTest,
       CidFindByPrefixIsCaseSensitiveWithoutWildcards) {
  CidRepository repo;
  // "a" -> AAAAAAABYQ, "\xc9" -> AAAAAAAByQ (the same but for case),
  // "\xff" -> AAAAAAAB_w, "\xfb" -> AAAAAAAB-w.
  for (const std::string& s :
       {std::string("a"), std::string("\xc9"), std::string("\xff"),
        std::string("\xfb"), std::string("hello")}) {
    Do([&](Transaction& t) { return repo.Create(t, s); });
  }
  ASSERT_EQ(ComputeCid("\xc9"), "AAAAAAAByQ");
  ASSERT_EQ(ComputeCid("\xff"), "AAAAAAAB_w");
  auto find = [&](const std::string& prefix) {
    return *SameRead(
        [&](Transaction& t) { return repo.FindByPrefix(t, prefix, 10); });
  };
  EXPECT_THAT(find("AAAAAAAB"), ElementsAre("AAAAAAAB-w", "AAAAAAABYQ",
                                            "AAAAAAAB_w", "AAAAAAAByQ"));
  EXPECT_THAT(find("AAAAAAABY"), ElementsAre("AAAAAAABYQ"));
  EXPECT_THAT(find("AAAAAAABy"), ElementsAre("AAAAAAAByQ"));
  EXPECT_THAT(find("aaaaaaab"), IsEmpty());
  // '_' is a plain character (SQL LIKE would match any one character).
  EXPECT_THAT(find("AAAAAAAB_"), ElementsAre("AAAAAAAB_w"));
  EXPECT_THAT(find("AAAAAAA_"), IsEmpty());
  // '%' is a plain character (SQL LIKE would match anything).
  EXPECT_THAT(find("%"), IsEmpty());
  EXPECT_THAT(find("AAAAAAAB%"), IsEmpty());
  EXPECT_THAT(find(""), ::testing::SizeIs(5));
  EXPECT_THAT(*SameRead([&](Transaction& t) {
    return repo.FindByPrefix(t, "AAAAAAAB", 2);
  }),
              ElementsAre("AAAAAAAB-w", "AAAAAAABYQ"));
}

TEST_P(RepositoryEquivalenceTest, CidFindByPrefixTakesStoredPathsLiterally) {
  // Rows written by something else, with '%' and '_' in their paths.
  for (const char* path : {"/ab%cd", "/abXcd", "/ab_cd", "/AB_cd", "/ab"}) {
    Do([&](Transaction& t) {
      return t.Insert("cid", {{"path", Value::Text(path)},
                              {"file_data", Value::Blob("x")}});
    });
  }
  CidRepository repo;
  auto find = [&](const std::string& prefix) {
    return *SameRead(
        [&](Transaction& t) { return repo.FindByPrefix(t, prefix, 10); });
  };
  EXPECT_THAT(find("ab%"), ElementsAre("ab%cd"));
  EXPECT_THAT(find("ab_"), ElementsAre("ab_cd"));
  EXPECT_THAT(find("AB"), ElementsAre("AB_cd"));
  EXPECT_THAT(find("ab"), ElementsAre("ab", "ab%cd", "abXcd", "ab_cd"));
}

TEST_P(RepositoryEquivalenceTest, CidFindByPrefixMergesTheFolder) {
  ScopedTempDir dir;
  for (const std::string& s : {std::string("a"), std::string("\xff")}) {
    WriteFileOrDie(dir.path() + "/" + ComputeCid(s), s);
  }
  auto folder = CidDirectory::Open({.path = dir.path()});
  ASSERT_OK(folder);
  CidRepository repo(folder->get());
  for (const std::string& s : {std::string("a"), std::string("\xc9")}) {
    Do([&](Transaction& t) { return repo.Create(t, s); });
  }
  // "a" is in both: listed once.
  EXPECT_THAT(*SameRead([&](Transaction& t) {
    return repo.FindByPrefix(t, "AAAAAAAB", 10);
  }),
              ElementsAre("AAAAAAABYQ", "AAAAAAAB_w", "AAAAAAAByQ"));
  EXPECT_THAT(*SameRead([&](Transaction& t) {
    return repo.FindByPrefix(t, "AAAAAAAB", 2);
  }),
              ElementsAre("AAAAAAABYQ", "AAAAAAAB_w"));
}

INSTANTIATE_TEST_SUITE_P(Compare, RepositoryEquivalenceTest, AllPairs(),
                         PairParamName);

}  // namespace
}  // namespace viewer::testing
