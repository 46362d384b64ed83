#include "core/token.h"

#include <array>
#include <utility>

namespace cks {
namespace {
constexpr std::array<std::pair<PinState, std::string_view>, 5> kNames{{
    {PinState::Ok, "ok"},
    {PinState::CountLow, "count_low"},
    {PinState::FinalTry, "final_try"},
    {PinState::Locked, "locked"},
    {PinState::Unknown, "unknown"},
}};
}  // namespace

std::string_view toString(PinState state) {
  for (const auto& [value, name] : kNames) {
    if (value == state) return name;
  }
  return "unknown";
}

bool parsePinState(std::string_view text, PinState& out) {
  for (const auto& [value, name] : kNames) {
    if (name == text) {
      out = value;
      return true;
    }
  }
  return false;
}

PinState pinStateFromFlags(const TokenPinFlags& flags) {
  // Locked wins over final-try wins over count-low: a token may raise several at once.
  if (flags.locked) return PinState::Locked;
  if (!flags.initialized || !flags.user_pin_set) return PinState::Unknown;
  if (flags.final_try) return PinState::FinalTry;
  if (flags.count_low) return PinState::CountLow;
  return PinState::Ok;
}

}  // namespace cks
