// Two viewer processes on one PostgreSQL database (docs/postgres.md,
// "Several processes"): a create through one is seen by the other, a name
// is unique across both (one 201 and one 409 when both create it at the
// same moment), eight clients split between them leave the same state
// through both, and a SIGKILL of one loses no acknowledged write. The
// eight-client load runs for a fixed time (kLoadTime); nothing checks how
// fast it goes, only the state it leaves.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/live_viewer.h"
#include "tests/testutil.h"
#include "tools/pg_cluster/pg_cluster.h"

namespace viewer::testing {
namespace {

using ::testing::UnorderedElementsAre;
using json = nlohmann::json;

// One schema and two viewers on it (the schema outlives them).
class TwoViewersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<PgCluster*> cluster = PgCluster::Get();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    ASSERT_OK_AND_ASSIGN(schema_, PgSchema::Create(**cluster));
    for (auto& v : viewers_) {
      v = std::make_unique<LiveViewer>(
          std::vector<std::string>{"--threads", "8"},
          std::map<std::string, std::optional<std::string>>{
              {"DATABASE_URL", schema_->url()}});
      ASSERT_TRUE(v->started()) << v->child().Stderr();
    }
  }
  void TearDown() override {
    for (auto& v : viewers_) v.reset();  // before the schema goes
  }

  LiveViewer& viewer(int i) { return *viewers_[i % 2]; }

  std::unique_ptr<PgSchema> schema_;
  std::unique_ptr<LiveViewer> viewers_[2];
};

int Create(httplib::Client& c, const std::string& name,
           const std::string& definition = "d") {
  httplib::Result r = c.Post(
      "/servers", json({{"name", name}, {"definition", definition}}).dump(),
      "application/json");
  return r ? r->status : -1;
}

int Status(httplib::Result r) { return r ? r->status : -1; }

// Every server, as the list shows it.
json Servers(LiveViewer& v) {
  return JsonOf(v.Client()->Get("/servers.json"))["servers"];
}

TEST_F(TwoViewersTest, CreateThroughOneIsSeenByTheOther) {
  auto a = viewer(0).Client(), b = viewer(1).Client();
  ASSERT_EQ(Create(*a, "made-in-a", "from a"), 201);
  json seen = JsonOf(b->Get("/servers/made-in-a.json"));
  EXPECT_EQ(seen["definition"], "from a");
  ASSERT_EQ(Status(b->Put("/servers/made-in-a",
                          json({{"definition", "changed in b"}}).dump(),
                          "application/json")),
            200);
  EXPECT_EQ(JsonOf(a->Get("/servers/made-in-a.json"))["definition"],
            "changed in b");
  EXPECT_EQ(Status(a->Delete("/servers/made-in-a")), 204);
  EXPECT_EQ(Status(b->Get("/servers/made-in-a.json")), 404);
}

TEST_F(TwoViewersTest, SameNameAtTheSameMomentIsOne201AndOne409) {
  constexpr int kRounds = 100;
  std::barrier start(2);
  std::vector<int> codes[2];
  auto client = [&](int side) {
    auto c = viewer(side).Client();
    for (int round = 0; round < kRounds; ++round) {
      start.arrive_and_wait();
      codes[side].push_back(Create(*c, absl::StrCat("race-", round),
                                   absl::StrCat("side ", side)));
    }
  };
  std::thread t0(client, 0), t1(client, 1);
  t0.join();
  t1.join();
  ASSERT_EQ(codes[0].size(), static_cast<size_t>(kRounds));
  for (int round = 0; round < kRounds; ++round) {
    EXPECT_THAT((std::vector<int>{codes[0][round], codes[1][round]}),
                UnorderedElementsAre(201, 409))
        << "round " << round;
  }
  EXPECT_EQ(Servers(viewer(0)).size(), static_cast<size_t>(kRounds));
}

// Per name, the writes acknowledged for it ("create <definition>",
// "update <definition>", "delete"), or the interactions a viewer records
// for it, oldest first.
using WriteLog = std::map<std::string, std::vector<std::string>>;

// The interactions of server `name` through `v` as WriteLog entries,
// oldest first (ids grow in commit order: one writer at a time).
std::vector<std::string> Recorded(LiveViewer& v, const std::string& name) {
  json list = JsonOf(v.Client()->Get(
      "/interactions.json?entity_type=server&limit=1000&entity_name=" + name));
  std::vector<std::pair<int64_t, std::string>> by_id;
  for (const json& i : list["interactions"]) {
    const std::string action = i["action"];
    by_id.emplace_back(
        i["id"].get<int64_t>(),
        action == "delete"
            ? action
            : absl::StrCat(action, " ", i["content"].get<std::string>()));
  }
  std::sort(by_id.begin(), by_id.end());
  std::vector<std::string> out;
  for (auto& [id, entry] : by_id) out.push_back(std::move(entry));
  return out;
}

// 8 clients, 4 on each viewer, making creates, updates and deletes on
// kNames shared names for kLoadTime (time-bounded: the count of operations
// depends on the machine). Every answer must be one the contract allows
// for that operation (never a 5xx). Then, through both viewers: each
// name's recorded writes are exactly the acknowledged ones (none lost,
// none extra), its current state is its last recorded write, and both
// viewers show the same servers.
TEST_F(TwoViewersTest, EightClientsForTwentySecondsLeaveTheSameState) {
  constexpr int kClients = 8;
  constexpr int kNames = 64;
  constexpr auto kLoadTime = std::chrono::seconds(20);
  const auto deadline = std::chrono::steady_clock::now() + kLoadTime;
  std::mutex mutex;
  std::vector<std::string> failures;
  WriteLog acknowledged;
  int answers = 0;
  auto client = [&](int id) {
    auto c = viewer(id).Client();
    std::mt19937 rng(1000 + id);
    for (int op = 0; std::chrono::steady_clock::now() < deadline; ++op) {
      const std::string name = absl::StrCat("shared-", rng() % kNames);
      const std::string definition = absl::StrCat("by ", id, " op ", op);
      const int kind = static_cast<int>(rng() % 3);
      int code = -1;
      bool allowed = false;
      std::string wrote;  // the WriteLog entry when acknowledged
      if (kind == 0) {
        code = Create(*c, name, definition);
        allowed = code == 201 || code == 409;
        if (code == 201) wrote = "create " + definition;
      } else if (kind == 1) {
        code = Status(c->Put("/servers/" + name,
                             json({{"definition", definition}}).dump(),
                             "application/json"));
        allowed = code == 200 || code == 404;
        if (code == 200) wrote = "update " + definition;
      } else {
        code = Status(c->Delete("/servers/" + name));
        allowed = code == 204 || code == 404;
        if (code == 204) wrote = "delete";
      }
      std::lock_guard<std::mutex> lock(mutex);
      ++answers;
      if (!allowed) {
        failures.push_back(
            absl::StrCat("client ", id, " op ", kind, " ", name, " -> ", code));
      } else if (!wrote.empty()) {
        acknowledged[name].push_back(std::move(wrote));
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) threads.emplace_back(client, i);
  for (std::thread& t : threads) t.join();
  EXPECT_THAT(failures, ::testing::IsEmpty());
  ASSERT_FALSE(acknowledged.empty()) << answers << " answers, no write";
  RecordProperty("answers", answers);

  const json through_a = Servers(viewer(0));
  EXPECT_EQ(through_a, Servers(viewer(1)));
  for (int side = 0; side < 2; ++side) {
    for (int n = 0; n < kNames; ++n) {
      const std::string name = absl::StrCat("shared-", n);
      const std::vector<std::string>& writes = acknowledged[name];
      ASSERT_LE(writes.size(), 1000u) << "more writes than one page shows";
      std::vector<std::string> recorded = Recorded(viewer(side), name);
      EXPECT_THAT(recorded, ::testing::UnorderedElementsAreArray(writes))
          << name << " through viewer " << side;
      if (recorded.empty()) continue;
      httplib::Result r =
          viewer(side).Client()->Get("/servers/" + name + ".json");
      const std::string& last = recorded.back();
      if (last == "delete") {
        EXPECT_EQ(Status(std::move(r)), 404) << name << " through " << side;
      } else {
        EXPECT_EQ(JsonOf(r)["definition"], last.substr(last.find(' ') + 1))
            << name << " through " << side;
      }
    }
  }
}

// Writers on both viewers; one is SIGKILLed while they write. Every create
// it acknowledged (201) is then readable through the other, which keeps
// working.
TEST_F(TwoViewersTest, SigkillLosesNoAcknowledgedWrite) {
  std::atomic<bool> stop{false};
  std::mutex acked_mutex;
  std::vector<std::string> acked;
  auto writer = [&](int id) {
    auto c = viewer(id).Client();
    for (int i = 0; !stop; ++i) {
      const std::string name = absl::StrCat("w", id, "-", i);
      if (Create(*c, name) == 201) {
        std::lock_guard<std::mutex> lock(acked_mutex);
        acked.push_back(name);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back(writer, i);
  // Kill viewer 0 once both have acknowledged some writes.
  for (int spins = 0; spins < 2000; ++spins) {
    {
      std::lock_guard<std::mutex> lock(acked_mutex);
      if (acked.size() >= 80) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(viewers_[0]->Stop(SIGKILL), 128 + SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  for (std::thread& t : threads) t.join();
  ASSERT_GE(acked.size(), 80u);
  auto b = viewer(1).Client();
  int missing = 0;
  for (const std::string& name : acked) {
    if (Status(b->Get("/servers/" + name + ".json")) != 200) ++missing;
  }
  EXPECT_EQ(missing, 0) << "of " << acked.size() << " acknowledged creates";
  EXPECT_EQ(Create(*b, "after-the-kill"), 201);
}

}  // namespace
}  // namespace viewer::testing
