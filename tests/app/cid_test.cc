// Tests for the CID codec (app/cid.h): the design's examples, the literal /
// hashed boundary, every kind of malformed CID with its message, round
// trips and CID references with extensions.
#include "app/cid.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "app/hashed_cid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::viewer::testing::StatusIs;

// Computed independently with Python's hashlib and base64 modules.
constexpr char kCid64x[] =
    "AAAAAABAeHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eH"
    "h4eHh4eHh4eHh4eHh4eHh4eA";
constexpr char kCid65x[] =
    "AAAAAABBRg2doReeYM-O5F0saH5FyWNhHN-H0k8AblA2CN3yhjRM_9xtTs3FjuawqoPa1iVink"
    "uwwisBYRNepTWXpBBoUA";

TEST(CidTest, Base64UrlAlphabetIsExactlyTheSixtyFourCharacters) {
  std::string accepted;
  for (int c = 0; c < 256; ++c) {
    if (IsBase64UrlChar(static_cast<char>(c))) {
      accepted.push_back(static_cast<char>(c));
    }
  }
  EXPECT_EQ(accepted,
            "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz");
}

TEST(ComputeCidTest, DesignExamples) {
  EXPECT_EQ(ComputeCid(""), "AAAAAAAA");
  EXPECT_EQ(ComputeCid("hello"), "AAAAAAAFaGVsbG8");
  EXPECT_EQ(ComputeCid("ai -> /ai_assist\n"),
            "AAAAAAARYWkgLT4gL2FpX2Fzc2lzdAo");
}

TEST(ComputeCidTest, EmptyContentParsesAsEmptyLiteral) {
  ASSERT_OK_AND_ASSIGN(ParsedCid parsed, ParseCid("AAAAAAAA"));
  EXPECT_EQ(parsed.cid, "AAAAAAAA");
  EXPECT_EQ(parsed.length, 0u);
  EXPECT_TRUE(parsed.is_literal);
  EXPECT_EQ(parsed.literal_bytes, "");
  EXPECT_TRUE(VerifyCid(parsed, ""));
  EXPECT_FALSE(VerifyCid(parsed, "x"));
}

TEST(ComputeCidTest, SixtyFourBytesIsTheLongestLiteral) {
  const std::string content(64, 'x');
  EXPECT_EQ(ComputeCid(content), kCid64x);
  EXPECT_EQ(ComputeCid(content).size(), kCidMaxChars);
  ASSERT_OK_AND_ASSIGN(ParsedCid parsed, ParseCid(kCid64x));
  EXPECT_TRUE(parsed.is_literal);
  EXPECT_EQ(parsed.length, 64u);
  EXPECT_EQ(parsed.literal_bytes, content);
}

TEST(ComputeCidTest, SixtyFiveBytesIsHashed) {
  const std::string content(65, 'x');
  EXPECT_EQ(ComputeCid(content), kCid65x);
  EXPECT_EQ(ComputeCid(content).size(), kCidMaxChars);
  ASSERT_OK_AND_ASSIGN(ParsedCid parsed, ParseCid(kCid65x));
  EXPECT_FALSE(parsed.is_literal);
  EXPECT_EQ(parsed.length, 65u);
  EXPECT_EQ(parsed.literal_bytes, "");
  EXPECT_TRUE(VerifyCid(parsed, content));
}

TEST(ComputeCidTest, LargestDeclaredLengthParses) {
  const std::string cid = "________" + std::string(kCid65x).substr(8);
  ASSERT_OK_AND_ASSIGN(ParsedCid parsed, ParseCid(cid));
  EXPECT_EQ(parsed.length, kCidMaxContentBytes);
  EXPECT_FALSE(parsed.is_literal);
}

struct Malformed {
  std::string text;
  std::string message;
};

class MalformedCidTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedCidTest, FailsWithItsOwnMessage) {
  EXPECT_THAT(ParseCid(GetParam().text),
              StatusIs(absl::StatusCode::kInvalidArgument, GetParam().message));
}

const std::string kDigest65x = std::string(kCid65x).substr(8);

INSTANTIATE_TEST_SUITE_P(
    AllKinds, MalformedCidTest,
    ::testing::Values(
        Malformed{"", "CID is empty"},
        Malformed{"AAA%AAAA",
                  "CID has a character outside A-Za-z0-9-_: '%' at position 3"},
        Malformed{"AAAAAAAF aGVsbG8",
                  "CID has a character outside A-Za-z0-9-_: ' ' at position 8"},
        Malformed{
            "AAAAAAAFaGVsbG8=",
            "CID has a character outside A-Za-z0-9-_: '=' at position 15"},
        Malformed{
            "AAAAAAAFaGVs+G8",
            "CID has a character outside A-Za-z0-9-_: '+' at position 12"},
        Malformed{"AAAAAAAFaGVsbG8\n",
                  "CID has a character outside A-Za-z0-9-_: '\\n' at position "
                  "15"},
        Malformed{"\xff",
                  "CID has a character outside A-Za-z0-9-_: '\\xff' at "
                  "position 0"},
        Malformed{"AAAAA",
                  "CID too short: 5 characters, the length prefix needs 8"},
        Malformed{"AAAAAAAFaGVsb",
                  "CID literal has an impossible base64url length: 5 "
                  "characters"},
        Malformed{"AAAAAAAFaGVsbG9",
                  "CID literal is not canonical base64url: unused trailing "
                  "bits are set"},
        Malformed{"AAAAAAABAB",
                  "CID literal is not canonical base64url: unused trailing "
                  "bits are set"},
        Malformed{"AAAAAAAFaGVsbA",
                  "CID length prefix says 5 bytes but the literal holds 4"},
        Malformed{"AAAAAAABaGVsbG8",
                  "CID length prefix says 1 bytes but the literal holds 5"},
        Malformed{"AAAAAAAAAA",
                  "CID length prefix says 0 bytes but the literal holds 1"},
        Malformed{"AAAAAAAF",
                  "CID length prefix says 5 bytes but the literal holds 0"},
        Malformed{"AAAAAABBAAAAAAAAAAAA",
                  "hashed CID needs an 86-character SHA-512 digest, got 12"},
        Malformed{"AAAAAABB",
                  "hashed CID needs an 86-character SHA-512 digest, got 0"},
        Malformed{std::string(kCid65x) + "A",
                  "hashed CID needs an 86-character SHA-512 digest, got 87"},
        Malformed{std::string(kCid65x).substr(0, 93) + "B",
                  "CID digest is not canonical base64url: unused trailing "
                  "bits are set"}));

TEST(ComputeHashedCidTest, ShortContentGetsAHashedNameThatParses) {
  const std::string secret_output = "pw=hunter2";
  const std::string name = ComputeHashedCid(secret_output);
  EXPECT_EQ(name.size(), kCidMaxChars);
  EXPECT_EQ(name.substr(0, kCidPrefixChars),
            ComputeCid(secret_output).substr(0, kCidPrefixChars));
  EXPECT_EQ(name.find("aHVudGVy"), std::string::npos);  // "hunter" unspelled
  ASSERT_OK_AND_ASSIGN(ParsedCid parsed, ParseCid(name));
  EXPECT_FALSE(parsed.is_literal);
  EXPECT_EQ(parsed.length, secret_output.size());
  EXPECT_OK(CheckCidBytes(parsed, secret_output));
  EXPECT_THAT(CheckCidBytes(parsed, "pw=hunter3"),
              StatusIs(absl::StatusCode::kDataLoss,
                       "bytes do not match the name (SHA-512 differs)"));
  // Over 64 bytes both names are the same.
  EXPECT_EQ(ComputeHashedCid(std::string(65, 'x')),
            ComputeCid(std::string(65, 'x')));
}

TEST(ComputeHashedCidTest, SixtyFourBytesReadsAsALiteralButChecksEither) {
  const std::string content(64, 's');
  ASSERT_OK_AND_ASSIGN(ParsedCid parsed, ParseCid(ComputeHashedCid(content)));
  EXPECT_TRUE(parsed.is_literal);  // both forms are 86 characters
  EXPECT_OK(CheckCidBytes(parsed, content));
  EXPECT_FALSE(VerifyCid(parsed, std::string(64, 't')));
}

TEST(CheckCidBytesTest, SaysWhatDoesNotMatch) {
  ASSERT_OK_AND_ASSIGN(ParsedCid hello, ParseCid("AAAAAAAFaGVsbG8"));
  EXPECT_TRUE(CheckCidBytes(hello, "hello").ok());
  EXPECT_THAT(CheckCidBytes(hello, "hell"),
              StatusIs(absl::StatusCode::kDataLoss,
                       "the name says 5 bytes but there are 4"));
  EXPECT_THAT(CheckCidBytes(hello, "jello"),
              StatusIs(absl::StatusCode::kDataLoss,
                       "bytes do not match the literal name"));

  ASSERT_OK_AND_ASSIGN(ParsedCid hashed, ParseCid(kCid65x));
  std::string content(65, 'x');
  EXPECT_TRUE(CheckCidBytes(hashed, content).ok());
  content[64] = 'y';
  EXPECT_THAT(CheckCidBytes(hashed, content),
              StatusIs(absl::StatusCode::kDataLoss,
                       "bytes do not match the name (SHA-512 differs)"));
  EXPECT_FALSE(VerifyCid(hashed, content));
  EXPECT_FALSE(VerifyCid(hashed, std::string(66, 'x')));
}

TEST(ComputeCidTest, RoundTripsEveryLengthUpTo200) {
  std::mt19937 rng(20240607);
  std::uniform_int_distribution<int> byte(0, 255);
  for (size_t length = 0; length <= 200; ++length) {
    SCOPED_TRACE(length);
    std::string content(length, '\0');
    for (char& c : content) c = static_cast<char>(byte(rng));
    const std::string cid = ComputeCid(content);
    const bool literal = length <= kCidMaxLiteralBytes;
    EXPECT_EQ(cid.size(),
              literal ? kCidPrefixChars + (4 * length + 2) / 3 : kCidMaxChars);
    ASSERT_OK_AND_ASSIGN(ParsedCid parsed, ParseCid(cid));
    EXPECT_EQ(parsed.cid, cid);
    EXPECT_EQ(parsed.length, length);
    EXPECT_EQ(parsed.is_literal, literal);
    if (literal) {
      EXPECT_EQ(parsed.literal_bytes, content);
    }
    EXPECT_TRUE(VerifyCid(parsed, content));
    if (length > 0) {
      std::string changed = content;
      changed[rng() % length] ^= 0x01;
      EXPECT_FALSE(VerifyCid(parsed, changed));
      EXPECT_FALSE(VerifyCid(parsed, content.substr(1)));
    }
    EXPECT_FALSE(VerifyCid(parsed, content + "!"));
  }
}

TEST(ParseCidReferenceTest, SplitsSlashCidAndExtension) {
  ASSERT_OK_AND_ASSIGN(CidReference ref,
                       ParseCidReference("/AAAAAAAFaGVsbG8.txt"));
  EXPECT_EQ(ref.cid.cid, "AAAAAAAFaGVsbG8");
  EXPECT_EQ(ref.cid.literal_bytes, "hello");
  EXPECT_EQ(ref.extension, "txt");

  ASSERT_OK_AND_ASSIGN(ref, ParseCidReference("AAAAAAAFaGVsbG8.txt"));
  EXPECT_EQ(ref.cid.cid, "AAAAAAAFaGVsbG8");
  EXPECT_EQ(ref.extension, "txt");

  ASSERT_OK_AND_ASSIGN(ref, ParseCidReference("/AAAAAAAFaGVsbG8"));
  EXPECT_EQ(ref.cid.cid, "AAAAAAAFaGVsbG8");
  EXPECT_EQ(ref.extension, "");

  ASSERT_OK_AND_ASSIGN(ref, ParseCidReference("AAAAAAAA"));
  EXPECT_EQ(ref.cid.cid, "AAAAAAAA");
  EXPECT_EQ(ref.extension, "");

  ASSERT_OK_AND_ASSIGN(ref,
                       ParseCidReference(std::string(kCid65x) + ".tar.gz"));
  EXPECT_EQ(ref.cid.cid, kCid65x);
  EXPECT_EQ(ref.extension, "tar.gz");
}

TEST(ParseCidReferenceTest, RejectsBadReferences) {
  EXPECT_THAT(ParseCidReference(""),
              StatusIs(absl::StatusCode::kInvalidArgument, "CID is empty"));
  EXPECT_THAT(ParseCidReference("/"),
              StatusIs(absl::StatusCode::kInvalidArgument, "CID is empty"));
  EXPECT_THAT(ParseCidReference("/.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument, "CID is empty"));
  EXPECT_THAT(ParseCidReference("/AAAAAAAFaGVsbG8."),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "CID reference ends with '.' but has no extension"));
  EXPECT_THAT(ParseCidReference("/AAAAAAAFaGVsbG8.txt/x"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "CID reference extension has a character outside "
                       "A-Za-z0-9.-_: '/'"));
  EXPECT_THAT(ParseCidReference("//AAAAAAAFaGVsbG8"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "CID has a character outside A-Za-z0-9-_: '/' at "
                       "position 0"));
  EXPECT_THAT(ParseCidReference("/AAAAAAAFaGVsbA.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "CID length prefix says 5 bytes but the literal holds "
                       "4"));
  EXPECT_THAT(ParseCidReference("/hello.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "CID too short: 5 characters, the length prefix "
                       "needs 8"));
}

}  // namespace
}  // namespace viewer
