#include "core/token.h"

#include <gtest/gtest.h>

#include <string>

namespace cks {
namespace {

TokenPinFlags flags(bool count_low, bool final_try, bool locked) {
  TokenPinFlags out;
  out.count_low = count_low;
  out.final_try = final_try;
  out.locked = locked;
  return out;
}

TEST(TokenTest, PinStateIsOkWhenNoWarningFlagIsRaised) {
  EXPECT_EQ(pinStateFromFlags(TokenPinFlags{}), PinState::Ok);
}

TEST(TokenTest, EachPinFlagAloneGivesItsState) {
  EXPECT_EQ(pinStateFromFlags(flags(true, false, false)), PinState::CountLow);
  EXPECT_EQ(pinStateFromFlags(flags(false, true, false)), PinState::FinalTry);
  EXPECT_EQ(pinStateFromFlags(flags(false, false, true)), PinState::Locked);
}

TEST(TokenTest, PinStateShowsTheWorstOfSeveralFlags) {
  // Tokens raise COUNT_LOW together with FINAL_TRY, and keep both when they lock.
  EXPECT_EQ(pinStateFromFlags(flags(true, true, false)), PinState::FinalTry);
  EXPECT_EQ(pinStateFromFlags(flags(true, false, true)), PinState::Locked);
  EXPECT_EQ(pinStateFromFlags(flags(false, true, true)), PinState::Locked);
  EXPECT_EQ(pinStateFromFlags(flags(true, true, true)), PinState::Locked);
}

TEST(TokenTest, PinStateIsUnknownForATokenWithoutAnInitialisedUserPin) {
  TokenPinFlags uninitialised;
  uninitialised.initialized = false;
  EXPECT_EQ(pinStateFromFlags(uninitialised), PinState::Unknown);

  TokenPinFlags no_user_pin;
  no_user_pin.user_pin_set = false;
  EXPECT_EQ(pinStateFromFlags(no_user_pin), PinState::Unknown);

  // Without a user PIN the count-low and final-try flags describe nothing the user can act on.
  TokenPinFlags warnings_without_pin = flags(true, true, false);
  warnings_without_pin.user_pin_set = false;
  EXPECT_EQ(pinStateFromFlags(warnings_without_pin), PinState::Unknown);
  warnings_without_pin.user_pin_set = true;
  warnings_without_pin.initialized = false;
  EXPECT_EQ(pinStateFromFlags(warnings_without_pin), PinState::Unknown);
}

TEST(TokenTest, LockedWinsEvenWhenTheFlagsSayThePinIsNotInitialised) {
  // A locked token cannot be used to sign, whatever else it reports: the user must be told
  // to have it unlocked rather than see "unknown".
  TokenPinFlags locked = flags(false, false, true);
  locked.initialized = false;
  EXPECT_EQ(pinStateFromFlags(locked), PinState::Locked);

  locked.initialized = true;
  locked.user_pin_set = false;
  EXPECT_EQ(pinStateFromFlags(locked), PinState::Locked);
}

TEST(TokenTest, PinStateNamesAreTheWireNames) {
  EXPECT_EQ(toString(PinState::Ok), "ok");
  EXPECT_EQ(toString(PinState::CountLow), "count_low");
  EXPECT_EQ(toString(PinState::FinalTry), "final_try");
  EXPECT_EQ(toString(PinState::Locked), "locked");
  EXPECT_EQ(toString(PinState::Unknown), "unknown");
}

TEST(TokenTest, EveryPinStateSurvivesARoundTripThroughItsName) {
  for (const PinState state : {PinState::Ok, PinState::CountLow, PinState::FinalTry,
                               PinState::Locked, PinState::Unknown}) {
    // Start from a different value so a parse that does not write `out` is caught.
    PinState parsed = state == PinState::Ok ? PinState::Locked : PinState::Ok;
    ASSERT_TRUE(parsePinState(toString(state), parsed)) << toString(state);
    EXPECT_EQ(parsed, state) << toString(state);
  }
}

TEST(TokenTest, ParsePinStateRejectsOtherTextAndLeavesTheOutputAlone) {
  for (const std::string_view text : {"", "OK", "Locked", "count-low", "locked ", "pin locked"}) {
    PinState parsed = PinState::FinalTry;
    EXPECT_FALSE(parsePinState(text, parsed)) << text;
    EXPECT_EQ(parsed, PinState::FinalTry) << text;
  }
}

}  // namespace
}  // namespace cks
