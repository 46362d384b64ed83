// A key storage device (USB token) as the inventory knows it. A token is identified by its
// serial number and manufacturer, never by slot or PC: it moves between PCs and slots.
#pragma once

#include <string>
#include <string_view>

namespace cks {

// How close the user PIN is to locking, read from the token's flags without logging in.
enum class PinState { Ok, CountLow, FinalTry, Locked, Unknown };

// "ok" | "count_low" | "final_try" | "locked" | "unknown".
[[nodiscard]] std::string_view toString(PinState state);
[[nodiscard]] bool parsePinState(std::string_view text, PinState& out);

// The user-PIN flags of CK_TOKEN_INFO (PKCS#11 2.40 §5.2), as booleans so that core stays
// free of PKCS#11 headers.
struct TokenPinFlags {
  bool count_low = false;
  bool final_try = false;
  bool locked = false;
  bool initialized = true;   // CKF_TOKEN_INITIALIZED; an uninitialised token has no PIN
  bool user_pin_set = true;  // CKF_USER_PIN_INITIALIZED
};

// The worst state the flags show; Unknown for a token without an initialised user PIN.
[[nodiscard]] PinState pinStateFromFlags(const TokenPinFlags& flags);

struct Token {
  std::string serial;
  std::string manufacturer;
  std::string label;
  std::string model;
  PinState pin_state = PinState::Unknown;
};

}  // namespace cks
