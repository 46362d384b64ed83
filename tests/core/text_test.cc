#include "core/text.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cks
