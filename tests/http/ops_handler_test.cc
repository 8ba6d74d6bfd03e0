// Operating memory mode in process (docs/in_memory_database.md): the memory
// limit (413, 507, the usage bar, /status.json), read-only demo sessions (405
// by method, no page views, servers run without storing), and POST /api/dump
// (only to the file named at start).
#include <atomic>
#include <string>

#include "absl/strings/str_cat.h"
#include "app/entities.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

TEST(MemoryLimitHttpTest, BodyLargerThanTheStoreIs413) {
  ViewerFixture v(BackendKind::kMemory,
                  {.max_body_bytes = 1 << 20, .byte_limit = 64 << 10});
  httplib::Result r = v.PostRaw("/api/cids", std::string((64 << 10) + 1, 'x'),
                                "application/octet-stream");
  ASSERT_EQ(Status(r), 413);
  EXPECT_THAT(Body(r), HasSubstr("larger than the whole memory store"));
  EXPECT_THAT(Body(r), HasSubstr("--max-memory"));
  // --max-body still wins when it is the smaller limit.
  ViewerFixture small(BackendKind::kMemory,
                      {.max_body_bytes = 1000, .byte_limit = 64 << 10});
  httplib::Result s = small.PostRaw("/api/cids", std::string(1001, 'x'),
                                    "application/octet-stream");
  ASSERT_EQ(Status(s), 413);
  EXPECT_THAT(Body(s), HasSubstr("--max-body"));
}

TEST(MemoryLimitHttpTest, FullStoreSays507WithUseAndTheWayOut) {
  ViewerFixture v(BackendKind::kMemory,
                  {.max_body_bytes = 1 << 20, .byte_limit = 256 << 10});
  std::string message;
  json rows;
  for (int i = 0; i < 100 && message.empty(); ++i) {
    rows = v.RowsPerTable();
    httplib::Result r = v.PostRaw(
        "/api/cids", absl::StrCat(i, std::string(20 << 10, 'm')), "text/plain");
    if (Status(r) == 507)
      message = ViewerFixture::Json(r)["error"];
    else
      ASSERT_EQ(Status(r), 201);
  }
  ASSERT_FALSE(message.empty());
  EXPECT_THAT(message, HasSubstr("memory store is full: "));
  EXPECT_THAT(message, HasSubstr(" of 256.0 KiB used"));
  EXPECT_THAT(message, HasSubstr("larger --max-memory"));
  EXPECT_THAT(message, HasSubstr("delete something"));
  EXPECT_EQ(v.RowsPerTable(), rows);  // the refused write left nothing
  // A form gets the same words on a page.
  httplib::Result page =
      v.PostForm("/servers/new",
                 {{"name", "big"}, {"definition", std::string(60000, 'd')}});
  ASSERT_EQ(Status(page), 507);
  EXPECT_THAT(Body(page), HasSubstr("memory store is full"));
  // Status and the home page show the use; the bar appears past 80%.
  json status = ViewerFixture::Json(v.Get("/status.json"));
  EXPECT_EQ(status["byte_limit"], 256 << 10);
  EXPECT_GT(status["bytes_used"].get<int64_t>(), (256 << 10) * 8 / 10);
  EXPECT_THAT(Body(v.Get("/")), HasSubstr("<meter"));
  EXPECT_EQ(ViewerFixture::Json(v.GetJson("/"))["memory"]["byte_limit"],
            256 << 10);
}

TEST(MemoryLimitHttpTest, ChangeTooBigForTheRoomLeftSaysHowMuchWasLeft) {
  // One import larger than what is left, into a store far from full: the
  // message must not read as if the store were full already.
  ViewerFixture v(BackendKind::kMemory,
                  {.max_body_bytes = 1 << 20, .byte_limit = 256 << 10});
  json servers = json::array();
  for (int i = 0; i < 100; ++i) {
    servers.push_back({{"name", absl::StrCat("s", i)},
                       {"definition", std::string(2000, 'd')}});
  }
  const json rows = v.RowsPerTable();
  httplib::Result r = v.PostJson(
      "/import",
      {{"format", "viewer-export"}, {"version", 1}, {"servers", servers}});
  ASSERT_EQ(Status(r), 507) << Body(r);
  const std::string message = ViewerFixture::Json(r)["error"];
  EXPECT_THAT(message, HasSubstr(" of 256.0 KiB used, and this change needs "
                                 "more than the "));
  EXPECT_THAT(message, HasSubstr(" left; nothing was changed"));
  EXPECT_EQ(v.RowsPerTable(), rows);
}

TEST(MemoryLimitHttpTest, FullStoreStillExportsAsADownload) {
  // The 507 says to export before restarting; that must work when full.
  ViewerFixture v(BackendKind::kMemory,
                  {.max_body_bytes = 1 << 20, .byte_limit = 256 << 10});
  ASSERT_EQ(Status(v.PostJson("/servers",
                              {{"name", "keep"}, {"definition", "kept"}})),
            201);
  // Fill it to the last few bytes: big uploads, then ever smaller ones.
  int uploads = 0;
  for (int size : {20 << 10, 2 << 10, 200, 20}) {
    for (bool full = false; !full && uploads < 1000; ++uploads) {
      httplib::Result r =
          v.PostRaw("/api/cids", absl::StrCat(uploads, std::string(size, 'm')),
                    "text/plain");
      full = Status(r) == 507;
    }
  }
  ASSERT_LT(uploads, 1000);
  const json rows = v.RowsPerTable();
  httplib::Result r = v.PostJson("/export", {{"secrets", true}});
  ASSERT_EQ(Status(r), 200) << Body(r);
  EXPECT_THAT(r->get_header_value("Content-Disposition"),
              HasSubstr("attachment"));
  EXPECT_THAT(r->get_header_value("X-Viewer-Export-Stored"), HasSubstr("no"));
  json document = ViewerFixture::Json(r);
  EXPECT_EQ(document["format"], "viewer-export");
  ASSERT_EQ(document["servers"].size(), 1u);
  EXPECT_EQ(document["servers"][0]["name"], "keep");
  // A browser's form gets the same download.
  httplib::Result form = v.PostForm("/export", {{"servers", "1"}});
  ASSERT_EQ(Status(form), 200) << Body(form);
  EXPECT_EQ(ViewerFixture::Json(form)["servers"][0]["name"], "keep");
  EXPECT_EQ(v.RowsPerTable(), rows);  // stored nowhere
}

TEST(MemoryLimitHttpTest, NoBarBelowEightyPercentOrOnDisk) {
  ViewerFixture v(BackendKind::kMemory, {.byte_limit = 8 << 20});
  EXPECT_THAT(Body(v.Get("/")), Not(HasSubstr("<meter")));
  ViewerFixture disk(BackendKind::kSqlite);
  EXPECT_THAT(Body(disk.Get("/")), Not(HasSubstr("<meter")));
  EXPECT_EQ(ViewerFixture::Json(disk.Get("/status.json"))["byte_limit"], 0);
}

class ReadOnlyTest : public ::testing::Test {
 protected:
  ReadOnlyTest() : v_(BackendKind::kMemory, {.read_only = true}) {}
  ViewerFixture v_;
};

TEST_F(ReadOnlyTest, EveryMethodButGetAndHeadIs405WhateverThePath) {
  // Paths that look harmless, or look like reads, are refused all the same:
  // only the method decides.
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    for (const char* path :
         {"/servers", "/search", "/servers/x.json", "/api/cids", "/export",
          "/import", "/api/dump", "/AAAAAAAFaGVsbG8", "/nothing/here"}) {
      httplib::Request req;
      req.method = method;
      req.path = path;
      req.body = "{}";
      req.set_header("Content-Type", "application/json");
      httplib::Result r = v_.client().send(req);
      ASSERT_TRUE(r) << method << " " << path;
      EXPECT_EQ(r->status, 405) << method << " " << path;
      EXPECT_EQ(r->get_header_value("Allow"), "GET, HEAD");
      EXPECT_THAT(r->body, HasSubstr("read-only demo")) << method << path;
    }
  }
  // Methods httplib itself does not know are refused the same way, not
  // answered "could not be parsed" (400).
  for (const char* method : {"PROPFIND", "PURGE", "BREW"}) {
    const std::string answer = RawExchange(
        v_.port(),
        absl::StrCat(method, " /servers.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        /*timeout_ms=*/300);
    EXPECT_EQ(RawStatus(answer), 405) << method << "\n" << answer;
    EXPECT_THAT(answer, HasSubstr("Allow: GET, HEAD")) << method;
    EXPECT_THAT(answer, HasSubstr("\"error\":\"this is a read-only demo: "))
        << method;
  }
  // A request line that is not HTTP at all is still a 400.
  EXPECT_EQ(RawStatus(RawExchange(v_.port(), "hello\r\n\r\n", 300)), 400);
  // An HTML client gets a page saying so.
  httplib::Result page = v_.PostForm("/servers/new", {{"name", "x"}});
  ASSERT_EQ(Status(page), 405);
  EXPECT_THAT(Body(page), HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(Body(page), HasSubstr("read-only demo"));
  EXPECT_EQ(ViewerFixture::Json(v_.Get("/servers.json"))["servers"].size(), 0u);
}

TEST_F(ReadOnlyTest, ReadsWorkAndRecordNothing) {
  for (const char* path :
       {"/", "/servers", "/history", "/search?q=delete", "/export", "/import",
        "/status", "/AAAAAAAFaGVsbG8", "/servers/new"}) {
    EXPECT_EQ(Status(v_.Get(path)), 200) << path;
    EXPECT_EQ(Status(v_.Head(path)), 200) << path;
  }
  EXPECT_EQ(ViewerFixture::Json(v_.Get("/history.json"))["total"], 0);
  json rows = v_.RowsPerTable();
  for (auto& [table, n] : rows.items()) EXPECT_EQ(n, 0) << table;
  EXPECT_THAT(Body(v_.Get("/")), HasSubstr("read-only demo"));
  EXPECT_EQ(ViewerFixture::Json(v_.Get("/status.json"))["read_only"], true);
  // Every page's banner says so too, and promises nothing can be created.
  for (const char* path : {"/servers", "/nothing/here"}) {
    const std::string page = Body(v_.Get(path));
    EXPECT_THAT(page, HasSubstr("<strong>In-memory database, read-only "
                                "demo.</strong>"))
        << path;
    EXPECT_THAT(page, Not(HasSubstr("everything created here is lost")));
  }
}

TEST(ReadOnlyServerTest, ServersRunWithoutStoringAnything) {
  // Seed a server through the store itself, then serve it read-only.
  ViewerFixture v(BackendKind::kMemory, {.read_only = true});
  {
    auto txn = v.store().Begin(TransactionMode::kReadWrite);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(
        CreateEntity(**txn, EntityKind::kServer,
                     {.name = "hi", .definition = "hi {{request.path}}"})
            .ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  const json rows = v.RowsPerTable();
  httplib::Result r = v.Get("/hi");
  ASSERT_EQ(Status(r), 200) << Body(r);
  EXPECT_EQ(Body(r), "hi /hi");
  // HEAD is a read like GET: the same answer without a body, not a 405.
  httplib::Result head = v.Head("/hi");
  ASSERT_EQ(Status(head), 200) << Body(head);
  EXPECT_EQ(head->get_header_value("Content-Length"), "6");
  EXPECT_EQ(v.RowsPerTable(), rows);
}

class DumpRouteTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(DumpRouteTest, OnlyToTheFileNamedAtStart) {
  std::atomic<int> calls{0};
  ViewerFixture v(GetParam(), {.dump =
                                   [&] {
                                     ++calls;
                                     return absl::OkStatus();
                                   },
                               .dump_path = "/somewhere/dump.db"});
  const bool memory = GetParam() == BackendKind::kMemory;
  // A client naming a path is refused, however it names it.
  EXPECT_EQ(Status(v.PostJson("/api/dump", {{"path", "/etc/passwd"}})), 400);
  EXPECT_EQ(Status(v.PostForm("/api/dump", {{"path", "/tmp/x"}})), 400);
  EXPECT_EQ(Status(v.PostRaw("/api/dump?path=/tmp/x", "", "text/plain")), 400);
  EXPECT_EQ(calls, 0);
  httplib::Result r = v.PostRaw("/api/dump", "", "application/json");
  if (!memory) {
    EXPECT_EQ(Status(r), 409);  // already on disk
    EXPECT_EQ(calls, 0);
    return;
  }
  ASSERT_EQ(Status(r), 200) << Body(r);
  EXPECT_EQ(ViewerFixture::Json(r)["path"], "/somewhere/dump.db");
  // The banner does not claim nothing is written when a dump file is.
  const std::string page = Body(v.Get("/servers"));
  EXPECT_THAT(page, HasSubstr("Only the dump file (--dump-db-on-exit"));
  EXPECT_THAT(page, Not(HasSubstr("Nothing is written to disk")));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Status(v.PostJson("/api/dump", json::object())), 200);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(Status(v.Get("/api/dump")), 405);
}

TEST(DumpRouteErrorsTest, WithoutADumpFileIs409AndAFailedDumpSaysWhy) {
  ViewerFixture none(BackendKind::kMemory);
  httplib::Result r = none.PostRaw("/api/dump", "", "application/json");
  ASSERT_EQ(Status(r), 409);
  EXPECT_THAT(Body(r), HasSubstr("--dump-db-on-exit"));
  ViewerFixture failing(
      BackendKind::kMemory, {.dump = [] {
        return absl::FailedPreconditionError("dump.db-wal is not empty");
      }});
  httplib::Result f = failing.PostRaw("/api/dump", "", "application/json");
  EXPECT_EQ(Status(f), 409);
  EXPECT_THAT(Body(f), HasSubstr("wal is not empty"));
}

INSTANTIATE_TEST_SUITE_P(Backends, DumpRouteTest, AllBackends(),
                         BackendParamName);

}  // namespace
}  // namespace viewer::testing
