// ISO 8601 UTC text for instants ("2026-11-22T04:50:38Z"), the only time format on the wire
// and in the store, and whole-day arithmetic for "days left".
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

// Whole days from `from` until `to`, rounded towards negative infinity: a certificate that
// expires in 23 hours has 0 days left; one that expired an hour ago has -1.
[[nodiscard]] long daysBetween(TimePoint from, TimePoint to);

}  // namespace cks
