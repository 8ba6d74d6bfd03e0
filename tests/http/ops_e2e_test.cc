// The real viewer binary, operating memory mode: the new flags
// and their one-line errors, dump at exit then the same data on disk,
// --load of a dump and of an export document, POST /api/dump writing only
// the file named at start, and the read-only demo.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/fault_util.h"
#include "tests/http/live_viewer.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using json = nlohmann::json;

// Runs viewer with `args` (expected to exit at once) and returns the code.
int RunToExit(std::vector<std::string> args, std::string* err = nullptr,
              std::string* out = nullptr) {
  TempDir work, logs;
  args.insert(args.begin(), ViewerBinary());
  ChildProcess child(args, {.cwd = work.path(),
                            .logs = logs.path(),
                            .env = {{"DATABASE_URL", std::nullopt}}});
  const int code = child.Wait(10000);
  if (err != nullptr) *err = child.Stderr();
  if (out != nullptr) *out = child.Stdout();
  return code;
}

TEST(OpsBinaryTest, HelpNamesEveryFlag) {
  std::string out;
  ASSERT_EQ(RunToExit({"--help"}, nullptr, &out), 0);
  for (const char* text :
       {"--max-memory", "1.5G", "--dump-db-on-exit", "--load", "--seed",
        "--read-only", "viewer --read-only --seed demo"}) {
    EXPECT_THAT(out, HasSubstr(text));
  }
}

TEST(OpsBinaryTest, BadValuesAndCombinationsAreOneLineErrors) {
  const std::vector<std::vector<std::string>> cases = {
      {"--in-memory-db", "--max-memory", "lots"},
      {"--in-memory-db", "--max-memory", "0"},
      {"--in-memory-db", "--max-memory", "1.5"},
      {"--in-memory-db", "--max-memory", "-1G"},
      {"--seed", "demo"},
      {"--in-memory-db", "--seed", "everything"},
      {"--load", "x.db"},
      {"--dump-db-on-exit", "x.db"},
      {"--read-only", "--dump-db-on-exit", "x.db"},
      {"--in-memory-db", "--dump-db-on-exit", ""},
  };
  for (const auto& args : cases) {
    std::string err;
    EXPECT_EQ(RunToExit(args, &err), 2) << ::testing::PrintToString(args);
    EXPECT_THAT(err, StartsWith("viewer: error: "));
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  }
  // Files that cannot be used: exit 1, one line, naming the file.
  std::string err;
  EXPECT_EQ(RunToExit({"--in-memory-db", "--load", "/nonexistent/x.db",
                       "--port", "0"},
                      &err),
            1);
  EXPECT_THAT(err, HasSubstr("/nonexistent/x.db"));
  EXPECT_EQ(RunToExit({"--in-memory-db", "--dump-db-on-exit",
                       "/nonexistent/dir/x.db", "--port", "0"},
                      &err),
            1);
  EXPECT_THAT(err, HasSubstr("does not exist"));
  // A document with problems lists them on the same one line.
  TempDir files;
  for (const auto& [name, text] :
       std::vector<std::pair<std::string, std::string>>{
           {"broken.json", "{\"format\":"},
           {"wrong.json", "{\"servers\": 3}"}}) {
    const std::string path = files.path() + "/" + name;
    std::ofstream(path) << text;
    EXPECT_EQ(
        RunToExit({"--in-memory-db", "--load", path, "--port", "0"}, &err), 1);
    // (Memory mode's warning comes first, on its own line.)
    const std::string error =
        err.substr(std::min(err.size(), err.find("viewer: error: ")));
    EXPECT_THAT(error, StartsWith("viewer: error: cannot load " + path +
                                  ": the import document has "));
    EXPECT_THAT(error, HasSubstr("nothing was imported: "));
    EXPECT_EQ(std::count(error.begin(), error.end(), '\n'), 1) << err;
  }
}

TEST(OpsBinaryTest, MaxMemoryIsShownAndEnforced) {
  LiveViewer v({"--in-memory-db", "--max-memory", "1.5G"});
  ASSERT_TRUE(v.started()) << v.child().Stderr();
  EXPECT_THAT(v.child().Stdout(), HasSubstr("up to 1.5 GiB (--max-memory)"));
  EXPECT_EQ(JsonOf(v.Client()->Get("/status.json"))["byte_limit"],
            uint64_t{3} << 29);
  EXPECT_EQ(v.Stop(), 0);
}

// Entities of every kind and an upload, through HTTP; returns the
// upload's CID.
std::string Fill(httplib::Client& c) {
  for (const auto& [kind, name, def] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"servers", "hello", "Hello {{greeting}}"},
           {"aliases", "hi", "/hi -> /hello"},
           {"variables", "greeting", "Bonjour"},
           {"secrets", "TOKEN", "s3cret"}}) {
    auto r =
        c.Post("/" + kind, json({{"name", name}, {"definition", def}}).dump(),
               "application/json");
    EXPECT_TRUE(r && r->status == 201) << kind;
  }
  auto up =
      c.Post("/api/cids", std::string(5000, 'u'), "application/octet-stream");
  EXPECT_TRUE(up && up->status == 201);
  EXPECT_EQ(Status(c.Get("/")), 200);  // a page view
  return up ? JsonOf(up).value("cid", "") : "";
}

// What a viewer holds, as its JSON pages show it (timestamps included).
json Snapshot(httplib::Client& c) {
  json s;
  for (const char* page :
       {"/servers.json", "/aliases.json", "/variables.json", "/secrets.json",
        "/uploads.json", "/secrets/TOKEN.json"}) {
    s[page] = JsonOf(c.Get(page));
  }
  s["/secrets/TOKEN.json"].erase("interactions");
  s["history"] = JsonOf(c.Get("/history.json"))["total"];
  return s;
}

TEST(OpsBinaryTest, DumpAtExitOpensOnDiskAndLoadsBack) {
  TempDir dir;
  const std::string dump = dir.path() + "/work.db";
  json before;
  std::string cid;
  {
    LiveViewer v({"--in-memory-db", "--dump-db-on-exit", dump});
    ASSERT_TRUE(v.started()) << v.child().Stderr();
    EXPECT_THAT(v.child().Stderr(), HasSubstr("except the dump to " + dump));
    auto c = v.Client();
    cid = Fill(*c);
    before = Snapshot(*c);
    c.reset();
    EXPECT_FALSE(FileExists(dump)) << "nothing written before exit";
    ASSERT_EQ(v.Stop(), 0) << v.child().Stderr();
    EXPECT_THAT(v.child().Stdout(), HasSubstr("dumped "));
    EXPECT_THAT(v.child().Stdout(), HasSubstr("rows to " + dump));
  }
  ASSERT_TRUE(FileExists(dump));
  EXPECT_EQ(IntegrityCheck(dump, /*immutable=*/true), "ok");
  // No temporary file is left next to it.
  EXPECT_EQ(ListTree(dir.path()), std::vector<std::string>{"work.db"});

  // viewer on disk opens the dump directly and sees the same data.
  {
    LiveViewer disk({}, {{"DATABASE_URL", "sqlite:///" + dump}});
    ASSERT_TRUE(disk.started()) << disk.child().Stderr();
    auto c = disk.Client();
    EXPECT_EQ(Snapshot(*c), before);
    EXPECT_EQ(Body(c->Get("/" + cid)), std::string(5000, 'u'));
    // That GET is a page view, written into the file: --load below sees it.
    before["history"] = before["history"].get<int>() + 1;
    EXPECT_EQ(Snapshot(*c), before);
    c.reset();
    EXPECT_EQ(disk.Stop(), 0);
  }
  // --load starts a memory session from it (the file is only read).
  const std::string bytes = ReadWholeFile(dump);
  {
    LiveViewer loaded({"--in-memory-db", "--load", dump});
    ASSERT_TRUE(loaded.started()) << loaded.child().Stderr();
    EXPECT_THAT(loaded.child().Stdout(), HasSubstr("loaded " + dump));
    auto c = loaded.Client();
    EXPECT_EQ(Snapshot(*c), before);
    // An export document loads too.
    auto made = c->Post("/export", json({{"secrets", true}}).dump(),
                        "application/json");
    ASSERT_TRUE(made && made->status == 201) << (made ? made->body : "");
    const std::string doc = Body(c->Get(JsonOf(made).value("path", "/")));
    std::ofstream(dir.path() + "/export.json") << doc;
    c.reset();
    EXPECT_EQ(loaded.Stop(), 0);
  }
  EXPECT_EQ(ReadWholeFile(dump), bytes);
  {
    LiveViewer from_doc(
        {"--in-memory-db", "--load", dir.path() + "/export.json"});
    ASSERT_TRUE(from_doc.started()) << from_doc.child().Stderr();
    auto c = from_doc.Client();
    for (const char* page : {"/servers.json", "/aliases.json",
                             "/variables.json", "/secrets.json"}) {
      EXPECT_EQ(JsonOf(c->Get(page)), before[page]) << page;
    }
    c.reset();
    EXPECT_EQ(from_doc.Stop(), 0);
  }
}

TEST(OpsBinaryTest, PostApiDumpWritesOnlyTheFileNamedAtStart) {
  TempDir dir;
  const std::string dump = dir.path() + "/on-demand.db";
  const std::string elsewhere = dir.path() + "/elsewhere.db";
  LiveViewer v({"--in-memory-db", "--dump-db-on-exit", dump});
  ASSERT_TRUE(v.started()) << v.child().Stderr();
  auto c = v.Client();
  Fill(*c);
  auto refused = c->Post("/api/dump", json({{"path", elsewhere}}).dump(),
                         "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_FALSE(FileExists(elsewhere));
  EXPECT_FALSE(FileExists(dump));
  auto r = c->Post("/api/dump", "", "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(JsonOf(r)["path"], dump);
  EXPECT_EQ(IntegrityCheck(dump, /*immutable=*/true), "ok");
  EXPECT_EQ(ServerNamesIn(dump), (std::set<std::string>{"hello"}));
  EXPECT_EQ(ListTree(dir.path()), std::vector<std::string>{"on-demand.db"});
  EXPECT_EQ(ListTree(v.cwd()), std::vector<std::string>{});
  c.reset();
  EXPECT_EQ(v.Stop(), 0);
}

TEST(OpsBinaryTest, ReadOnlyDemo) {
  LiveViewer v({"--read-only", "--seed", "demo"});
  ASSERT_TRUE(v.started()) << v.child().Stderr();
  EXPECT_THAT(v.child().Stdout(), HasSubstr("seeded 'demo'"));
  auto c = v.Client();
  json home = JsonOf(c->Get("/", {{"Accept", "application/json"}}));
  EXPECT_GT(home["counts"]["servers"].get<int>(), 0);
  EXPECT_GT(home["counts"]["aliases"].get<int>(), 0);
  EXPECT_EQ(home["read_only"], true);
  auto page = c->Get("/");
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_THAT(page->body, HasSubstr("read-only demo"));
  const json uploads_before = JsonOf(c->Get("/uploads.json"));
  auto hello = c->Get("/hello?name=Ada");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->status, 200);
  EXPECT_THAT(hello->body, HasSubstr("Ada"));
  auto post =
      c->Post("/servers", json({{"name", "x"}, {"definition", "y"}}).dump(),
              "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_THAT(post->body, HasSubstr("read-only demo"));
  EXPECT_EQ(JsonOf(c->Get("/history.json"))["total"], 0);
  // The seed's note and definitions only: running /hello stored nothing.
  EXPECT_GT(uploads_before["total"].get<int>(), 0);
  EXPECT_EQ(JsonOf(c->Get("/uploads.json"))["total"], uploads_before["total"]);
  EXPECT_THAT(page->body, HasSubstr("Recent CIDs"));
  c.reset();
  EXPECT_EQ(v.Stop(), 0);
  EXPECT_THAT(v.child().Stdout(), HasSubstr("discarding"));
  EXPECT_THAT(v.child().Stdout(), HasSubstr("; 0 CIDs created this session"));
}

}  // namespace
}  // namespace viewer::testing
