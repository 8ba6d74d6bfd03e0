#include "http/internal/request_framer.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace viewer::http_internal {
namespace {

// The end of the head (after its blank line), or npos; the search starts
// at `from` (what was searched before, less the 3 bytes a blank line may
// have begun in).
size_t HeadEnd(absl::string_view buffer, size_t from) {
  const size_t crlf = buffer.find("\r\n\r\n", from);
  const size_t lf = buffer.find("\n\n", from);
  const size_t a = crlf == absl::string_view::npos ? crlf : crlf + 4;
  const size_t b = lf == absl::string_view::npos ? lf : lf + 2;
  return std::min(a, b);
}

// A Content-Length value: digits only ("5", or a list "5, 5" of one value).
bool ParseLength(absl::string_view text, uint64_t& out) {
  bool first = true;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    part = absl::StripAsciiWhitespace(part);
    uint64_t value = 0;
    if (part.empty() || part.size() > 18 ||
        !std::all_of(part.begin(), part.end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(part, &value)) {
      return false;
    }
    if (!first && value != out) return false;
    out = value;
    first = false;
  }
  return !first;
}

// A chunk size line's size ("1a", "1a;ext=x"); false when it is not hex.
bool ParseChunkSize(absl::string_view line, uint64_t& out) {
  absl::string_view hex = line.substr(0, line.find(';'));
  hex = absl::StripAsciiWhitespace(hex);
  if (hex.empty() || hex.size() > 15 ||
      !std::all_of(hex.begin(), hex.end(), absl::ascii_isxdigit)) {
    return false;
  }
  return absl::SimpleHexAtoi(hex, &out);
}

}  // namespace

void RequestFramer::Reset() {
  head_length_ = 0;
  head_scanned_ = 0;
  method_.clear();
  expect_continue_ = false;
  chunked_ = false;
  content_length_ = 0;
  chunk_pos_ = 0;
  decoded_ = 0;
  in_trailers_ = false;
}

RequestFramer::Result RequestFramer::Refuse(int status,
                                            std::string message) const {
  return {.kind = kRefused,
          .length = head_length_,
          .status = status,
          .message = std::move(message)};
}

RequestFramer::Result RequestFramer::Feed(absl::string_view buffer) {
  if (head_length_ == 0) {
    // Never more than the limit is searched, and no byte twice (a head
    // trickled in small pieces would otherwise cost its square).
    const absl::string_view searched =
        buffer.substr(0, std::min(buffer.size(), limits_.max_head + 4));
    const size_t end =
        HeadEnd(searched, head_scanned_ > 3 ? head_scanned_ - 3 : 0);
    head_scanned_ = searched.size();
    if (end == absl::string_view::npos ? buffer.size() > limits_.max_head
                                       : end > limits_.max_head) {
      return Refuse(431, absl::StrCat("the request line and headers are over "
                                      "the limit of ",
                                      limits_.max_head, " bytes"));
    }
    if (end == absl::string_view::npos) return {};
    Result head = ParseHead(buffer.substr(0, end));
    head_length_ = end;
    chunk_pos_ = end;
    if (head.kind == kRefused) {
      head.length = end;
      return head;
    }
  }
  if (chunked_) return FeedChunks(buffer);
  const uint64_t total = head_length_ + content_length_;
  if (buffer.size() >= total) {
    return {.kind = kComplete, .length = static_cast<size_t>(total)};
  }
  return {.kind = kHead, .length = head_length_};
}

RequestFramer::Result RequestFramer::ParseHead(absl::string_view head) {
  bool first_line = true;
  bool has_length = false;
  int transfer_encodings = 0;
  std::string transfer_encoding;
  for (absl::string_view line : absl::StrSplit(head, '\n')) {
    line = absl::StripSuffix(line, "\r");
    if (line.size() > kMaxLine) {
      return first_line
                 ? Refuse(414, absl::StrCat("the request line is over the "
                                            "limit of ",
                                            kMaxLine, " bytes"))
                 : Refuse(431, absl::StrCat("a header line is over the limit "
                                            "of ",
                                            kMaxLine, " bytes"));
    }
    if (first_line) {
      method_ = std::string(line.substr(0, line.find(' ')));
      first_line = false;
      continue;
    }
    if (line.empty()) continue;
    if (line[0] == ' ' || line[0] == '\t') {
      return Refuse(400, "a header line folded onto the next is not accepted");
    }
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    if (colon == 0 || absl::ascii_isspace(line[colon - 1])) {
      return Refuse(400, "a header name must be followed by ':' directly");
    }
    const std::string name = absl::AsciiStrToLower(
        absl::StripAsciiWhitespace(line.substr(0, colon)));
    const absl::string_view value =
        absl::StripAsciiWhitespace(line.substr(colon + 1));
    if (name == "content-length") {
      uint64_t length = 0;
      if (!ParseLength(value, length)) {
        return Refuse(400, absl::StrCat("Content-Length '", value,
                                        "' is not a byte count"));
      }
      if (has_length && length != content_length_) {
        return Refuse(400,
                      "two different Content-Length headers: the request's "
                      "length is ambiguous");
      }
      has_length = true;
      content_length_ = length;
    } else if (name == "transfer-encoding") {
      ++transfer_encodings;
      transfer_encoding = absl::AsciiStrToLower(value);
    } else if (name == "expect") {
      // Any one asking for it: the loop answers it, and every Expect
      // header is taken out before the parser reads the request.
      expect_continue_ =
          expect_continue_ || absl::AsciiStrToLower(value) == "100-continue";
    }
  }
  if (transfer_encodings > 0) {
    if (has_length) {
      return Refuse(400,
                    "both Content-Length and Transfer-Encoding: the request's "
                    "length is ambiguous");
    }
    if (transfer_encodings > 1 || transfer_encoding != "chunked") {
      return Refuse(400, "the only Transfer-Encoding accepted is 'chunked'");
    }
    chunked_ = true;
    return {};
  }
  if (content_length_ > limits_.max_body) {
    return Refuse(413, "");
  }
  return {};
}

RequestFramer::Result RequestFramer::FeedChunks(absl::string_view buffer) {
  // Chunk framing adds a few bytes per chunk; a body whose framing alone
  // is larger than that is refused like a body that is too large.
  const uint64_t raw_limit =
      limits_.max_body + limits_.max_body / 8 + (uint64_t{64} << 10);
  if (buffer.size() - head_length_ > raw_limit) return Refuse(413, "");
  while (true) {
    const size_t nl = buffer.find('\n', chunk_pos_);
    if (nl == absl::string_view::npos) {
      if (buffer.size() - chunk_pos_ > 4096) {
        return Refuse(400, "a chunk header or trailer line is too long");
      }
      return {.kind = kHead, .length = head_length_};
    }
    const absl::string_view line =
        absl::StripSuffix(buffer.substr(chunk_pos_, nl - chunk_pos_), "\r");
    if (in_trailers_) {
      chunk_pos_ = nl + 1;
      if (line.empty()) return {.kind = kComplete, .length = chunk_pos_};
      continue;
    }
    uint64_t size = 0;
    if (!ParseChunkSize(line, size)) {
      return Refuse(400, "a chunk size is not a hexadecimal number");
    }
    if (size == 0) {
      in_trailers_ = true;
      chunk_pos_ = nl + 1;
      continue;
    }
    if (size > limits_.max_body - decoded_) return Refuse(413, "");
    const size_t data_end = nl + 1 + static_cast<size_t>(size);
    if (buffer.size() < data_end + 2) {
      return {.kind = kHead, .length = head_length_};
    }
    if (buffer.substr(data_end, 2) != "\r\n") {
      return Refuse(400, "a chunk is longer than its size says");
    }
    decoded_ += size;
    chunk_pos_ = data_end + 2;
  }
}

std::string DechunkRequest(absl::string_view request, size_t head_length) {
  std::string body;
  size_t pos = head_length;
  while (pos < request.size()) {
    const size_t nl = request.find('\n', pos);
    if (nl == absl::string_view::npos) break;
    uint64_t size = 0;
    if (!ParseChunkSize(absl::StripSuffix(request.substr(pos, nl - pos), "\r"),
                        size) ||
        size == 0) {
      break;  // the last chunk: what follows are trailers
    }
    absl::StrAppend(&body, request.substr(nl + 1, static_cast<size_t>(size)));
    pos = nl + 1 + static_cast<size_t>(size) + 2;  // the data and its CRLF
  }
  std::string out;
  out.reserve(head_length + body.size() + 32);
  // The head's lines but Transfer-Encoding, then Content-Length and the
  // blank line.
  for (absl::string_view line :
       absl::StrSplit(request.substr(0, head_length), '\n')) {
    line = absl::StripSuffix(line, "\r");
    if (line.empty()) continue;
    const size_t colon = line.find(':');
    if (colon != absl::string_view::npos &&
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(
            line.substr(0, colon))) == "transfer-encoding") {
      continue;
    }
    absl::StrAppend(&out, line, "\r\n");
  }
  absl::StrAppend(&out, "Content-Length: ", body.size(), "\r\n\r\n", body);
  return out;
}

}  // namespace viewer::http_internal
