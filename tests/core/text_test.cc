#include "core/text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cks {
namespace {

TEST(TextTest, TrimRemovesBlanksAroundTheText) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim("a"), "a");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\r\n "), "");
  EXPECT_EQ(trim("\tChứng thư số "), "Chứng thư số");
}

TEST(TextTest, TrimRemovesOnlyTheBlanksItIsGiven) {
  EXPECT_EQ(trim(" a\r\n", " \t"), "a\r\n");
  EXPECT_EQ(trim("\r a \r", " \t\r"), "a");
  EXPECT_EQ(trim("xxaxx", "x"), "a");
}

std::vector<std::uint8_t> bytesOf(std::string_view text) { return {text.begin(), text.end()}; }

TEST(TextTest, HexLowerWritesTwoLowercaseDigitsAByte) {
  EXPECT_EQ(hexLower(std::vector<std::uint8_t>{}), "");
  EXPECT_EQ(hexLower(std::vector<std::uint8_t>{0x00, 0x0f, 0xa0, 0xff}), "000fa0ff");
}

// RFC 4648 §10's test vectors.
TEST(TextTest, Base64EncodesTheRfcVectors) {
  EXPECT_EQ(base64(bytesOf("")), "");
  EXPECT_EQ(base64(bytesOf("f")), "Zg==");
  EXPECT_EQ(base64(bytesOf("fo")), "Zm8=");
  EXPECT_EQ(base64(bytesOf("foo")), "Zm9v");
  EXPECT_EQ(base64(bytesOf("foob")), "Zm9vYg==");
  EXPECT_EQ(base64(bytesOf("fooba")), "Zm9vYmE=");
  EXPECT_EQ(base64(bytesOf("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64(std::vector<std::uint8_t>{0xfb, 0xff, 0xbf}), "+/+/");
}

TEST(TextTest, DecodeBase64RoundTripsAndSkipsLineEnds) {
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[i] = std::uint8_t(i);
  std::vector<std::uint8_t> out;
  ASSERT_TRUE(decodeBase64(base64(all), out));
  EXPECT_EQ(out, all);
  ASSERT_TRUE(decodeBase64("Zm9v\r\nYmE=", out));
  EXPECT_EQ(out, bytesOf("fooba"));
}

TEST(TextTest, DecodeBase64RefusesForeignCharactersAndBadPadding) {
  std::vector<std::uint8_t> out;
  EXPECT_FALSE(decodeBase64("Zm9v*", out));
  EXPECT_FALSE(decodeBase64("Zm9", out));
  EXPECT_FALSE(decodeBase64("Z===", out));
  EXPECT_FALSE(decodeBase64("Zg==Zg==", out));
}

}  // namespace
}  // namespace cks
