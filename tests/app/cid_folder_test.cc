// CidRepository over a cids/ folder: the project's own folder, copied and
// made read-only, is served but never changed; a folder with bad entries
// serves its good files only. Each body runs on both backends (memory mode
// is the one the issue asks for; SQLite must behave the same).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "app/cid.h"
#include "app/cid_directory.h"
#include "app/cid_repository.h"
#include "app/schemas.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/cid_test_util.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// What a folder looks like from outside: every entry's name, type, mode,
// size, modification and change times (ns) and bytes, plus the folder's own.
struct EntryState {
  mode_t mode = 0;
  off_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  std::string bytes;
  bool operator==(const EntryState&) const = default;
};

int64_t Ns(const struct timespec& t) {
  return int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
}

std::map<std::string, EntryState> FolderState(const std::string& dir) {
  std::map<std::string, EntryState> state;
  auto record = [&](const std::string& key, const std::string& path) {
    struct stat st;
    EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
    EntryState e{st.st_mode, st.st_size, Ns(st.st_mtim), Ns(st.st_ctim), ""};
    if (S_ISREG(st.st_mode)) e.bytes = ReadFileOrDie(path);
    state[key] = e;
  };
  record(".", dir);
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    record(fs::relative(entry.path(), dir).string(), entry.path().string());
  }
  return state;
}

void MakeReadOnly(const std::string& dir) {
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    fs::permissions(entry.path(),
                    fs::perms::owner_write | fs::perms::group_write |
                        fs::perms::others_write,
                    fs::perm_options::remove);
  }
  fs::permissions(
      dir,
      fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
      fs::perm_options::remove);
}

class CidFolderTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  CidFolderTest() : h_(GetParam(), AppCatalog()) {}

  absl::StatusOr<std::string> Get(const CidRepository& repo,
                                  absl::string_view cid) {
    auto txn = h_.Read();
    auto bytes = repo.Get(*txn, cid);
    if (!bytes.ok()) return bytes.status();
    return **bytes;
  }

  StoreHarness h_;
};

TEST_P(CidFolderTest, AReadOnlyCopyOfTheProjectFolderIsServedAndNeverChanged) {
  ScopedTempDir tmp;
  const std::string dir = tmp.path() + "/cids";
  fs::copy(std::string(VIEWER_SOURCE_DIR) + "/cids", dir,
           fs::copy_options::recursive);
  MakeReadOnly(dir);
  const auto before = FolderState(dir);
  ASSERT_GE(before.size(), 21u);  // the folder itself and at least 20 files

  auto opened = CidDirectory::Open({.path = dir});
  ASSERT_OK(opened);
  std::unique_ptr<CidDirectory> folder = std::move(*opened);
  CidRepository repo(folder.get());
  const std::vector<std::string> names = folder->Names();
  ASSERT_EQ(names.size(), before.size() - 1);

  // New content, some of it identical to a file of the folder.
  const std::string fresh = "made in this session\n";
  const std::string big(100'000, 'q');
  const std::string from_folder = ReadFileOrDie(dir + "/" + names.back());
  std::vector<std::string> created;
  {
    auto txn = h_.Write();
    for (const std::string* bytes : {&fresh, &big, &from_folder}) {
      ASSERT_OK_AND_ASSIGN(std::string cid, repo.Create(*txn, *bytes));
      created.push_back(cid);
    }
    ASSERT_OK(txn->Commit());
  }
  EXPECT_EQ(created[2], names.back());

  // Every file of the folder is served, with its bytes.
  for (const std::string& name : names) {
    auto bytes = Get(repo, name);
    ASSERT_OK(bytes);
    EXPECT_EQ(*bytes, before.at(name).bytes) << name;
  }
  // The new CIDs come from the store.
  EXPECT_EQ(*Get(repo, created[0]), fresh);
  EXPECT_EQ(*Get(repo, created[1]), big);
  {
    auto txn = h_.Read();
    EXPECT_EQ(*repo.Count(*txn), 3);
    ASSERT_OK_AND_ASSIGN(std::vector<CidRecord> recent, repo.Recent(*txn, 10));
    ASSERT_EQ(recent.size(), 3u);
    EXPECT_EQ(recent[0].cid, created[2]);
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> all,
                         repo.FindByPrefix(*txn, "", 1000));
    std::set<std::string> expected(names.begin(), names.end());
    expected.insert(created.begin(), created.end());
    EXPECT_EQ(all, std::vector<std::string>(expected.begin(), expected.end()));
  }
  EXPECT_THAT(folder->DrainProblems(), ::testing::IsEmpty());
  EXPECT_EQ(folder->bad_count(), 0u);

  // Nothing in the folder changed: no entry added, removed, written or
  // touched (tests run as root, whom chmod does not stop).
  folder.reset();
  EXPECT_EQ(FolderState(dir), before);
  for (const std::string& cid : {created[0], created[1]}) {
    EXPECT_FALSE(fs::exists(dir + "/" + cid)) << cid;
  }
}

TEST_P(CidFolderTest, BadEntriesAreNotServedAndReportedOnce) {
  ScopedTempDir tmp;
  const std::string dir = tmp.path() + "/cids";
  fs::create_directory(dir);
  const std::string good(300, 'g');
  const std::string good_cid = ComputeCid(good);
  WriteFileOrDie(dir + "/" + good_cid, good);
  WriteFileOrDie(dir + "/" + ComputeCid("hello"), "hello");
  // Corrupted: the right length, other bytes.
  const std::string corrupt_cid = ComputeCid(std::string(200, 'c'));
  WriteFileOrDie(dir + "/" + corrupt_cid, std::string(200, 'C'));
  // Truncated: fewer bytes than the name says.
  const std::string short_cid = ComputeCid(std::string(500, 's'));
  WriteFileOrDie(dir + "/" + short_cid, "sss");
  // A literal name over other bytes.
  const std::string literal_cid = ComputeCid("hello2");
  WriteFileOrDie(dir + "/" + literal_cid, "HELLO2");
  // Misnamed: names that are no CID.
  WriteFileOrDie(dir + "/hello.txt", "hello");
  WriteFileOrDie(dir + "/AAAA", "x");
  // A subfolder, a hidden file and a symlink, each named like a CID.
  const std::string sub_cid = ComputeCid(std::string(400, 'd'));
  fs::create_directory(dir + "/" + sub_cid);
  WriteFileOrDie(dir + "/" + sub_cid + "/" + good_cid, good);
  const std::string hidden(250, 'h');
  WriteFileOrDie(dir + "/." + ComputeCid(hidden), hidden);
  const std::string linked(260, 'l');
  WriteFileOrDie(tmp.path() + "/link-target", linked);
  fs::create_symlink(tmp.path() + "/link-target",
                     dir + "/" + ComputeCid(linked));

  auto opened = CidDirectory::Open({.path = dir});
  ASSERT_OK(opened);
  std::unique_ptr<CidDirectory> folder = std::move(*opened);
  CidRepository repo(folder.get());

  // Names that are no CID are found at listing.
  std::vector<std::string> reported;
  for (const auto& p : folder->DrainProblems()) reported.push_back(p.name);
  EXPECT_THAT(reported, UnorderedElementsAre("hello.txt", "AAAA"));

  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "first read" : "second read");
    EXPECT_EQ(*Get(repo, good_cid), good);
    EXPECT_EQ(*Get(repo, ComputeCid("hello")), "hello");
    // Bad hashed files: kDataLoss with the reason, every time.
    auto corrupt = Get(repo, corrupt_cid);
    EXPECT_THAT(corrupt, StatusIs(absl::StatusCode::kDataLoss));
    EXPECT_THAT(std::string(corrupt.status().message()), HasSubstr("SHA-512"));
    auto truncated = Get(repo, short_cid);
    EXPECT_THAT(truncated, StatusIs(absl::StatusCode::kDataLoss));
    EXPECT_THAT(std::string(truncated.status().message()),
                HasSubstr("is not served"));
    // A literal CID is its own content: the bad file is bypassed.
    EXPECT_EQ(*Get(repo, literal_cid), "hello2");
    // Not CIDs at all.
    EXPECT_THAT(Get(repo, "hello.txt"),
                StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(Get(repo, "AAAA"),
                StatusIs(absl::StatusCode::kInvalidArgument));
    // Ignored entries.
    EXPECT_THAT(Get(repo, sub_cid), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(Get(repo, ComputeCid(hidden)),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(Get(repo, ComputeCid(linked)),
                StatusIs(absl::StatusCode::kNotFound));
    reported.clear();
    for (const auto& p : folder->DrainProblems()) reported.push_back(p.name);
    if (pass == 0) {
      EXPECT_THAT(reported,
                  UnorderedElementsAre(corrupt_cid, short_cid, literal_cid));
    } else {
      EXPECT_THAT(reported, ::testing::IsEmpty());  // reported once only
    }
  }
  auto txn = h_.Read();
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> listed,
                       repo.FindByPrefix(*txn, "", 100));
  EXPECT_THAT(listed, UnorderedElementsAre(good_cid, ComputeCid("hello")));
  EXPECT_FALSE(*repo.Exists(*txn, corrupt_cid));
  EXPECT_TRUE(*repo.Exists(*txn, good_cid));
  EXPECT_EQ(*repo.Count(*txn), 0);
  EXPECT_EQ(folder->bad_count(), 5u);
}

INSTANTIATE_TEST_SUITE_P(Backends, CidFolderTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
