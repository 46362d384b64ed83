// The hub's entries of the message catalogue: sorted (lookup is a binary search), every entry in
// both languages with the same placeholders, and Vietnamese by default.
#include "hub/hub_messages.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cks::hub {
namespace {

std::string placeholders(const std::string& text) {
  std::string found;
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] == '{' && text[i + 2] == '}') found += text.substr(i, 3);
  }
  std::sort(found.begin(), found.end());
  return found;
}

TEST(HubMessagesTest, TheTableIsSortedAndEveryEntryHasBothLanguages) {
  const auto keys = hubMessageKeys();
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end());
  for (const auto key : keys) {
    const std::string vi = hubMessage(Language::Vietnamese, key, {});
    const std::string en = hubMessage(Language::English, key, {});
    EXPECT_FALSE(vi.empty()) << key;
    EXPECT_FALSE(en.empty()) << key;
    EXPECT_EQ(placeholders(vi), placeholders(en)) << key;
  }
}

TEST(HubMessagesTest, FillsPlaceholdersAndFlagsUnknownKeys) {
  EXPECT_EQ(hubMessage(Language::Vietnamese, "agency.unknown", {"H21.09"}),
            "Hub chưa có cơ quan mã H21.09.");
  EXPECT_EQ(hubMessage(Language::English, "agency.unknown", {"H21.09"}),
            "This hub has no agency with code H21.09.");
  EXPECT_EQ(hubMessage(Language::English, "no.such.key"), "[hub.no.such.key]");
}

}  // namespace
}  // namespace cks::hub
