#include "http/config.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::testing::HasSubstr;
using ::viewer::testing::StatusIs;

absl::StatusOr<CommandLine> Parse(std::vector<std::string> args,
                                  std::optional<std::string> env = {}) {
  args.insert(args.begin(), "viewer");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  return ParseCommandLine(static_cast<int>(argv.size()), argv.data(), env);
}

TEST(ConfigTest, DefaultsAreDiskOnSecureappDb) {
  ASSERT_OK_AND_ASSIGN(CommandLine cl, Parse({}));
  EXPECT_EQ(cl.action, CommandLine::kRun);
  EXPECT_EQ(cl.config.mode, StoreMode::kDisk);
  EXPECT_EQ(cl.config.database_url, "sqlite:///secureapp.db");
  EXPECT_EQ(cl.config.database_path, "secureapp.db");
  EXPECT_EQ(cl.config.port, 5000);
  EXPECT_EQ(cl.config.host, "127.0.0.1");
  EXPECT_EQ(cl.config.cids_dir, "./cids");
  EXPECT_FALSE(cl.config.debug);
  EXPECT_EQ(cl.config.max_body_bytes, uint64_t{64} << 20);
}

TEST(ConfigTest, Flags) {
  ASSERT_OK_AND_ASSIGN(
      CommandLine cl,
      Parse({"--in-memory-db", "--port", "8080", "--host", "0.0.0.0",
             "--cids-dir", "/data/cids", "--debug", "--max-body", "1M",
             "--max-memory=512M", "--threads", "3"}));
  EXPECT_EQ(cl.config.mode, StoreMode::kMemory);
  EXPECT_EQ(cl.config.port, 8080);
  EXPECT_EQ(cl.config.host, "0.0.0.0");
  EXPECT_EQ(cl.config.cids_dir, "/data/cids");
  EXPECT_TRUE(cl.config.debug);
  EXPECT_EQ(cl.config.max_body_bytes, uint64_t{1} << 20);
  EXPECT_EQ(cl.config.max_memory_bytes, uint64_t{512} << 20);
  EXPECT_EQ(cl.config.threads, 3);
  EXPECT_FALSE(cl.config.memory_overrides_database_url);
}

TEST(ConfigTest, PortZeroPicksAFreePort) {
  ASSERT_OK_AND_ASSIGN(CommandLine cl, Parse({"--port", "0"}));
  EXPECT_EQ(cl.config.port, 0);
}

TEST(ConfigTest, DatabaseUrlRelativeAndAbsolute) {
  ASSERT_OK_AND_ASSIGN(CommandLine rel, Parse({}, "sqlite:///data/app.db"));
  EXPECT_EQ(rel.config.database_path, "data/app.db");
  ASSERT_OK_AND_ASSIGN(CommandLine abs, Parse({}, "sqlite:////var/lib/app.db"));
  EXPECT_EQ(abs.config.database_path, "/var/lib/app.db");
  ASSERT_OK_AND_ASSIGN(CommandLine empty, Parse({}, ""));
  EXPECT_EQ(empty.config.database_path, "secureapp.db");
}

TEST(ConfigTest, InMemoryWinsOverDatabaseUrlAndSaysSo) {
  ASSERT_OK_AND_ASSIGN(CommandLine cl,
                       Parse({"--in-memory-db"}, "sqlite:///other.db"));
  EXPECT_EQ(cl.config.mode, StoreMode::kMemory);
  EXPECT_TRUE(cl.config.memory_overrides_database_url);
  EXPECT_EQ(cl.config.database_url, "sqlite:///other.db");
  EXPECT_TRUE(cl.config.database_path.empty());
  // Even an unsupported URL does not matter then.
  ASSERT_OK_AND_ASSIGN(CommandLine pg,
                       Parse({"--in-memory-db"}, "postgresql://x/y"));
  EXPECT_EQ(pg.config.mode, StoreMode::kMemory);
}

TEST(ConfigTest, SqliteMemoryUrlIsRefusedWithAHint) {
  auto cl = Parse({}, "sqlite:///:memory:");
  EXPECT_THAT(cl, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(cl.status().message()), HasSubstr("--in-memory-db"));
}

TEST(ConfigTest, UnsupportedUrls) {
  for (const char* url :
       {"sqlite://relative.db", "sqlite:///", "sqlite:///dir/", "mysql:///x",
        "sqlite:///x.db?mode=ro", "x.db"}) {
    auto cl = Parse({}, std::string(url));
    EXPECT_THAT(cl, StatusIs(absl::StatusCode::kInvalidArgument)) << url;
    EXPECT_EQ(std::string(cl.status().message()).find('\n'), std::string::npos)
        << "one line: " << cl.status().message();
  }
}

TEST(ConfigTest, UnsupportedUrlMessagesHideThePassword) {
  auto cl = Parse({}, std::string("mysql://me:hunter2@db/x"));
  EXPECT_THAT(cl, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(cl.status().message()),
              HasSubstr("mysql://me:***@db/x"));
}

TEST(ConfigTest, PostgresUrlsPickPostgres) {
  for (const char* url :
       {"postgresql://localhost/db", "postgres://u:p@h:5433/db?sslmode=require",
        "POSTGRESQL:///viewer?host=/tmp/s&port=5432"}) {
    ASSERT_OK_AND_ASSIGN(CommandLine cl, Parse({}, std::string(url)));
    EXPECT_EQ(cl.config.mode, StoreMode::kPostgres) << url;
    EXPECT_EQ(cl.config.database_url, url);
    EXPECT_FALSE(cl.config.in_memory());
  }
  ASSERT_OK_AND_ASSIGN(CommandLine memory,
                       Parse({"--in-memory-db"}, "postgresql://h/db"));
  EXPECT_EQ(memory.config.mode, StoreMode::kMemory);
  EXPECT_TRUE(memory.config.memory_overrides_database_url);
  // Memory-only flags still need memory mode.
  EXPECT_THAT(Parse({"--seed", "demo"}, "postgresql://h/db"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // --load takes a PostgreSQL URL too.
  ASSERT_OK_AND_ASSIGN(CommandLine load, Parse({"--in-memory-db", "--load",
                                                "postgresql://h/db"}));
  EXPECT_EQ(load.config.load_path, "postgresql://h/db");
}

TEST(ConfigTest, UrlWithoutPassword) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"postgresql://me:secret@db.example.com:5432/viewer?sslmode=require",
       "postgresql://me:***@db.example.com:5432/viewer?sslmode=require"},
      {"postgres://me:p%40ss@/viewer?host=/tmp/s",
       "postgres://me:***@/viewer?host=/tmp/s"},
      {"postgresql://me@host/db", "postgresql://me@host/db"},
      {"postgresql:///db?user=me&password=secret&host=/tmp",
       "postgresql:///db?user=me&password=***&host=/tmp"},
      {"postgresql:///db?password=secret", "postgresql:///db?password=***"},
      {"host=db user=me password=secret dbname=v",
       "host=db user=me password=*** dbname=v"},
      {"sqlite:///x.db", "sqlite:///x.db"},
      {"postgresql://h/db?sslpassword=k", "postgresql://h/db?sslpassword=k"},
  };
  for (const auto& [url, shown] : cases) {
    EXPECT_EQ(UrlWithoutPassword(url), shown) << url;
  }
}

TEST(ConfigTest, CopyCommand) {
  ASSERT_OK_AND_ASSIGN(CommandLine cl, Parse({"copy", "sqlite:///a.db",
                                              "postgresql://u:p@h/db"}));
  EXPECT_EQ(cl.action, CommandLine::kCopy);
  EXPECT_EQ(cl.copy_from, "sqlite:///a.db");
  EXPECT_EQ(cl.copy_to, "postgresql://u:p@h/db");
  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{
           {"copy"},
           {"copy", "sqlite:///a.db"},
           {"copy", "sqlite:///a.db", "sqlite:///a.db"},
           {"copy", "mysql://x", "sqlite:///a.db"},
           {"copy", "sqlite:///a.db", "b.db"},
           {"copy", "sqlite:///a.db", "sqlite:///b.db", "--port"}}) {
    auto parsed = Parse(bad);
    EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInvalidArgument))
        << bad.size();
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("copy"));
  }
}

TEST(ConfigTest, BadFlagsAreOneLineErrors) {
  const std::vector<std::vector<std::string>> cases = {
      {"--nope"},          {"--port", "abc"},   {"--port", "70000"},
      {"--port", "-1"},    {"--port"},          {"stray"},
      {"--max-body", "0"}, {"--max-body", "1X"}, {"--host", ""},
      {"--threads", "x"},
  };
  for (const auto& args : cases) {
    auto cl = Parse(args);
    EXPECT_THAT(cl, StatusIs(absl::StatusCode::kInvalidArgument))
        << ::testing::PrintToString(args);
    EXPECT_EQ(std::string(cl.status().message()).find('\n'), std::string::npos);
  }
}

TEST(ConfigTest, HelpAndVersion) {
  ASSERT_OK_AND_ASSIGN(CommandLine help, Parse({"--help"}));
  EXPECT_EQ(help.action, CommandLine::kHelp);
  for (const char* flag : {"--in-memory-db", "--port", "--host", "--cids-dir",
                           "--debug", "--version", "DATABASE_URL"}) {
    EXPECT_THAT(help.text, HasSubstr(flag));
  }
  ASSERT_OK_AND_ASSIGN(CommandLine version, Parse({"--version"}));
  EXPECT_EQ(version.action, CommandLine::kVersion);
  EXPECT_EQ(version.text, absl::StrCat("viewer ", ViewerVersion(), "\n"));
}

TEST(ConfigTest, ByteSizes) {
  EXPECT_EQ(*ParseByteSize("65536"), 65536u);
  EXPECT_EQ(*ParseByteSize("64K"), 64u << 10);
  EXPECT_EQ(*ParseByteSize("64kib"), 64u << 10);
  EXPECT_EQ(*ParseByteSize("2MB"), 2u << 20);
  EXPECT_EQ(*ParseByteSize("1G"), 1u << 30);
  EXPECT_EQ(*ParseByteSize("1.5G"), (1u << 30) + (1u << 29));
  EXPECT_EQ(*ParseByteSize("0.5k"), 512u);
  // Nine fraction digits of a terabyte need more than 64 bits on the way.
  EXPECT_EQ(*ParseByteSize("1.999999999T"), uint64_t{2199023254452});
  EXPECT_EQ(*ParseByteSize("1.000000001T"), uint64_t{1099511628875});
  for (const char* bad : {"", "0", "-1", "G", "1Q", "99999999999T", "1.5",
                          "1.G", ".5G", "0.0M", "1.0000000001G", "1..5G"}) {
    EXPECT_THAT(ParseByteSize(bad), StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
}

}  // namespace
}  // namespace viewer
