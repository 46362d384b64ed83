#include "core/crypto.h"

#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/err.h>

#include <array>
#include <regex>
#include <set>

namespace cks {
namespace {

TEST(CryptoTest, MakesAnEcKeyOnP256) {
  auto key = makeEcKey();
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(EVP_PKEY_get_base_id(key->get()), EVP_PKEY_EC);
  EXPECT_EQ(EVP_PKEY_get_bits(key->get()), 256);
}

TEST(CryptoTest, OpenSslErrorTakesTheQueuedErrorAndClearsIt) {
  ERR_clear_error();
  EXPECT_EQ(openSslError(), "unknown OpenSSL error");
  EXPECT_EQ(openSslError("none"), "none");
  ERR_raise(ERR_LIB_EVP, EVP_R_UNSUPPORTED_ALGORITHM);
  const std::string text = openSslError();
  EXPECT_NE(text.find("unsupported algorithm"), std::string::npos) << text;
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(CryptoTest, RandomBytesDiffer) {
  std::array<std::uint8_t, 16> a{};
  std::array<std::uint8_t, 16> b{};
  randomBytes(a);
  randomBytes(b);
  EXPECT_NE(a, b);
}

TEST(CryptoTest, UuidsAreVersion4AndUnique) {
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string uuid = newUuidV4();
    EXPECT_TRUE(std::regex_match(uuid, shape)) << uuid;
    seen.insert(uuid);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace cks
