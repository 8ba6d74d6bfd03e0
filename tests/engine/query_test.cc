// The query helpers every backend shares: the prefix filter's byte range.
#include "engine/query.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace viewer {
namespace {

TEST(PrefixUpperBound, IsTheLeastStringAfterEveryExtension) {
  using namespace std::string_literals;
  EXPECT_EQ(PrefixUpperBound(""), std::nullopt);
  EXPECT_EQ(PrefixUpperBound("abc"), "abd");
  EXPECT_EQ(PrefixUpperBound("a_%"), "a_&");
  EXPECT_EQ(PrefixUpperBound("ab\xff"), "ac");
  EXPECT_EQ(PrefixUpperBound("a\xfe"), "a\xff");
  EXPECT_EQ(PrefixUpperBound("\xff\xff"), std::nullopt);
  EXPECT_EQ(PrefixUpperBound("\0"s), "\x01"s);
  EXPECT_EQ(PrefixUpperBound("\x7f"), "\x80");
}

TEST(SameKind, KeepsTheOperandsKind) {
  EXPECT_EQ(SameKind(Value::Text("a"), "b"), Value::Text("b"));
  EXPECT_EQ(SameKind(Value::Blob("a"), "b"), Value::Blob("b"));
}

}  // namespace
}  // namespace viewer
