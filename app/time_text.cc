#include "app/time_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace viewer {

std::string FormatTimestamp(Timestamp t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t.ToAbsl(),
                          absl::UTCTimeZone());
}

absl::StatusOr<Timestamp> ParseTimeBound(absl::string_view name,
                                         absl::string_view text, bool is_end) {
  std::string full(absl::StripSuffix(absl::StripAsciiWhitespace(text), "Z"));
  if (full.size() == 10) {
    full += is_end ? " 23:59:59.999999" : " 00:00:00";
  } else if (full.size() == 16) {
    full += is_end ? ":59.999999" : ":00";
  }
  absl::StatusOr<Timestamp> t = Timestamp::Parse(full);
  if (!t.ok() || !t->InRange()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name,
                     " must be a UTC date or time like 2024-01-31 or "
                     "2024-01-31T12:00:00, got '",
                     text, "'"));
  }
  return *t;
}

}  // namespace viewer
