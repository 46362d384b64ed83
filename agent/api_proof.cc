#include "agent/api_proof.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdint>
#include <span>

#include "core/crypto.h"
#include "core/result.h"
#include "core/text.h"

namespace cks::agent {

std::string localApiProof(const std::string& secret, const std::string& nonce) {
  const std::string message = "cks-agent local API v1 " + nonce;
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  // SHA-256 missing from the default provider is a broken installation, not bad input.
  CKS_CHECK(HMAC(EVP_sha256(), secret.data(), int(secret.size()),
                 reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
                 &length) != nullptr);
  return hexLower(std::span(mac.data(), length));
}

std::string newHelloNonce() {
  std::array<std::uint8_t, 32> bytes{};
  randomBytes(bytes);
  return hexLower(bytes);
}

bool validHelloNonce(const std::string& nonce) {
  return nonce.size() >= 32 && nonce.size() <= 128 &&
         nonce.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace cks::agent
