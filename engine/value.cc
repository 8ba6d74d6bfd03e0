#include "engine/value.h"

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace viewer {

Timestamp Timestamp::FromAbsl(absl::Time t) {
  return Timestamp{absl::ToUnixMicros(t)};
}

absl::Time Timestamp::ToAbsl() const { return absl::FromUnixMicros(micros); }

std::string Timestamp::ToString() const {
  absl::Time t = ToAbsl();
  absl::CivilSecond cs = absl::ToCivilSecond(t, absl::UTCTimeZone());
  int64_t frac = micros % 1000000;
  if (frac < 0) frac += 1000000;
  return absl::StrFormat("%04d-%02d-%02d %02d:%02d:%02d.%06d", cs.year(),
                         cs.month(), cs.day(), cs.hour(), cs.minute(),
                         cs.second(), frac);
}

absl::StatusOr<Timestamp> Timestamp::Parse(absl::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed timestamp: \"", text, "\""));
  };
  // YYYY-MM-DD HH:MM:SS[.f{1,6}], 'T' accepted for the space.
  if (text.size() < 19) return bad();
  auto digits = [&](size_t pos, size_t n, int* out) {
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) {
        return false;
      }
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  int y, mo, d, h, mi, s;
  if (!digits(0, 4, &y) || text[4] != '-' || !digits(5, 2, &mo) ||
      text[7] != '-' || !digits(8, 2, &d) ||
      (text[10] != ' ' && text[10] != 'T') || !digits(11, 2, &h) ||
      text[13] != ':' || !digits(14, 2, &mi) || text[16] != ':' ||
      !digits(17, 2, &s)) {
    return bad();
  }
  int64_t frac = 0;
  if (text.size() > 19) {
    if (text[19] != '.' || text.size() == 20 || text.size() > 26) return bad();
    int scale = 1000000;
    for (size_t i = 20; i < text.size(); ++i) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) {
        return bad();
      }
      scale /= 10;
      frac += (text[i] - '0') * scale;
    }
  }
  absl::CivilSecond cs(y, mo, d, h, mi, s);
  if (cs.year() != y || cs.month() != mo || cs.day() != d || cs.hour() != h ||
      cs.minute() != mi || cs.second() != s) {
    return bad();
  }
  absl::Time t = absl::FromCivil(cs, absl::UTCTimeZone());
  Timestamp ts{absl::ToUnixMicros(t) + frac};
  if (!ts.InRange()) return bad();
  return ts;
}

absl::string_view ValueKindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull:
      return "NULL";
    case ValueKind::kInteger:
      return "INTEGER";
    case ValueKind::kText:
      return "TEXT";
    case ValueKind::kBlob:
      return "BLOB";
    case ValueKind::kBoolean:
      return "BOOLEAN";
    case ValueKind::kTimestamp:
      return "TIMESTAMP";
  }
  return "?";
}

absl::string_view Value::bytes() const {
  switch (kind()) {
    case ValueKind::kText:
      return text();
    case ValueKind::kBlob:
      return blob();
    default:
      return {};
  }
}

size_t Value::PayloadSize() const {
  switch (kind()) {
    case ValueKind::kNull:
      return 0;
    case ValueKind::kText:
      return text().size();
    case ValueKind::kBlob:
      return blob().size();
    default:
      return 8;
  }
}

std::string Value::DebugString() const {
  constexpr size_t kMaxShown = 48;
  switch (kind()) {
    case ValueKind::kNull:
      return "NULL";
    case ValueKind::kInteger:
      return absl::StrCat(integer());
    case ValueKind::kBoolean:
      return boolean() ? "true" : "false";
    case ValueKind::kTimestamp:
      return absl::StrCat("@", timestamp().ToString());
    case ValueKind::kText: {
      const std::string& t = text();
      std::string shown = absl::CEscape(t.substr(0, kMaxShown));
      if (t.size() > kMaxShown) absl::StrAppend(&shown, "...(", t.size(), ")");
      return absl::StrCat("\"", shown, "\"");
    }
    case ValueKind::kBlob: {
      const std::string& b = blob();
      std::string shown = "x'";
      for (size_t i = 0; i < b.size() && i < kMaxShown; ++i) {
        absl::StrAppendFormat(&shown, "%02x",
                              static_cast<unsigned char>(b[i]));
      }
      shown += "'";
      if (b.size() > kMaxShown) absl::StrAppend(&shown, "...(", b.size(), ")");
      return shown;
    }
  }
  return "?";
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  if (a.kind() == ValueKind::kBlob) {
    return a.blob_ref() == b.blob_ref() || a.blob() == b.blob();
  }
  return a.rep_ == b.rep_;
}

int CompareValuesSlow(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) {
    return static_cast<int>(a.kind()) < static_cast<int>(b.kind()) ? -1 : 1;
  }
  switch (a.kind()) {
    case ValueKind::kNull:
      return 0;
    case ValueKind::kInteger:
      return a.integer() < b.integer() ? -1 : (a.integer() > b.integer());
    case ValueKind::kBoolean:
      return static_cast<int>(a.boolean()) - static_cast<int>(b.boolean());
    case ValueKind::kTimestamp:
      return a.timestamp() < b.timestamp() ? -1
                                           : (a.timestamp() > b.timestamp());
    case ValueKind::kText:
    case ValueKind::kBlob: {
      // absl::string_view::compare is memcmp-based: bytewise, unsigned.
      int c = a.bytes().compare(b.bytes());
      return c < 0 ? -1 : (c > 0);
    }
  }
  return 0;
}

}  // namespace viewer
