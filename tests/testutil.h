// Test helpers for absl::Status, which the installed abseil lacks:
//
//   ASSERT_OK(txn->Commit());
//   EXPECT_OK(status);
//   ASSERT_OK_AND_ASSIGN(int64_t id, txn->Insert("server", values));
//   EXPECT_THAT(result, StatusIs(absl::StatusCode::kAlreadyExists,
//                                "UNIQUE constraint failed: server.name"));
//   EXPECT_THAT(result, StatusIs(absl::StatusCode::kNotFound));
#ifndef VIEWER_TESTS_TESTUTIL_H_
#define VIEWER_TESTS_TESTUTIL_H_

#include <optional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace viewer::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

class StatusIsMatcher {
 public:
  using is_gtest_matcher = void;
  StatusIsMatcher(absl::StatusCode code, std::optional<std::string> message)
      : code_(code), message_(std::move(message)) {}

  template <typename T>
  bool MatchAndExplain(const T& value, std::ostream* os) const {
    const absl::Status& s = GetStatus(value);
    if (os) *os << "which is " << s;
    return s.code() == code_ && (!message_ || s.message() == *message_);
  }
  void DescribeTo(std::ostream* os) const {
    *os << "has code " << absl::StatusCodeToString(code_);
    if (message_) *os << " and message \"" << *message_ << "\"";
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "does not ";
    DescribeTo(os);
  }

 private:
  absl::StatusCode code_;
  std::optional<std::string> message_;
};

inline StatusIsMatcher StatusIs(absl::StatusCode code) {
  return StatusIsMatcher(code, std::nullopt);
}
inline StatusIsMatcher StatusIs(absl::StatusCode code, std::string message) {
  return StatusIsMatcher(code, std::move(message));
}

}  // namespace viewer::testing

#define VIEWER_TESTUTIL_CONCAT_INNER_(a, b) a##b
#define VIEWER_TESTUTIL_CONCAT_(a, b) VIEWER_TESTUTIL_CONCAT_INNER_(a, b)

#define ASSERT_OK(expr)                                                 \
  do {                                                                  \
    auto&& viewer_r_ = (expr);                                          \
    const absl::Status& viewer_s_ = ::viewer::testing::GetStatus(viewer_r_); \
    ASSERT_TRUE(viewer_s_.ok()) << #expr << " failed: " << viewer_s_;   \
  } while (0)

#define EXPECT_OK(expr)                                                 \
  do {                                                                  \
    auto&& viewer_r_ = (expr);                                          \
    const absl::Status& viewer_s_ = ::viewer::testing::GetStatus(viewer_r_); \
    EXPECT_TRUE(viewer_s_.ok()) << #expr << " failed: " << viewer_s_;   \
  } while (0)

#define ASSERT_OK_AND_ASSIGN(lhs, expr)                                     \
  ASSERT_OK_AND_ASSIGN_IMPL_(                                               \
      VIEWER_TESTUTIL_CONCAT_(viewer_statusor_, __LINE__), lhs, expr)

#define ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, expr)                  \
  auto statusor = (expr);                                                \
  ASSERT_TRUE(statusor.ok()) << #expr << " failed: " << statusor.status(); \
  lhs = std::move(statusor).value()

#endif  // VIEWER_TESTS_TESTUTIL_H_
