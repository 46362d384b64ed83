// How far the hub's clock may be from this PC's and still be believed. A hub that claims more
// (a hub whose own clock failed, or a server impersonating it) says nothing about this PC's
// time: its offset is not applied (review finding 11 of issue 15). Constants only.
#pragma once

#include <chrono>

namespace cks::sync {

// The most a PC's clock can plausibly be off the hub's.
inline constexpr std::chrono::seconds kPlausibleClockOffset = std::chrono::days(365);

// True when `offset` (hub time − local time) is within kPlausibleClockOffset either way.
[[nodiscard]] inline bool plausibleClockOffset(std::chrono::seconds offset) {
  return offset <= kPlausibleClockOffset && offset >= -kPlausibleClockOffset;
}

}  // namespace cks::sync
