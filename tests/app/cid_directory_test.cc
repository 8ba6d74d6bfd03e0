// Tests for CidDirectory (app/cid_directory.h): good files are served,
// bad ones never are and are reported once, ignored entries stay ignored,
// the folder is never written, and many threads may read at once.
#include "app/cid_directory.h"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/cid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/cid_test_util.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using ::viewer::testing::ReadFileOrDie;
using ::viewer::testing::ScopedTempDir;
using ::viewer::testing::StatusIs;
using ::viewer::testing::WriteFileOrDie;

std::unique_ptr<CidDirectory> OpenOrDie(const std::string& path,
                                        uint64_t max_cache_bytes = 1 << 20) {
  CidDirectory::Options options;
  options.path = path;
  options.max_cache_bytes = max_cache_bytes;
  absl::StatusOr<std::unique_ptr<CidDirectory>> dir =
      CidDirectory::Open(options);
  EXPECT_OK(dir);
  return dir.ok() ? *std::move(dir) : nullptr;
}

// A folder holding one of each kind of entry the reader must handle.
class MixedFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string& d = folder_.path();
    hashed_ = std::string(1000, 'h');
    corrupt_original_ = std::string(500, 'c');
    AddGood("hello");
    AddGood("");
    AddGood(hashed_);
    // Same length as the name says, different bytes.
    corrupt_ = ComputeCid(corrupt_original_);
    WriteFileOrDie(d + "/" + corrupt_, std::string(499, 'c') + "C");
    // Longer than the name says.
    short_ = ComputeCid("short");
    WriteFileOrDie(d + "/" + short_, "short and then some");
    WriteFileOrDie(d + "/notes.txt", "not a CID name");
    const std::string in_subfolder = ComputeCid("in a subfolder");
    std::filesystem::create_directory(d + "/" + ComputeCid("a folder"));
    WriteFileOrDie(d + "/" + ComputeCid("a folder") + "/" + in_subfolder,
                   "in a subfolder");
    WriteFileOrDie(d + "/." + ComputeCid("hidden"), "hidden");
    WriteFileOrDie(d + "/.hidden", "hidden");
    WriteFileOrDie(outside_.path() + "/target", "linked");
    symlink_ = ComputeCid("linked");
    std::filesystem::create_symlink(outside_.path() + "/target",
                                    d + "/" + symlink_);
    fifo_ = ComputeCid("a fifo");
    ASSERT_EQ(mkfifo((d + "/" + fifo_).c_str(), 0644), 0);
  }

  void AddGood(const std::string& bytes) {
    good_[ComputeCid(bytes)] = bytes;
    WriteFileOrDie(folder_.path() + "/" + ComputeCid(bytes), bytes);
  }

  ScopedTempDir folder_;
  ScopedTempDir outside_;
  std::map<std::string, std::string> good_;  // CID -> bytes
  std::string hashed_, corrupt_original_, corrupt_, short_, symlink_, fifo_;
};

TEST_F(MixedFolderTest, ListsWithoutReading) {
  std::unique_ptr<CidDirectory> dir = OpenOrDie(folder_.path());
  ASSERT_NE(dir, nullptr);
  EXPECT_TRUE(dir->folder_exists());
  EXPECT_EQ(dir->listed_count(), 6u);   // 3 good, 2 damaged, notes.txt
  EXPECT_EQ(dir->ignored_count(), 5u);  // folder, 2 hidden, symlink, fifo
  EXPECT_EQ(dir->file_count(), 5u);     // damaged ones not found out yet
  EXPECT_EQ(dir->bad_count(), 1u);
  EXPECT_EQ(dir->cached_bytes(), 0u);
  EXPECT_TRUE(dir->Contains(corrupt_));
  EXPECT_FALSE(dir->Contains(symlink_));
  EXPECT_FALSE(dir->Contains("notes.txt"));
  EXPECT_GE(dir->listing_time(), absl::ZeroDuration());
  EXPECT_THAT(dir->Summary(), StartsWith("cids: 5 files in " + folder_.path() +
                                         " (1 bad, 5 ignored), listed in "));

  std::vector<CidDirectory::Problem> problems = dir->DrainProblems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].name, "notes.txt");
  EXPECT_EQ(problems[0].reason,
            "the name is not a CID: CID has a character outside "
            "A-Za-z0-9-_: '.' at position 5");
  EXPECT_THAT(dir->DrainProblems(), IsEmpty());
}

TEST_F(MixedFolderTest, ServesGoodFilesAndSharesTheBytes) {
  std::unique_ptr<CidDirectory> dir = OpenOrDie(folder_.path());
  ASSERT_NE(dir, nullptr);
  for (const auto& [cid, bytes] : good_) {
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<const std::string> first,
                         dir->Read(cid));
    EXPECT_EQ(*first, bytes);
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<const std::string> again,
                         dir->Read(cid));
    EXPECT_EQ(first.get(), again.get()) << "second read must hit the cache";
  }
  EXPECT_EQ(dir->cached_bytes(), 5u + 0u + 1000u);
}

TEST_F(MixedFolderTest, NeverServesBadFilesAndReportsEachOnce) {
  std::unique_ptr<CidDirectory> dir = OpenOrDie(folder_.path());
  ASSERT_NE(dir, nullptr);
  dir->DrainProblems();  // notes.txt, checked above.
  const std::string not_served = folder_.path() + "/" + corrupt_ +
                                 " is not served: bytes do not match the "
                                 "name (SHA-512 differs)";
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(dir->Read(corrupt_),
                StatusIs(absl::StatusCode::kDataLoss, not_served));
    EXPECT_THAT(dir->Read(short_),
                StatusIs(absl::StatusCode::kDataLoss,
                         folder_.path() + "/" + short_ +
                             " is not served: the name says 5 bytes but the "
                             "file holds 19"));
  }
  std::vector<CidDirectory::Problem> problems = dir->DrainProblems();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].name, corrupt_);
  EXPECT_EQ(problems[0].reason,
            "bytes do not match the name (SHA-512 differs)");
  EXPECT_EQ(problems[1].name, short_);
  EXPECT_THAT(dir->DrainProblems(), IsEmpty());
  EXPECT_FALSE(dir->Contains(corrupt_));
  EXPECT_EQ(dir->file_count(), 3u);
  EXPECT_EQ(dir->bad_count(), 3u);
  EXPECT_EQ(dir->BadFiles().size(), 3u);

  std::vector<std::string> expected_names;
  for (const auto& [cid, bytes] : good_) expected_names.push_back(cid);
  EXPECT_EQ(dir->Names(), expected_names);  // std::map order is byte order.

  EXPECT_THAT(dir->Read("notes.txt"),
              StatusIs(absl::StatusCode::kDataLoss,
                       folder_.path() +
                           "/notes.txt is not served: the name is not a CID: "
                           "CID has a character outside A-Za-z0-9-_: '.' at "
                           "position 5"));
}

TEST_F(MixedFolderTest, IgnoredAndUnknownNamesAreNotFound) {
  std::unique_ptr<CidDirectory> dir = OpenOrDie(folder_.path());
  ASSERT_NE(dir, nullptr);
  for (const std::string& cid :
       {symlink_, fifo_, ComputeCid("a folder"), ComputeCid("hidden"),
        ComputeCid("never written"), ComputeCid(std::string(100, 'n'))}) {
    EXPECT_THAT(dir->Read(cid),
                StatusIs(absl::StatusCode::kNotFound,
                         "CID " + cid + " is not in " + folder_.path()));
  }
  EXPECT_THAT(dir->Read("not/a/cid"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(dir->Read(""),
              StatusIs(absl::StatusCode::kInvalidArgument, "CID is empty"));
  EXPECT_THAT(dir->DrainProblems(), ::testing::SizeIs(1));  // notes.txt only
}

TEST_F(MixedFolderTest, NamesWithPrefix) {
  std::unique_ptr<CidDirectory> dir = OpenOrDie(folder_.path());
  ASSERT_NE(dir, nullptr);
  EXPECT_THAT(dir->NamesWithPrefix(ComputeCid("hello")),
              ElementsAre(ComputeCid("hello")));
  EXPECT_THAT(dir->NamesWithPrefix("AAAAAAAA"), ElementsAre("AAAAAAAA"));
  EXPECT_EQ(dir->NamesWithPrefix("AAAAA").size(), 5u);
  EXPECT_EQ(dir->NamesWithPrefix("AAAAA", 2).size(), 2u);
  EXPECT_THAT(dir->NamesWithPrefix("aaaaa"), IsEmpty());  // Case-sensitive.
}

TEST_F(MixedFolderTest, FilesChangedAfterTheListingAreBad) {
  std::unique_ptr<CidDirectory> dir = OpenOrDie(folder_.path());
  ASSERT_NE(dir, nullptr);
  const std::string hello = ComputeCid("hello");
  const std::string hashed = ComputeCid(hashed_);
  ASSERT_EQ(unlink((folder_.path() + "/" + hello).c_str()), 0);
  ASSERT_EQ(unlink((folder_.path() + "/" + hashed).c_str()), 0);
  std::filesystem::create_symlink(outside_.path() + "/target",
                                  folder_.path() + "/" + hashed);
  EXPECT_THAT(dir->Read(hello),
              StatusIs(absl::StatusCode::kDataLoss,
                       folder_.path() + "/" + hello +
                           " is not served: disappeared after the listing"));
  EXPECT_THAT(dir->Read(hashed),
              StatusIs(absl::StatusCode::kDataLoss,
                       folder_.path() + "/" + hashed +
                           " is not served: became a symlink after the "
                           "listing; links are not followed"));
}

TEST(CidDirectoryTest, MissingFolderHasNoFiles) {
  ScopedTempDir parent;
  const std::string path = parent.path() + "/no-such-folder";
  std::unique_ptr<CidDirectory> dir = OpenOrDie(path);
  ASSERT_NE(dir, nullptr);
  EXPECT_FALSE(dir->folder_exists());
  EXPECT_EQ(dir->file_count(), 0u);
  EXPECT_THAT(dir->Names(), IsEmpty());
  EXPECT_EQ(dir->Summary(),
            "cids: folder " + path + " does not exist; no files");
  EXPECT_THAT(dir->Read("AAAAAAAA"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_FALSE(std::filesystem::exists(path)) << "Open must not create it";
}

TEST(CidDirectoryTest, AFileIsNoFolder) {
  ScopedTempDir parent;
  const std::string path = parent.path() + "/file";
  WriteFileOrDie(path, "x");
  CidDirectory::Options options;
  options.path = path;
  EXPECT_THAT(CidDirectory::Open(options),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "the cids folder " + path + " is not a directory"));
}

TEST(CidDirectoryTest, CacheLimitStillServesVerifiedBytes) {
  ScopedTempDir folder;
  const std::string bytes(2000, 'z');
  WriteFileOrDie(folder.path() + "/" + ComputeCid(bytes), bytes);
  std::unique_ptr<CidDirectory> dir =
      OpenOrDie(folder.path(), /*max_cache_bytes=*/1000);
  ASSERT_NE(dir, nullptr);
  ASSERT_OK_AND_ASSIGN(auto first, dir->Read(ComputeCid(bytes)));
  ASSERT_OK_AND_ASSIGN(auto second, dir->Read(ComputeCid(bytes)));
  EXPECT_EQ(*first, bytes);
  EXPECT_EQ(*second, bytes);
  EXPECT_NE(first.get(), second.get());
  EXPECT_EQ(dir->cached_bytes(), 0u);
}

TEST(CidDirectoryTest, RefusesFilesOverTheSizeLimit) {
  ScopedTempDir folder;
  const std::string bytes(2000, 'z');
  const std::string cid = ComputeCid(bytes);
  WriteFileOrDie(folder.path() + "/" + cid, bytes);
  CidDirectory::Options options;
  options.path = folder.path();
  options.max_file_bytes = 1999;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<CidDirectory> dir,
                       CidDirectory::Open(options));
  EXPECT_THAT(dir->Read(cid),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       folder.path() + "/" + cid +
                           " holds 2000 bytes, more than the limit of 1999"));
  EXPECT_TRUE(dir->Contains(cid)) << "too big is not bad";
  EXPECT_THAT(dir->DrainProblems(), IsEmpty());
}

// Everything about a folder that a writer could change.
std::map<std::string, std::string> Snapshot(const std::string& path) {
  std::map<std::string, std::string> result;
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    struct stat st;
    EXPECT_EQ(lstat(entry.path().c_str(), &st), 0);
    std::string state = std::to_string(st.st_mode) + " " +
                        std::to_string(st.st_mtim.tv_sec) + "." +
                        std::to_string(st.st_mtim.tv_nsec) + " " +
                        std::to_string(st.st_ctim.tv_sec) + "." +
                        std::to_string(st.st_ctim.tv_nsec);
    if (S_ISREG(st.st_mode)) state += " " + ReadFileOrDie(entry.path());
    result[entry.path().filename()] = state;
  }
  return result;
}

TEST_F(MixedFolderTest, NeverWritesTheFolder) {
  // Tests may run as root, for whom a-w changes nothing; so besides the
  // chmod, watch the folder: inotify reports any create, write, rename,
  // delete or attribute change, and IN_CLOSE_WRITE for any file opened for
  // writing, even one left unchanged.
  ASSERT_EQ(std::system(("chmod -R a-w '" + folder_.path() + "'").c_str()), 0);
  const auto before = Snapshot(folder_.path());
  const int watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  ASSERT_GE(watch, 0);
  ASSERT_GE(inotify_add_watch(watch, folder_.path().c_str(),
                              IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB |
                                  IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE |
                                  IN_DELETE_SELF | IN_MOVE_SELF | IN_OPEN),
            0);
  {
    std::unique_ptr<CidDirectory> dir = OpenOrDie(folder_.path());
    ASSERT_NE(dir, nullptr);
    for (const std::string& name : dir->Names()) dir->Read(name).IgnoreError();
    for (const auto& [cid, bytes] : good_) {
      ASSERT_OK_AND_ASSIGN(auto read, dir->Read(cid));
      EXPECT_EQ(*read, bytes);
    }
    EXPECT_EQ(dir->DrainProblems().size(), 3u);
  }
  alignas(struct inotify_event) char buffer[1 << 16];
  const ssize_t n = read(watch, buffer, sizeof(buffer));
  ASSERT_GT(n, 0) << "the watch saw no open at all: it is not working";
  int opens = 0;
  for (ssize_t offset = 0; offset < n;) {
    const auto* event =
        reinterpret_cast<const struct inotify_event*>(buffer + offset);
    if (event->mask & IN_OPEN) {
      ++opens;
    } else {
      ADD_FAILURE() << "unexpected inotify event mask " << event->mask << " on "
                    << (event->len ? event->name : "the folder");
    }
    offset += sizeof(struct inotify_event) + event->len;
  }
  EXPECT_GE(opens, 5);
  close(watch);
  EXPECT_EQ(Snapshot(folder_.path()), before);
}

TEST(CidDirectoryTest, ManyThreadsReadAtOnce) {
  ScopedTempDir folder;
  std::map<std::string, std::string> good;
  std::vector<std::string> bad;
  for (int i = 0; i < 60; ++i) {
    const std::string bytes =
        std::string(i * 37, 'a' + i % 26) + std::to_string(i);
    const std::string cid = ComputeCid(bytes);
    if (i % 10 == 3) {
      WriteFileOrDie(folder.path() + "/" + cid, bytes + "!");
      bad.push_back(cid);
    } else {
      WriteFileOrDie(folder.path() + "/" + cid, bytes);
      good[cid] = bytes;
    }
  }
  std::unique_ptr<CidDirectory> dir = OpenOrDie(folder.path());
  ASSERT_NE(dir, nullptr);
  std::atomic<int> drained{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (const auto& [cid, bytes] : good) {
          auto read = dir->Read(cid);
          if (!read.ok() || **read != bytes) ++wrong;
        }
        for (const std::string& cid : bad) {
          if (dir->Read(cid).status().code() != absl::StatusCode::kDataLoss) {
            ++wrong;
          }
        }
        if ((round + t) % 5 == 0) drained += dir->DrainProblems().size();
        dir->Names();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  drained += dir->DrainProblems().size();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(drained.load(), static_cast<int>(bad.size()));
  EXPECT_EQ(dir->file_count(), good.size());
}

}  // namespace
}  // namespace viewer
