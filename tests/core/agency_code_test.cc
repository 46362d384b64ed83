#include "core/agency_code.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace cks {
namespace {

// The error message for `text`, or a marker that makes the calling assertion fail visibly.
std::string errorOf(std::string_view text) {
  const auto code = AgencyCode::parse(text);
  if (code) return "<accepted as " + code->str() + ">";
  return code.error().message;
}

AgencyCode code(std::string_view text) {
  auto parsed = AgencyCode::parse(text);
  EXPECT_TRUE(parsed) << text << ": " << parsed.error().message;
  return parsed.value_or(*AgencyCode::parse("A00"));
}

TEST(AgencyCodeTest, AcceptsCodesOfEveryLevel) {
  for (const std::string_view text : {"H21", "H21.09", "G11.07.05", "A00", "Y99.1"}) {
    const auto parsed = AgencyCode::parse(text);
    ASSERT_TRUE(parsed) << text << ": " << parsed.error().message;
    EXPECT_EQ(parsed->str(), text);
  }
}

TEST(AgencyCodeTest, AcceptsACodeOfExactly35Characters) {
  const std::string longest = "H21.01.02.03.04.05.06.07.08.09.1011";
  ASSERT_EQ(longest.size(), 35u);

  const auto parsed = AgencyCode::parse(longest);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->str(), longest);
}

TEST(AgencyCodeTest, RejectsAnEmptyCode) { EXPECT_EQ(errorOf(""), "agency code: empty"); }

TEST(AgencyCodeTest, RejectsACodeLongerThan35CharactersAndSaysHowLong) {
  const std::string too_long = "H21.01.02.03.04.05.06.07.08.09.10111";
  ASSERT_EQ(too_long.size(), 36u);

  const std::string error = errorOf(too_long);
  EXPECT_NE(error.find("longer than 35 characters (36)"), std::string::npos) << error;
  EXPECT_NE(error.find(too_long), std::string::npos) << error;
}

TEST(AgencyCodeTest, RejectsLowercaseAndNamesTheCharacterPosition) {
  EXPECT_EQ(errorOf("h21"), "agency code \"h21\": character 1 is not A-Z, 0-9 or '.'");
  EXPECT_EQ(errorOf("H21.0a"), "agency code \"H21.0a\": character 6 is not A-Z, 0-9 or '.'");
}

TEST(AgencyCodeTest, RejectsSpacesAndVietnameseLetters) {
  EXPECT_EQ(errorOf("H21 09"), "agency code \"H21 09\": character 4 is not A-Z, 0-9 or '.'");
  EXPECT_EQ(errorOf(" H21"), "agency code \" H21\": character 1 is not A-Z, 0-9 or '.'");
  // "Đ" is two bytes in UTF-8; the first of them is already outside A-Z.
  EXPECT_EQ(errorOf("Đ21"), "agency code \"Đ21\": character 1 is not A-Z, 0-9 or '.'");
  EXPECT_EQ(errorOf("H21.ĐÔ"), "agency code \"H21.ĐÔ\": character 5 is not A-Z, 0-9 or '.'");
}

TEST(AgencyCodeTest, RejectsAFirstGroupThatIsNotALetterAThroughYAndTwoDigits) {
  for (const std::string_view text : {"Z21", "Z21.09", "H2", "21H", "H2A", "HH1", "H210", "H"}) {
    const std::string error = errorOf(text);
    EXPECT_NE(error.find("must start with a letter A-Y and two digits"), std::string::npos)
        << text << " -> " << error;
  }
}

TEST(AgencyCodeTest, RejectsAnEmptyLevelAfterADot) {
  for (const std::string_view text : {"H21.", "H21..09", "H21.09.", "G11.07..05"}) {
    const std::string error = errorOf(text);
    EXPECT_NE(error.find("empty level after a '.'"), std::string::npos) << text << " -> " << error;
  }
}

TEST(AgencyCodeTest, ErrorQuotesTheRejectedCode) {
  EXPECT_NE(errorOf("Z21.09").find("\"Z21.09\""), std::string::npos);
  EXPECT_NE(errorOf("H21..09").find("\"H21..09\""), std::string::npos);
}

TEST(AgencyCodeTest, DepthCountsTheLevels) {
  EXPECT_EQ(code("H21").depth(), 1);
  EXPECT_EQ(code("H21.09").depth(), 2);
  EXPECT_EQ(code("G11.07.05").depth(), 3);
}

TEST(AgencyCodeTest, ContainsItselfAndEveryCodeBelowIt) {
  EXPECT_TRUE(code("H21").contains(code("H21")));
  EXPECT_TRUE(code("H21").contains(code("H21.09")));
  EXPECT_TRUE(code("H21").contains(code("H21.09.05")));
  EXPECT_TRUE(code("H21.09").contains(code("H21.09.05")));
}

TEST(AgencyCodeTest, DoesNotContainACodeThatOnlySharesItsLeadingCharacters) {
  // "H210" and "H2" are not valid codes at all (see the parse tests); the same trap one level
  // down is "H21.0" against "H21.09": a text prefix that is not a level boundary.
  EXPECT_FALSE(AgencyCode::parse("H210"));
  EXPECT_FALSE(AgencyCode::parse("H2"));
  EXPECT_FALSE(code("H21.0").contains(code("H21.09")));
  EXPECT_FALSE(code("H21.09").contains(code("H21.090")));
}

TEST(AgencyCodeTest, DoesNotContainItsParentOrASibling) {
  EXPECT_FALSE(code("H21.09").contains(code("H21")));
  EXPECT_FALSE(code("H21.09").contains(code("H21.10")));
  EXPECT_FALSE(code("H22").contains(code("H21.09")));
}

}  // namespace
}  // namespace cks
