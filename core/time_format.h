// ISO 8601 UTC text for instants ("2026-11-22T04:50:38Z"), the only time format on the wire
// and in the store; the zone people read times in (Vietnam time by default, "dd/mm/yyyy HH:MM")
// and calendar-day arithmetic for "days left".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace cks {

// Formats as YYYY-MM-DDTHH:MM:SSZ.
[[nodiscard]] std::string formatIsoUtc(TimePoint at);

// Parses YYYY-MM-DDTHH:MM:SSZ (the form formatIsoUtc writes); nullopt for anything else.
[[nodiscard]] std::optional<TimePoint> parseIsoUtc(std::string_view text);

// Formats the date part only, as DD/MM/YYYY (how Vietnamese documents write dates).
[[nodiscard]] std::string formatVietnameseDate(TimePoint at);

// Whole days from `from` until `to`, rounded towards negative infinity: 23 hours are 0 days,
// an hour ago is -1. For elapsed durations (how stale a report is), not for "days left".
[[nodiscard]] long daysBetween(TimePoint from, TimePoint to);

// The zone text output shows instants in: a fixed offset from UTC. Vietnam
// (Asia/Ho_Chi_Minh) has kept UTC+7 without daylight saving since 1975, so a fixed offset is
// exact for it; zones with daylight saving are not supported (docs/operations.md).
struct TimeZone {
  std::string name;  // "Asia/Ho_Chi_Minh", "UTC", "UTC+05:30"
  std::chrono::minutes offset{0};
};

// Asia/Ho_Chi_Minh, UTC+7: the default of `[display] time_zone`.
[[nodiscard]] TimeZone vietnamTimeZone();

// Parses a `time_zone` setting: "Asia/Ho_Chi_Minh" (or its old name "Asia/Saigon"), "UTC",
// or a fixed offset "UTC+7", "UTC+07:00", "+07:00", "-03:30" (at most 14 hours); nullopt for
// anything else.
[[nodiscard]] std::optional<TimeZone> parseTimeZone(std::string_view text);

// `at` in `zone` as "dd/mm/yyyy HH:MM", and the date part alone as "dd/mm/yyyy".
[[nodiscard]] std::string formatLocalDateTime(TimePoint at, const TimeZone& zone);
[[nodiscard]] std::string formatLocalDate(TimePoint at, const TimeZone& zone);

// Calendar days from the day of `from` to the day of `to`, both read in `zone`: on 05/12 a
// certificate expiring on 30/12 (at any hour) has 25 days left; on its last day 0; the day
// after it expired -1. This is "days left" everywhere (Certificate::daysLeft).
[[nodiscard]] long calendarDaysBetween(TimePoint from, TimePoint to, const TimeZone& zone);

}  // namespace cks
