#include "sync/client/internal/gzip.h"

#include <gtest/gtest.h>

namespace cks::sync::internal {
namespace {

TEST(GzipTest, RoundTrips) {
  std::string text;
  for (int i = 0; i < 200; ++i)
    text += "Chứng thư số của UBND xã Bình Chương " + std::to_string(i) + "\n";
  const auto compressed = gzipCompress(text);
  ASSERT_TRUE(compressed) << compressed.error().message;
  EXPECT_EQ(compressed->substr(0, 2), "\x1f\x8b");
  EXPECT_LT(compressed->size(), text.size() / 4);
  const auto back = gzipDecompress(*compressed, 1 << 20);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, text);
}

TEST(GzipTest, EmptyInputRoundTrips) {
  const auto compressed = gzipCompress("");
  ASSERT_TRUE(compressed);
  const auto back = gzipDecompress(*compressed, 16);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, "");
}

TEST(GzipTest, RefusesTruncatedAndTrailingGarbageAndBombs) {
  const auto compressed = gzipCompress(std::string(100000, 'a'));
  ASSERT_TRUE(compressed);
  EXPECT_FALSE(gzipDecompress(compressed->substr(0, compressed->size() - 4), 1 << 20));
  EXPECT_FALSE(gzipDecompress(*compressed + "xyz", 1 << 20));
  const auto bomb = gzipDecompress(*compressed, 1000);
  ASSERT_FALSE(bomb);
  EXPECT_EQ(bomb.error().message, "gunzip: more than 1000 bytes once decompressed");
  EXPECT_FALSE(gzipDecompress("not gzip at all", 1 << 20));
}

}  // namespace
}  // namespace cks::sync::internal
