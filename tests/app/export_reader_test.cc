// The export document reader on its own: CID references in text, and
// robustness against any input (mutations of a valid document, deep
// nesting, huge numbers, every byte), as a fuzzer would feed it.
#include "app/internal/export_reader.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/export_import.h"
#include "engine/utf8.h"
#include "gtest/gtest.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

using ::testing::ElementsAre;

TEST(FindCidReferences, FindsSlashCidWithOrWithoutAnExtension) {
  const std::string hashed = ComputeCid(std::string(100, 'x'));
  const std::string text = absl::StrCat(
      "<a href=\"/AAAAAAAFaGVsbG8.txt\">x</a> /", hashed, " then /", hashed,
      ".png again; /AAAAAAAA, /welcome, /AAAAAAAFaGVsbG8xyz, "
      "AAAAAAAFaGVsbG8 (no slash), /home -> /AAAAAAAB");
  EXPECT_THAT(FindCidReferences(text),
              ElementsAre("AAAAAAAFaGVsbG8", hashed, "AAAAAAAA"));
  EXPECT_TRUE(FindCidReferences("").empty());
  EXPECT_TRUE(FindCidReferences("////").empty());
}

std::string ValidDocument() {
  return absl::StrCat(
      R"({"format": "viewer-export", "version": 1,
  "servers": [{"name": "hello", "definition": "{{greeting}} /AAAAAAAFaGVsbG8",
               "enabled": true, "created_at": "2024-01-02 03:04:05.000006"}],
  "aliases": [{"name": "home", "definition": null, "enabled": false}],
  "variables": [{"name": "greeting", "definition": "Hi"}],
  "secrets": [{"name": "TOKEN", "definition": "x"}],
  "history": {"page_views": [{"path": "/", "method": null,
                              "viewed_at": "2024-01-02 03:04:05"}],
              "interactions": [{"entity_type": "server", "entity_name": "a",
                                "action": "create", "message": null,
                                "content": ""}]},
  "cids": [{"cid": "AAAAAAAFaGVsbG8", "base64": ")",
      absl::Base64Escape("hello"), R"("}]})");
}

TEST(ExportReader, AcceptsAValidDocument) {
  EXPECT_OK(ValidateExportDocument(ValidDocument()));
  ASSERT_OK_AND_ASSIGN(app_internal::ExportDocument doc,
                       app_internal::ReadExportDocument(ValidDocument()));
  ASSERT_TRUE(doc.entities[0].has_value());
  EXPECT_EQ((*doc.entities[0])[0].name, "hello");
  EXPECT_EQ((*doc.entities[1])[0].definition, std::nullopt);
  EXPECT_FALSE((*doc.entities[1])[0].enabled);
  EXPECT_EQ(doc.page_views[0].method, std::nullopt);
  EXPECT_EQ(doc.cids[0].bytes, "hello");
}

TEST(ExportReader, AbsentHistoryFieldsTakeTheirDefaults) {
  ASSERT_OK_AND_ASSIGN(app_internal::ExportDocument doc,
                       app_internal::ReadExportDocument(
                           R"({"format": "viewer-export", "version": 1,
              "history": {"page_views": [{"path": "/x"}]}})"));
  EXPECT_EQ(doc.page_views[0].method, "GET");
  EXPECT_EQ(doc.page_views[0].viewed_at, std::nullopt);
  for (const auto& kind : doc.entities) EXPECT_FALSE(kind.has_value());
}

TEST(ExportReader, SurvivesDeepNestingWithoutRecursing) {
  for (const char* open : {"[", "{\"a\":"}) {
    std::string deep;
    for (int i = 0; i < 1'000'000; ++i) deep += open;
    absl::Status s = ValidateExportDocument(deep);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_TRUE(absl::StrContains(s.message(), "nest deeper than 32"));
  }
  // Brackets inside strings do not count.
  std::string quoted = absl::StrCat(R"({"format": "viewer-export", "version": 1,
      "x": ")",
                                    std::string(10'000, '['), "\"}");
  EXPECT_OK(ValidateExportDocument(quoted));
}

TEST(ExportReader, OddValuesAreProblemsNotCrashes) {
  for (const std::string& doc : std::vector<std::string>{
           R"({"format": "viewer-export", "version": 1e400})",
           R"({"format": "viewer-export", "version": 18446744073709551615})",
           R"({"format": "viewer-export", "version": -1})",
           R"({"format": "viewer-export", "version": 1.0})",
           R"({"format": "viewer-export", "version": 1, "servers": null})",
           R"({"format": "\u0000", "version": 1})", "\xef\xbb\xbf{}", "nul",
           "{\"a\":\"\\ud800\"}", "\"\\", std::string("{\0}", 3)}) {
    absl::Status s = ValidateExportDocument(doc);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument)) << doc;
    EXPECT_TRUE(absl::StartsWith(s.message(), "the import document has "));
  }
}

// A small fuzzer: byte flips, insertions, deletions and cuts of a valid
// document. Every result is OK or kInvalidArgument with a listed problem,
// and every problem stays on its own line.
TEST(ExportReader, MutatedDocumentsNeverCrash) {
  const std::string valid = ValidDocument();
  std::mt19937 rng(::testing::UnitTest::GetInstance()->random_seed());
  std::string alphabet = "{}[]\",:\\0123456789eE+-.tfnu ";
  alphabet += std::string("\0\xff\xc3", 3);
  int ok = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string doc = valid;
    const int edits = 1 + rng() % 4;
    for (int e = 0; e < edits && !doc.empty(); ++e) {
      const size_t at = rng() % doc.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 4) {
        case 0:
          doc[at] = c;
          break;
        case 1:
          doc.insert(doc.begin() + at, c);
          break;
        case 2:
          doc.erase(at, 1 + rng() % 8);
          break;
        case 3:
          doc.resize(at);
          break;
      }
    }
    absl::Status s = ValidateExportDocument(doc);
    if (s.ok()) {
      ++ok;
      continue;
    }
    ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    ASSERT_TRUE(IsValidUtf8(s.message())) << s;
    for (char c : s.message()) {
      ASSERT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20) << s;
    }
  }
  EXPECT_GT(ok, 0);  // some edits keep the document valid
}

}  // namespace
}  // namespace viewer::testing
