#include "core/crypto.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <array>

#include "core/text.h"

namespace cks {
namespace {

using KeyContextPtr = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;

}  // namespace

std::string openSslError(std::string_view none) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return std::string(none);
  std::array<char, 256> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return text.data();
}

Result<KeyPtr> makeEcKey() {
  const KeyContextPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!context || EVP_PKEY_keygen_init(context.get()) != 1 ||
      EVP_PKEY_CTX_set_group_name(context.get(), "P-256") != 1 ||
      EVP_PKEY_generate(context.get(), &key) != 1) {
    return fail("generate an EC P-256 key: ", openSslError());
  }
  return KeyPtr(key);
}

void randomBytes(std::span<std::uint8_t> out) {
  CKS_CHECK(RAND_bytes(out.data(), int(out.size())) == 1);
}

std::string newUuidV4() {
  std::array<std::uint8_t, 16> bytes{};
  randomBytes(bytes);
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  const std::string digits = hexLower(bytes);
  // 8-4-4-4-12 hex digits.
  return digits.substr(0, 8) + "-" + digits.substr(8, 4) + "-" + digits.substr(12, 4) + "-" +
         digits.substr(16, 4) + "-" + digits.substr(20);
}

}  // namespace cks
