// Tests of the project's own cids/ folder (VIEWER_SOURCE_DIR/cids): every
// file verifies, it has the variety the demo promises, its reference table
// (computed with Python's hashlib) agrees with ComputeCid, docs/cids.md
// lists exactly its files, and every hashed CID the demo links to is there.
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "app/cid.h"
#include "app/cid_directory.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/app/cid_test_util.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::testing::IsEmpty;
using ::viewer::testing::ReadFileOrDie;

const std::string kCidsPath = std::string(VIEWER_SOURCE_DIR) + "/cids";

// The CID of cids/'s reference table (see docs/cids.md).
constexpr char kReferenceTableCid[] =
    "AAAAAVQozB-PJwwEEIQGYZlyvl3l1s-dnwft4eSD-sTgW3MwPrL5mdtCVf5pofZzefHE_iSC3M"
    "mpjJnG8lTBpR4MxNvyrA";
// The sentence the table's rows are prefixes of, repeated.
constexpr char kTableSentence[] = "viewer names bytes by what they are. ";

class ProjectCidsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CidDirectory::Options options;
    options.path = kCidsPath;
    absl::StatusOr<std::unique_ptr<CidDirectory>> dir =
        CidDirectory::Open(options);
    ASSERT_OK(dir);
    dir_ = *std::move(dir);
  }

  std::string ReadOrDie(const std::string& cid) {
    absl::StatusOr<std::shared_ptr<const std::string>> bytes = dir_->Read(cid);
    EXPECT_OK(bytes);
    return bytes.ok() ? **bytes : "";
  }

  std::unique_ptr<CidDirectory> dir_;
};

TEST_F(ProjectCidsTest, EveryFileVerifies) {
  ASSERT_TRUE(dir_->folder_exists()) << kCidsPath;
  EXPECT_GE(dir_->listed_count(), 20u);
  EXPECT_EQ(dir_->ignored_count(), 0u) << "cids/ holds only CID-named files";
  int literal = 0, over_64k = 0, png = 0, svg = 0, html = 0, json = 0;
  for (const std::string& name : dir_->Names()) {
    absl::StatusOr<std::shared_ptr<const std::string>> bytes = dir_->Read(name);
    ASSERT_OK(bytes);
    const std::string& content = **bytes;
    literal += content.size() <= kCidMaxLiteralBytes;
    over_64k += content.size() > 64 * 1024;
    png += absl::StartsWith(content, "\x89PNG\r\n\x1a\n");
    svg += absl::StartsWith(content, "<svg");
    html += absl::StartsWith(content, "<!doctype html>");
    json += absl::StartsWith(content, "{");
  }
  EXPECT_THAT(dir_->DrainProblems(), IsEmpty());
  EXPECT_EQ(dir_->bad_count(), 0u);
  EXPECT_GE(literal, 3);
  EXPECT_GE(over_64k, 1);
  EXPECT_GE(png, 1);
  EXPECT_GE(svg, 1);
  EXPECT_GE(html, 1);
  EXPECT_GE(json, 1);
}

TEST_F(ProjectCidsTest, ReferenceTableAgreesWithComputeCid) {
  const std::string table = ReadOrDie(kReferenceTableCid);
  ASSERT_TRUE(
      absl::StrContains(table, std::string("`") + kTableSentence + "`"));
  std::string text;
  while (text.size() < 1024) text += kTableSentence;
  int rows = 0;
  for (absl::string_view line : absl::StrSplit(table, '\n')) {
    // "| n | kind | `CID` |"
    std::vector<absl::string_view> cells = absl::StrSplit(line, " | ");
    if (cells.size() != 3 || !absl::StartsWith(cells[0], "| ")) continue;
    size_t n = 0;
    if (!absl::SimpleAtoi(cells[0].substr(2), &n)) continue;
    ASSERT_LT(n, text.size());
    const std::string content = text.substr(0, n);
    EXPECT_EQ(cells[1], n <= kCidMaxLiteralBytes ? "literal" : "hashed");
    EXPECT_EQ("`" + ComputeCid(content) + "` |", cells[2]) << "row " << n;
    ++rows;
  }
  EXPECT_EQ(rows, 768);
}

// The CIDs in the first column of docs/cids.md's table.
std::set<std::string> CidsListedInDocs() {
  const std::string docs =
      ReadFileOrDie(std::string(VIEWER_SOURCE_DIR) + "/docs/cids.md");
  std::set<std::string> listed;
  for (absl::string_view line : absl::StrSplit(docs, '\n')) {
    if (!absl::StartsWith(line, "| `")) continue;
    line.remove_prefix(3);
    listed.insert(std::string(line.substr(0, line.find('`'))));
  }
  return listed;
}

TEST_F(ProjectCidsTest, DocsIndexListsExactlyTheFolder) {
  const std::vector<std::string> names = dir_->Names();
  EXPECT_EQ(CidsListedInDocs(),
            std::set<std::string>(names.begin(), names.end()));
}

bool IsCidChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_';
}

TEST_F(ProjectCidsTest, HashedCidsTheDemoMentionsArePresent) {
  int mentions = 0;
  for (const std::string& name : dir_->Names()) {
    if (name == kReferenceTableCid) continue;  // Names content not stored.
    const std::string content = ReadOrDie(name);
    for (size_t i = 0; i < content.size();) {
      if (!IsCidChar(content[i])) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < content.size() && IsCidChar(content[end])) ++end;
      absl::StatusOr<ParsedCid> cid =
          ParseCid(absl::string_view(content).substr(i, end - i));
      if (end - i == kCidMaxChars && cid.ok() && !cid->is_literal) {
        EXPECT_TRUE(dir_->Contains(cid->cid))
            << "a file in cids/ mentions " << cid->cid
            << ", which is not there";
        ++mentions;
      }
      i = end;
    }
  }
  EXPECT_GE(mentions, 10);
}

}  // namespace
}  // namespace viewer
