// Bad export documents (app/export_import.h) on both backends: each is
// refused whole with every problem listed, one per line with its JSON
// path, and nothing changes; a store error half way (the memory limit)
// leaves the caller's transaction as it was.
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "app/cid.h"
#include "app/entities.h"
#include "app/export_import.h"
#include "app/schemas.h"
#include "gtest/gtest.h"
#include "tests/app/store_io_util.h"
#include "tests/storage/backends.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;

// A bad document and lines its error must hold.
struct BadDocument {
  std::string name;
  std::string text;
  std::vector<std::string> problems;
};

std::vector<BadDocument> BadDocuments() {
  const std::string hello = ComputeCid("hello");
  const std::string big = SampleBytes(100, 3);
  return {
      {"Malformed", "{\"format\": ", {"document: not valid JSON: "}},
      {"Empty", "", {"document: not valid JSON: "}},
      {"NotAnObject",
       "[1, 2]",
       {"document: expected a JSON object, got array"}},
      {"NoHeader", "{}", {"format: missing", "version: missing"}},
      {"WrongHeader",
       R"({"format": "zip", "version": 2})",
       {"format: expected \"viewer-export\", got \"zip\"",
        "version: unsupported version 2 (this viewer reads version 1, and "
        "the original application's version 6 without \"format\")"}},
      {"VersionAsText",
       R"({"format": "viewer-export", "version": "1"})",
       {"version: expected the integer 1, got string"}},
      {"WrongTypes",
       Doc(R"("servers": {}, "aliases": [1], "variables": [{"name": 5,
           "definition": [], "enabled": "yes"}], "history": [])"),
       {"servers: expected an array, got object",
        "aliases[0]: expected an object, got number",
        "variables[0].name: expected a string, got number",
        "variables[0].definition: expected a string, got array",
        "variables[0].enabled: expected true or false, got string",
        "history: expected an object, got array"}},
      {"MissingFields",
       Doc(R"("servers": [{"name": "s"}], "secrets": [{"definition": "d"}],
           "cids": [{"cid": "AAAAAAAA"}],
           "history": {"page_views": [{}], "interactions": [{"action": "x"}]})"),
       {"servers[0].definition: missing (a server needs a definition)",
        "secrets[0].name: missing", "cids[0].base64: missing",
        "history.page_views[0].path: missing",
        "history.interactions[0].entity_type: missing",
        "history.interactions[0].entity_name: missing",
        "history.interactions[0].content: missing"}},
      {"BadNames",
       Doc(absl::StrCat(R"("aliases": [{"name": "a b"}, {"name": ""},
           {"name": ".."}, {"name": "x/y"}, {"name": ")",
                        std::string(101, 'n'), R"("}])")),
       {"aliases[0].name: name must be 1-100 characters of A-Z a-z 0-9 . _ -, "
        "got \"a b\"",
        "aliases[1].name: name must be 1-100 characters of A-Z a-z 0-9 . _ -, "
        "got an empty name",
        "aliases[2].name: name must not be \".\" or \"..\", got \"..\"",
        "aliases[3].name: name must be 1-100 characters",
        "aliases[4].name: name must be 1-100 characters of A-Z a-z 0-9 . _ -, "
        "got 101 characters"}},
      {"AliasDefinitionsThatDoNotParse",
       Doc(R"("aliases": [{"name": "a", "definition": "no arrow"},
           {"name": "b", "definition": "/x -> elsewhere"},
           {"name": "c", "definition": "[regex] ( -> /x"},
           {"name": "d", "definition": "/fine -> /ok"},
           {"name": "e", "definition": null}],
           "servers": [{"name": "s", "definition": "no arrow: not an alias"}])"),
       {"aliases[0].definition: alias definition: line 1: expected "
        "'pattern -> /target'",
        "aliases[1].definition: alias definition: line 1: the target must "
        "be a path starting with '/', got 'elsewhere'",
        "aliases[2].definition: alias definition: line 1: bad regular "
        "expression: "}},
      {"DuplicateNames",
       Doc(R"("servers": [{"name": "a", "definition": "1"},
           {"name": "b", "definition": "2"}, {"name": "a", "definition": "3"}],
           "variables": [{"name": "a", "definition": "ok: other kind"}])"),
       {"servers[2].name: duplicate name \"a\" (also servers[0])"}},
      {"CidBytesDoNotMatch",
       Doc(absl::StrCat(R"("cids": [{"cid": ")", hello, R"(", "base64": ")",
                        absl::Base64Escape("hellO"), R"("},
           {"cid": ")",
                        ComputeCid(big), R"(", "base64": ")",
                        absl::Base64Escape(big + "!"), R"("},
           {"cid": "not a cid", "base64": "!!"}])")),
       {"cids[0].base64: the bytes do not match the CID: ",
        "cids[1].base64: the bytes do not match the CID: ",
        "cids[2].cid: CID has a character outside A-Za-z0-9-_",
        "cids[2].base64: not valid base64"}},
      {"BadTimestamps",
       Doc(R"("variables": [{"name": "v", "definition": "d",
           "created_at": "yesterday", "updated_at": 5}])"),
       {"variables[0].created_at: expected a UTC timestamp "
        "\"YYYY-MM-DD HH:MM:SS.ffffff\", got \"yesterday\"",
        "variables[0].updated_at: expected a UTC timestamp "
        "\"YYYY-MM-DD HH:MM:SS.ffffff\", got number"}},
      {"TooDeep",
       Doc(absl::StrCat(R"("x": )", std::string(40, '['),
                        std::string(40, ']'))),
       {"document: arrays and objects nest deeper than 32 levels"}},
      {"InvalidUtf8",
       Doc("\"servers\": [{\"name\": \"a\xff\"}]"),
       {"document: not valid JSON: "}},
  };
}

class BadImportTest
    : public ::testing::TestWithParam<std::tuple<BackendKind, BadDocument>> {};

TEST_P(BadImportTest, IsRefusedWithEveryProblemListedAndChangesNothing) {
  const auto& [backend, bad] = GetParam();
  StoreHarness h(backend, AppCatalog());
  {
    auto txn = h.Write();
    ASSERT_OK(FillSample(*txn));
    ASSERT_OK(CreateEntity(*txn, EntityKind::kServer,
                           {.name = "a", .definition = "kept"}));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(StoreContents before, ReadContents(h.store()));
  auto txn = h.Write();
  absl::StatusOr<ImportResult> r = ApplyImport(*txn, bad.text);
  ASSERT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(r.status().message()),
              ::testing::StartsWith("the import document has "));
  const std::vector<std::string> lines =
      absl::StrSplit(r.status().message(), '\n');
  EXPECT_EQ(lines.size(), bad.problems.size() + 1) << r.status().message();
  for (const std::string& want : bad.problems) {
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(want));
  }
  EXPECT_EQ(ValidateExportDocument(bad.text), r.status());
  // The caller's transaction is untouched and still usable.
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(StoreContents after, ReadContents(h.store()));
  ExpectSameContents(before, after);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, BadImportTest,
    ::testing::Combine(AllBackends(), ::testing::ValuesIn(BadDocuments())),
    [](const auto& info) {
      return absl::StrCat(BackendName(std::get<0>(info.param)), "_",
                          std::get<1>(info.param).name);
    });

class ImportLimitsTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(ImportLimitsTest, ManyProblemsAreCountedAndTheListIsCut) {
  StoreHarness h(GetParam(), AppCatalog());
  auto txn = h.Write();
  std::string servers;
  for (int i = 0; i < 150; ++i) {
    absl::StrAppend(&servers, i ? "," : "", R"({"name": "bad name"})");
  }
  absl::StatusOr<ImportResult> r =
      ApplyImport(*txn, Doc(absl::StrCat("\"servers\": [", servers, "]")));
  ASSERT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  const std::vector<std::string> lines =
      absl::StrSplit(r.status().message(), '\n');
  EXPECT_EQ(lines.front(),
            "the import document has 300 problems; nothing was imported:");
  EXPECT_EQ(lines.size(), 102u);
  EXPECT_EQ(lines.back(), "... and 200 more");
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportLimitsTest, AllBackends(),
                         BackendParamName);

// Past the memory limit half way through: the savepoint undoes the CIDs
// already stored, and the caller's transaction goes on.
TEST(ExportImportMemoryLimit, AFailureHalfWayLeavesTheTransactionAsItWas) {
  StoreHarness h(BackendKind::kMemory, AppCatalog(), {.byte_limit = 400'000});
  std::string cids;
  for (int i = 0; i < 10; ++i) {
    const std::string bytes = SampleBytes(60'000, i);
    absl::StrAppend(&cids, i ? "," : "", R"({"cid": ")", ComputeCid(bytes),
                    R"(", "base64": ")", absl::Base64Escape(bytes), R"("})");
  }
  auto txn = h.Write();
  ASSERT_OK(txn->Insert(kExportTable, {{"cid", Value::Text("AAAAAAAA")}}));
  EXPECT_THAT(ApplyImport(*txn, Doc(absl::StrCat("\"cids\": [", cids, "]"))),
              StatusIs(absl::StatusCode::kResourceExhausted));
  ASSERT_OK_AND_ASSIGN(int64_t stored, txn->Count(kCidTable));
  EXPECT_EQ(stored, 0);
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(StoreContents after, ReadContents(h.store()));
  EXPECT_EQ(RowCount(after), 1);
}

}  // namespace
}  // namespace viewer::testing
