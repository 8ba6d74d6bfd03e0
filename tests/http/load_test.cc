// Load: 8 clients send 20,000 mixed requests (4,000 in sanitizer builds;
// create, rename, delete, upload, read, search, pages) to the real viewer
// binary, in memory mode and on disk. Each client
// keeps its own log of what was acknowledged; afterwards the store must
// agree with the logs exactly: names unique, every acknowledged create
// present unless the same client deleted or renamed it, every contested
// name won by exactly one client, every upload readable byte for byte,
// page views and interactions counted, and no request answered anything
// but what it may be answered. A 503 ("busy, retry") is never taken as
// acknowledged; it is counted, and must stay a small share of the writes
// (kMaxBusyPercent): a server that answers 503 to its writes fails.
//
// The seed is printed; VIEWER_LOAD_SEED=N replays it.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "gtest/gtest.h"
#include "tests/http/live_viewer.h"

namespace viewer::testing {
namespace {

using json = nlohmann::json;

constexpr int kClients = 8;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// A sanitizer makes each request about 20 times slower (20,000 took six
// minutes under ASan): the same mix, fewer requests. The normal build runs
// the full 20,000.
constexpr int kRequests = 4000;
#else
constexpr int kRequests = 20000;
#endif
constexpr int kSharedNames = 300;
// At most this share (percent) of the write requests may be answered 503.
// Runs of this test on 2 busy cores saw none in either mode: a writer waits
// up to the store's busy timeout (5 s) for the write slot, far longer than
// any transaction here holds it.
constexpr int64_t kMaxBusyPercent = 2;

// What one client did and was told.
struct ClientLog {
  std::map<std::string, std::string> servers;  // live: name -> definition
  std::vector<std::pair<std::string, std::string>> uploads;  // cid, bytes
  // CIDs this client's acknowledged writes stored: its uploads and the
  // definitions of the servers it created (a definition is stored as a
  // CID).
  std::set<std::string> stored_cids;
  std::vector<std::string> shared_won;  // variables this client created
  int64_t interactions = 0;             // acknowledged entity writes
  int64_t page_views = 0;  // 200 answers to GET / (HTML) and GET /<CID>
  int64_t requests = 0;
  int64_t writes = 0;  // requests that would change the store
  int64_t busy = 0;    // 503 answers (nothing done)
  std::vector<std::string> failures;
};

uint32_t Seed() {
  const char* env = std::getenv("VIEWER_LOAD_SEED");
  uint32_t seed = 0;
  if (env != nullptr && absl::SimpleAtoi(env, &seed)) return seed;
  return std::random_device{}();
}

class Client {
 public:
  Client(const LiveViewer& viewer, int id, uint32_t seed)
      : http_(viewer.Client()), id_(id), rng_(seed + id) {}

  void Run(int requests) {
    for (int i = 0; i < requests && log_.failures.size() < 10; ++i) Step(i);
  }
  ClientLog& log() { return log_; }

 private:
  std::string Prefix() const { return absl::StrCat("c", id_, "-"); }
  std::string NewName() { return absl::StrCat(Prefix(), next_++); }
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::string AnyOwn() {
    auto it = log_.servers.begin();
    std::advance(it, Pick(static_cast<int>(log_.servers.size())));
    return it->first;
  }

  // Counts the request; false (and a failure) for no answer or a 5xx
  // other than 503; 503 is counted as busy.
  bool Check(const httplib::Result& r, const std::string& what,
             std::initializer_list<int> expected) {
    ++log_.requests;
    if (!r) {
      log_.failures.push_back(
          absl::StrCat(what, ": no response: ", httplib::to_string(r.error())));
      return false;
    }
    if (r->status == 503) {
      ++log_.busy;
      return false;
    }
    for (int e : expected) {
      if (r->status == e) return true;
    }
    log_.failures.push_back(
        absl::StrCat(what, " -> ", r->status, " ", r->body.substr(0, 200)));
    return false;
  }

  void Step(int i) {
    const int roll = Pick(100);
    if (roll < 57 || log_.servers.empty()) ++log_.writes;
    if (roll < 18 || log_.servers.empty()) {
      const std::string name = NewName();
      const std::string def = absl::StrCat("hello from ", name, " #", i);
      auto r = http_->Post("/servers",
                           json({{"name", name}, {"definition", def}}).dump(),
                           "application/json");
      if (Check(r, "create " + name, {201})) {
        log_.servers[name] = def;
        log_.stored_cids.insert(ComputeCid(def));
        ++log_.interactions;
      }
    } else if (roll < 20) {
      const std::string name = AnyOwn();
      auto r = http_->Post("/servers",
                           json({{"name", name}, {"definition", "dup"}}).dump(),
                           "application/json");
      Check(r, "duplicate " + name, {409});
    } else if (roll < 28) {
      const std::string name = absl::StrCat("shared-", Pick(kSharedNames));
      auto r = http_->Post(
          "/variables", json({{"name", name}, {"definition", Prefix()}}).dump(),
          "application/json");
      if (Check(r, "shared " + name, {201, 409}) && r->status == 201) {
        log_.shared_won.push_back(name);
        ++log_.interactions;
      }
    } else if (roll < 38) {
      const std::string from = AnyOwn(), to = NewName();
      auto r = http_->Put("/servers/" + from, json({{"name", to}}).dump(),
                          "application/json");
      if (Check(r, "rename " + from, {200})) {
        log_.servers[to] = log_.servers[from];
        log_.servers.erase(from);
        ++log_.interactions;
      }
    } else if (roll < 45) {
      const std::string name = AnyOwn();
      auto r = http_->Delete("/servers/" + name);
      if (Check(r, "delete " + name, {204})) {
        log_.servers.erase(name);
        ++log_.interactions;
      }
    } else if (roll < 57) {
      std::string bytes = absl::StrCat("upload ", id_, " ", i, " ");
      bytes.append(static_cast<size_t>(Pick(2000)),
                   static_cast<char>('a' + Pick(26)));
      auto r = http_->Post("/api/cids", bytes, "application/octet-stream");
      if (Check(r, "upload", {201})) {
        json j = json::parse(r->body, nullptr, false);
        if (j.is_object() && j.contains("cid")) {
          log_.uploads.emplace_back(j["cid"].get<std::string>(), bytes);
          log_.stored_cids.insert(j["cid"].get<std::string>());
        } else {
          log_.failures.push_back("upload answer without cid: " + r->body);
        }
      }
    } else if (roll < 77) {
      const std::string name = AnyOwn();
      auto r = http_->Get("/servers/" + name + ".json");
      if (Check(r, "read " + name, {200})) {
        json j = json::parse(r->body, nullptr, false);
        if (!j.is_object() || j.value("definition", "") != log_.servers[name]) {
          log_.failures.push_back("read " + name + ": " +
                                  r->body.substr(0, 200));
        }
      }
    } else if (roll < 85) {
      if (log_.uploads.empty()) return Step(i);
      const auto& [cid, bytes] =
          log_.uploads[Pick(static_cast<int>(log_.uploads.size()))];
      auto r = http_->Get("/" + cid);
      if (Check(r, "read " + cid, {200})) {
        ++log_.page_views;  // a successful GET of a CID is a page view
        if (r->body != bytes) {
          log_.failures.push_back("bytes of " + cid + " differ");
        }
      }
    } else if (roll < 92) {
      // Only this client touches its prefix, so a search must show exactly
      // its own servers, whatever the others are doing.
      auto r = http_->Get("/search.json?q=" + Prefix());
      if (Check(r, "search", {200})) {
        json j = json::parse(r->body, nullptr, false);
        std::set<std::string> found;
        if (j.is_object()) {
          for (const json& hit : j["servers"]) found.insert(hit["name"]);
        }
        std::set<std::string> mine;
        for (const auto& [name, def] : log_.servers) mine.insert(name);
        if (found != mine) {
          log_.failures.push_back(absl::StrCat("search found ", found.size(),
                                               " servers, client has ",
                                               mine.size()));
        }
      }
    } else if (roll < 96) {
      auto r = http_->Get("/servers.json");
      Check(r, "list", {200});
    } else {
      auto r = http_->Get("/");
      if (Check(r, "home", {200})) ++log_.page_views;
    }
  }

  std::unique_ptr<httplib::Client> http_;
  const int id_;
  std::mt19937 rng_;
  int next_ = 0;
  ClientLog log_;
};

json Get(httplib::Client& c, const std::string& path) {
  httplib::Result r = c.Get(path);
  EXPECT_TRUE(r && r->status == 200) << path;
  return JsonOf(r);
}

void RunLoad(const std::string& mode, std::vector<std::string> args,
             std::map<std::string, std::optional<std::string>> env) {
  const uint32_t seed = Seed();
  std::cout << "load " << mode << ": seed " << seed
            << " (VIEWER_LOAD_SEED to replay)" << std::endl;
  LiveViewer viewer(args, env);
  ASSERT_TRUE(viewer.started()) << viewer.child().Stderr();

  std::vector<std::unique_ptr<Client>> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.push_back(std::make_unique<Client>(viewer, t, seed));
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (auto& c : clients) {
    threads.emplace_back([&c] { c->Run(kRequests / kClients); });
  }
  for (std::thread& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();

  int64_t requests = 0, writes = 0, busy = 0, page_views = 0, interactions = 0;
  std::set<std::string> stored_cids;
  std::map<std::string, int> winners;
  std::set<std::string> expected_servers;
  for (auto& c : clients) {
    ClientLog& log = c->log();
    for (const std::string& f : log.failures)
      ADD_FAILURE() << mode << ": " << f;
    requests += log.requests;
    writes += log.writes;
    busy += log.busy;
    page_views += log.page_views;
    interactions += log.interactions;
    stored_cids.insert(log.stored_cids.begin(), log.stored_cids.end());
    for (const std::string& name : log.shared_won) ++winners[name];
    for (const auto& [name, def] : log.servers) expected_servers.insert(name);
  }
  EXPECT_EQ(requests, kRequests);
  std::cout << "load " << mode << ": " << requests << " requests from "
            << kClients << " clients in " << seconds
            << " s = " << static_cast<int64_t>(requests / seconds)
            << " requests/s; " << busy << " of " << writes
            << " writes answered 503 (busy)" << std::endl;
  EXPECT_GT(writes, kRequests / 3);
  EXPECT_LE(busy * 100, writes * kMaxBusyPercent)
      << mode << ": " << busy << " of " << writes << " writes answered 503";
  ::testing::Test::RecordProperty(mode + "_requests_per_second",
                                  static_cast<int>(requests / seconds));

  auto c = viewer.Client();
  // Servers: unique names, exactly the clients' live ones, with their
  // definitions.
  json servers = Get(*c, "/servers.json")["servers"];
  std::set<std::string> names;
  for (const json& s : servers) {
    EXPECT_TRUE(names.insert(s["name"].get<std::string>()).second)
        << "duplicate server " << s["name"];
  }
  EXPECT_EQ(names, expected_servers);
  for (auto& client : clients) {
    for (const auto& [name, def] : client->log().servers) {
      json one = Get(*c, "/servers/" + name + ".json");
      EXPECT_EQ(one.value("definition", ""), def) << name;
    }
  }
  // Contested names: each won by exactly one client, and present.
  json variables = Get(*c, "/variables.json")["variables"];
  std::set<std::string> variable_names;
  for (const json& v : variables) {
    EXPECT_TRUE(variable_names.insert(v["name"].get<std::string>()).second);
  }
  for (const auto& [name, wins] : winners) {
    EXPECT_EQ(wins, 1) << name << " created by " << wins << " clients";
    EXPECT_TRUE(variable_names.count(name)) << name;
  }
  EXPECT_EQ(variable_names.size(), winners.size());
  // Counts: page views and entity interactions match the logs (checked
  // before the reads below, which are page views themselves).
  EXPECT_EQ(Get(*c, "/history.json")["total"], page_views);
  json status = Get(*c, "/status.json");
  ASSERT_TRUE(status.contains("tables") && status["tables"].is_array())
      << status.dump();
  const json* interaction_table = nullptr;
  for (const json& t : status["tables"]) {
    if (t.value("name", "") == "entity_interactions") interaction_table = &t;
  }
  ASSERT_NE(interaction_table, nullptr)
      << "/status.json lists no entity_interactions table: " << status.dump();
  EXPECT_GT(interactions, 0);
  EXPECT_EQ((*interaction_table)["rows"], interactions);
  // Uploads: every one stored and readable byte for byte.
  // Uploads and server definitions: every one stored, nothing else.
  EXPECT_EQ(Get(*c, "/uploads.json")["total"],
            static_cast<int64_t>(stored_cids.size()));
  for (auto& client : clients) {
    for (const auto& [cid, bytes] : client->log().uploads) {
      httplib::Result r = c->Get("/" + cid);
      ASSERT_TRUE(r && r->status == 200) << cid;
      EXPECT_EQ(r->body, bytes) << cid;
    }
  }
  c.reset();
  EXPECT_EQ(viewer.Stop(SIGTERM), 0) << viewer.child().Stderr();
}

TEST(LoadTest, EightClientsMemory) {
  RunLoad("memory", {"--in-memory-db", "--threads", "8"}, {});
}

TEST(LoadTest, EightClientsDisk) {
  TempDir dir;
  RunLoad("disk", {"--threads", "8"},
          {{"DATABASE_URL", "sqlite:///" + dir.path() + "/load.db"}});
}

}  // namespace
}  // namespace viewer::testing
