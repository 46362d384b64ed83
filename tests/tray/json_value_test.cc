#include "tray/core/json_value.h"

#include <gtest/gtest.h>

#include "tests/tray/api_samples.h"

namespace cks::tray {
namespace {

TEST(JsonValueTest, ReadsAnAgentAlertWithVietnameseText) {
  auto value =
      JsonValue::parse(samples::alertJson(7, "u-7", "warning", "open", samples::kExpiringMessage));
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ((*value)["id"].asInt(), 7);
  EXPECT_EQ((*value)["message"].asString(), samples::kExpiringMessage);
  EXPECT_TRUE((*value)["module"].isNull());
  EXPECT_EQ((*value)["params"]["agency"].asString(), "UBND xã Bình Chương");
  EXPECT_EQ((*value)["threshold_days"].asInt(), 30);
  EXPECT_TRUE((*value)["no_such_field"].isNull());
}

TEST(JsonValueTest, DecodesEscapesAndSurrogatePairsToUtf8) {
  // Poco writes non-ASCII as \u escapes when asked to; the tray must read both forms.
  auto value = JsonValue::parse(R"(["Nguy\u1ec5n V\u0103n A", "a\"b\\c\/d\n", "\ud83d\ude00"])");
  ASSERT_TRUE(value) << value.error().message;
  ASSERT_EQ(value->items().size(), 3u);
  EXPECT_EQ(value->items()[0].asString(), "Nguyễn Văn A");
  EXPECT_EQ(value->items()[1].asString(), "a\"b\\c/d\n");
  EXPECT_EQ(value->items()[2].asString(), "\xF0\x9F\x98\x80");
}

TEST(JsonValueTest, ReadsNumbersBooleansAndNesting) {
  auto value =
      JsonValue::parse(R"( {"a": -12, "b": 1.5e3, "c": true, "d": false, "e": {"f": []}} )");
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ((*value)["a"].asInt(), -12);
  EXPECT_FALSE((*value)["b"].asInt());  // not an integer
  EXPECT_EQ((*value)["c"].asBool(), true);
  EXPECT_EQ((*value)["d"].asBool(), false);
  EXPECT_TRUE((*value)["e"]["f"].isArray());
  EXPECT_EQ((*value)["e"]["f"].items().size(), 0u);
}

TEST(JsonValueTest, RefusesBrokenTextWithItsPlace) {
  for (const char* bad : {"", "{", R"({"a" 1})", "[1,]", R"("abc)", "01", "tru", R"("\ud800")",
                          "[1] x", "{\"a\":\"\x01\"}", "-", "1.", R"("\x")"}) {
    auto value = JsonValue::parse(bad);
    EXPECT_FALSE(value) << "accepted: " << bad;
    if (!value) {
      EXPECT_NE(value.error().message.find("json: at byte"), std::string::npos);
    }
  }
}

TEST(JsonValueTest, RefusesNestingDeeperThanItsLimit) {
  EXPECT_FALSE(JsonValue::parse(std::string(1000, '[') + std::string(1000, ']')));
  EXPECT_TRUE(JsonValue::parse(std::string(60, '[') + std::string(60, ']')));
}

TEST(JsonValueTest, QuotesTextForRequestBodies) {
  EXPECT_EQ(jsonQuote("Bình \"Chương\"\n"), "\"Bình \\\"Chương\\\"\\u000a\"");
  auto back = JsonValue::parse(jsonQuote("a\\b\"c\x01"));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->asString(), "a\\b\"c\x01");
}

}  // namespace
}  // namespace cks::tray
