// RequestFramer and DechunkRequest on their own: where a request ends, what
// is refused before any handler runs, and the chunked body the HTTP parser
// is given.
#include "http/internal/request_framer.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace viewer::http_internal {
namespace {

using ::testing::HasSubstr;

constexpr char kChunked[] =
    "POST /api/cids HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
    "\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n";

TEST(RequestFramerTest, AChunkedRequestWithExtensionsAndTrailersIsWhole) {
  RequestFramer framer({.max_head = 1 << 10, .max_body = 100});
  const std::string request = kChunked;
  // Byte by byte: complete only at the very end.
  for (size_t n = 1; n < request.size(); ++n) {
    ASSERT_NE(framer.Feed(request.substr(0, n)).kind, RequestFramer::kComplete)
        << n;
  }
  RequestFramer::Result r = framer.Feed(request);
  ASSERT_EQ(r.kind, RequestFramer::kComplete);
  EXPECT_EQ(r.length, request.size());
  EXPECT_TRUE(framer.chunked());
  EXPECT_EQ(request.substr(framer.head_length(), 5), "5;x=y");
}

TEST(RequestFramerTest, DechunkGivesTheBodyWithAContentLength) {
  const std::string request = kChunked;
  const size_t head = request.find("\r\n\r\n") + 4;
  EXPECT_EQ(DechunkRequest(request, head),
            "POST /api/cids HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n"
            "hello world");
  // No chunk but the last: an empty body.
  const std::string empty =
      "POST /x HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n";
  EXPECT_EQ(DechunkRequest(empty, empty.find("\r\n\r\n") + 4),
            "POST /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
}

TEST(RequestFramerTest, AHeaderLineOverTheLimitIsRefusedWith431) {
  RequestFramer framer({.max_head = 64 << 10, .max_body = 100});
  const std::string ok = "GET / HTTP/1.1\r\nUser-Agent: " +
                         std::string(RequestFramer::kMaxLine - 12, 'u') +
                         "\r\n\r\n";
  EXPECT_EQ(framer.Feed(ok).kind, RequestFramer::kComplete);
  framer.Reset();
  const std::string long_line = "GET / HTTP/1.1\r\nUser-Agent: " +
                                std::string(RequestFramer::kMaxLine, 'u') +
                                "\r\n\r\n";
  RequestFramer::Result r = framer.Feed(long_line);
  EXPECT_EQ(r.kind, RequestFramer::kRefused);
  EXPECT_EQ(r.status, 431);
  EXPECT_THAT(r.message, HasSubstr("header line is over the limit"));
}

TEST(RequestFramerTest, ChunksPastTheBodyLimitAreRefusedWith413) {
  RequestFramer framer({.max_head = 1 << 10, .max_body = 8});
  const std::string request =
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
      "5\r\nworld\r\n0\r\n\r\n";
  RequestFramer::Result r = framer.Feed(request);
  EXPECT_EQ(r.kind, RequestFramer::kRefused);
  EXPECT_EQ(r.status, 413);
}

TEST(RequestFramerTest, HeaderLinesTheParserWouldReadOtherwiseAreRefused) {
  // The framer and the HTTP parser must agree on the body: a name with
  // space before its colon, or a line folded onto the previous one, would
  // be a body to one and none to the other.
  for (const char* request :
       {"POST /api/cids HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello",
        "POST /api/cids HTTP/1.1\r\nX-A: 1\r\n Content-Length: 5\r\n\r\n"
        "hello",
        "POST /api/cids HTTP/1.1\r\n: 5\r\n\r\nhello"}) {
    RequestFramer framer({.max_head = 1 << 10, .max_body = 100});
    RequestFramer::Result r = framer.Feed(request);
    EXPECT_EQ(r.kind, RequestFramer::kRefused) << request;
    EXPECT_EQ(r.status, 400) << request;
  }
}

TEST(RequestFramerTest, AHeadTrickledInByteByByteIsFoundOnce) {
  RequestFramer framer({.max_head = 1 << 10, .max_body = 100});
  const std::string request = "GET / HTTP/1.1\r\nHost: h\r\nX: \r\n\rX\r\n\r\n";
  for (size_t n = 1; n < request.size(); ++n) {
    ASSERT_EQ(framer.Feed(request.substr(0, n)).kind,
              RequestFramer::kIncomplete)
        << n;
  }
  RequestFramer::Result r = framer.Feed(request);
  EXPECT_EQ(r.kind, RequestFramer::kComplete);
  EXPECT_EQ(r.length, request.size());
}

}  // namespace
}  // namespace viewer::http_internal
