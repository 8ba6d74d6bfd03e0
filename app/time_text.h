// Timestamps as people read and type them: the ISO 8601 form every page,
// JSON answer and stored document shows, and the bounds a person gives to
// filter by time (the history's "from" and "to").
//
//   FormatTimestamp(t);                       // "2023-11-14T22:13:20.000000Z"
//   VIEWER_ASSIGN_OR_RETURN(Timestamp end,
//                           ParseTimeBound("end", "2024-01-31", true));
//   // 2024-01-31 23:59:59.999999: a bare date as an end bound is its end
//
// Thread safety: pure functions.
#ifndef VIEWER_APP_TIME_TEXT_H_
#define VIEWER_APP_TIME_TEXT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/value.h"

namespace viewer {

// "2023-11-14T22:13:20.000000Z" (UTC, microseconds).
std::string FormatTimestamp(Timestamp t);

// An inclusive bound typed by a person: "2024-01-02", "2024-01-02T03:04",
// "2024-01-02 03:04:05.123Z", ... (UTC; a trailing Z and surrounding
// spaces are allowed). A bare date is the start of that day, or its last
// microsecond when `is_end`; a time without seconds likewise. kInvalidArgument
// "<name> must be a UTC date or time like 2024-01-31 or
// 2024-01-31T12:00:00, got '<text>'" for anything else.
absl::StatusOr<Timestamp> ParseTimeBound(absl::string_view name,
                                         absl::string_view text, bool is_end);

}  // namespace viewer

#endif  // VIEWER_APP_TIME_TEXT_H_
