// Connecting: every way it can fail gives one line naming the problem and
// never the password; Describe() names the server and its version, never
// the password.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "app/schemas.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/postgres_backend/pg_test_util.h"
#include "tests/temp_dir.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPassword[] = "Right-Secret-4711";
constexpr char kWrongPassword[] = "Wrong-Secret-0815";

class ConnectTest : public PgTest {
 protected:
  // Opening `url` fails with `code`, in one line holding `what` and
  // neither password.
  void ExpectRefused(const std::string& url, StatusCode code,
                     const std::string& what) {
    PostgresOptions o = Options(AppCatalog());
    o.url = url;
    o.connect_timeout_seconds = 5;
    absl::StatusOr<std::unique_ptr<PostgresStore>> store =
        PostgresStore::Open(o);
    ASSERT_FALSE(store.ok());
    const std::string message(store.status().message());
    EXPECT_EQ(store.status().code(), code) << message;
    EXPECT_THAT(message, HasSubstr(what));
    EXPECT_THAT(message, Not(HasSubstr(kPassword)));
    EXPECT_THAT(message, Not(HasSubstr(kWrongPassword)));
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
};

// A role of its own with a password, and a schema it owns (its default
// search_path starts with "$user").
class PasswordTest : public ConnectTest {
 protected:
  void SetUp() override {
    ConnectTest::SetUp();
    if (HasFatalFailure()) return;
    role_ = PgCluster::UniqueName("role");
    ASSERT_OK(cluster_->Sql(
        "viewer",
        absl::StrCat("CREATE ROLE ", role_, " LOGIN PASSWORD '", kPassword,
                     "'; CREATE SCHEMA ", role_, " AUTHORIZATION ", role_)));
  }
  void TearDown() override {
    if (!role_.empty()) {
      (void)cluster_->Sql(
          "viewer",
          absl::StrCat("DROP SCHEMA ", role_, " CASCADE; DROP ROLE ", role_));
    }
  }
  std::string UrlWith(absl::string_view password) {
    return absl::StrCat("postgresql://", role_, ":", password,
                        "@/viewer?host=", cluster_->dir(), "&port=5432");
  }

  std::string role_;
};

TEST_F(PasswordTest, TheRightPasswordConnectsAndIsNeverShown) {
  PostgresOptions o = Options(AppCatalog());
  o.url = UrlWith(kPassword);
  ASSERT_OK_AND_ASSIGN(auto store, PostgresStore::Open(o));
  const std::string described = store->Describe();
  EXPECT_EQ(described,
            absl::StrCat("postgresql:///viewer?host=", cluster_->dir(),
                         "&port=5432&user=", role_, " schema ", role_,
                         " (PostgreSQL ",
                         Raw("SELECT current_setting('server_version')"), ")"));
  EXPECT_THAT(described, Not(HasSubstr(kPassword)));
}

TEST_F(PasswordTest, AWrongPasswordIsOneLine) {
  ExpectRefused(UrlWith(kWrongPassword), StatusCode::kUnauthenticated,
                absl::StrCat("cannot connect to postgresql:///viewer?host=",
                             cluster_->dir(), "&port=5432&user=", role_,
                             ": FATAL: password authentication failed for "
                             "user \"",
                             role_, "\""));
  ExpectRefused(absl::StrCat("host=", cluster_->dir(), " dbname=viewer user=",
                             role_, " password=", kWrongPassword),
                StatusCode::kUnauthenticated, "password authentication failed");
}

TEST_F(ConnectTest, ADatabaseThatDoesNotExist) {
  ExpectRefused(cluster_->Url("no_such_database"), StatusCode::kNotFound,
                "FATAL: database \"no_such_database\" does not exist");
}

TEST_F(ConnectTest, NoServerOnTheSocket) {
  TempDir empty;
  ExpectRefused(absl::StrCat("postgresql://someone:", kPassword,
                             "@/viewer?host=", empty.path()),
                StatusCode::kUnavailable,
                absl::StrCat("cannot connect to postgresql:///viewer?host=",
                             empty.path(), "&port="));
}

TEST_F(ConnectTest, NoServerOnTheTcpPort) {
  // A port that was free a moment ago: nothing listens there.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int port = ntohs(addr.sin_port);
  close(fd);
  ExpectRefused(
      absl::StrCat("postgres://someone:", kPassword, "@127.0.0.1:", port,
                   "/viewer?sslmode=disable"),
      StatusCode::kUnavailable,
      absl::StrCat("cannot connect to postgresql://someone@127.0.0.1:", port,
                   "/viewer: Connection refused"));
}

TEST_F(ConnectTest, AUrlThatDoesNotParse) {
  ExpectRefused(
      absl::StrCat("postgresql://someone:", kPassword, "@[::1/viewer"),
      StatusCode::kInvalidArgument,
      "cannot parse the PostgreSQL URL \"postgresql://someone:***@");
  ExpectRefused(absl::StrCat("postgresql://someone@localhost/viewer?password=",
                             kPassword, "&no_such_option=1"),
                StatusCode::kInvalidArgument,
                "invalid URI query parameter: \"no_such_option\"");
  ExpectRefused(absl::StrCat("host=/tmp password=", kPassword, " bogus"),
                StatusCode::kInvalidArgument,
                "cannot parse the PostgreSQL URL \"host=/tmp password=***");
}

}  // namespace
}  // namespace viewer::testing
