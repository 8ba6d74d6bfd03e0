#include "app/time_text.h"

#include "gtest/gtest.h"
#include "tests/testutil.h"

namespace viewer {
namespace {

using ::viewer::testing::StatusIs;

Timestamp At(const char* text) { return *Timestamp::Parse(text); }

TEST(TimeTextTest, FormatsIso8601WithMicroseconds) {
  EXPECT_EQ(FormatTimestamp(Timestamp{0}), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestamp(At("2024-01-31 12:34:56.000789")),
            "2024-01-31T12:34:56.000789Z");
}

TEST(TimeTextTest, ABareDateBoundsTheWholeDay) {
  ASSERT_OK_AND_ASSIGN(Timestamp start,
                       ParseTimeBound("start", "2024-01-31", false));
  EXPECT_EQ(start, At("2024-01-31 00:00:00"));
  ASSERT_OK_AND_ASSIGN(Timestamp end,
                       ParseTimeBound("end", "2024-01-31", true));
  EXPECT_EQ(end, At("2024-01-31 23:59:59.999999"));
  ASSERT_OK_AND_ASSIGN(Timestamp minute,
                       ParseTimeBound("end", " 2024-01-31 12:00Z ", true));
  EXPECT_EQ(minute, At("2024-01-31 12:00:59.999999"));
  ASSERT_OK_AND_ASSIGN(Timestamp exact,
                       ParseTimeBound("start", "2024-01-31 12:00:05.5", false));
  EXPECT_EQ(exact, At("2024-01-31 12:00:05.5"));
}

TEST(TimeTextTest, AnythingElseIsRefusedWithTheFieldNamed) {
  EXPECT_THAT(ParseTimeBound("start", "yesterday", false),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "start must be a UTC date or time like 2024-01-31 or "
                       "2024-01-31T12:00:00, got 'yesterday'"));
  EXPECT_THAT(ParseTimeBound("end", "10000-01-01", true),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace viewer
