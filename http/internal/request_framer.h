// RequestFramer: finds where one HTTP/1.1 request ends in the bytes read
// from a connection so far, before any worker sees it, and refuses what
// must not be read on: a head past its limit, a body past --max-body (for
// every framing: Content-Length or chunked), a Content-Length that is
// impossible, repeated with different values, or sent together with
// Transfer-Encoding (request smuggling).
//
//   RequestFramer framer({.max_head = 64 << 10, .max_body = 1 << 20});
//   buffer += bytes_read;
//   RequestFramer::Result r = framer.Feed(buffer);
//   if (r.kind == RequestFramer::kComplete) serve buffer[0, r.length)
//
// Feed may be called again with the same buffer grown; it resumes where it
// stopped (chunk headers are read once). Reset before the next request.
//
// Thread safety: one framer per connection, used by one thread at a time.
#ifndef VIEWER_HTTP_INTERNAL_REQUEST_FRAMER_H_
#define VIEWER_HTTP_INTERNAL_REQUEST_FRAMER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace viewer::http_internal {

class RequestFramer {
 public:
  struct Limits {
    // Request line and headers, with the blank line ending them.
    size_t max_head = 64 << 10;
    // The body (decoded size, for chunked); larger ones are refused (413)
    // as soon as their size is known to pass it.
    uint64_t max_body = uint64_t{64} << 20;
  };
  enum Kind {
    kIncomplete,  // read more
    kHead,        // the head is complete, the body is not (yet)
    kComplete,    // buffer[0, length) is one whole request
    kRefused,     // answer `status` with `message`; read no further
  };
  struct Result {
    Kind kind = kIncomplete;
    // kComplete: the request's length; kHead, kRefused after the head:
    // the head's length (0 when the head itself was refused).
    size_t length = 0;
    int status = 0;
    std::string message;
  };

  explicit RequestFramer(Limits limits) : limits_(limits) {}

  Result Feed(absl::string_view buffer);
  void Reset();

  // Valid once the head is complete: the method, and whether the client
  // waits for "100 Continue" before sending its body.
  const std::string& method() const { return method_; }
  bool expects_continue() const { return expect_continue_; }
  bool has_body() const { return chunked_ || content_length_ > 0; }
  bool chunked() const { return chunked_; }
  size_t head_length() const { return head_length_; }

  // The longest line accepted in a head: a longer request line is refused
  // with 414, a longer header line with 431, before any handler runs.
  static constexpr size_t kMaxLine = 8000;

 private:
  Result ParseHead(absl::string_view head);
  Result FeedChunks(absl::string_view buffer);
  Result Refuse(int status, std::string message) const;

  const Limits limits_;
  size_t head_length_ = 0;   // 0 until the head is complete
  size_t head_scanned_ = 0;  // bytes searched for the head's end so far
  std::string method_;
  bool expect_continue_ = false;
  bool chunked_ = false;
  uint64_t content_length_ = 0;
  // Chunked: where the next chunk header starts, and the decoded size.
  size_t chunk_pos_ = 0;
  uint64_t decoded_ = 0;
  bool in_trailers_ = false;
};

// `request`, one whole chunked request as Feed framed it (its head is
// `head_length` bytes), rewritten for the HTTP parser: the body decoded,
// the Transfer-Encoding header replaced by Content-Length, chunk
// extensions and trailers dropped.
std::string DechunkRequest(absl::string_view request, size_t head_length);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_REQUEST_FRAMER_H_
