#include "tray/linux/openssl_proof.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace cks::tray {
ProofCrypto opensslProofCrypto() {
  ProofCrypto crypto;
  crypto.hmac_sha256 = [](const std::string& key, const std::string& message) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), int(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
             &size) == nullptr) {
      return std::string();  // no proof matches an empty one
    }
    return lowerHex(mac.data(), size);
  };
  crypto.nonce = [] {
    std::array<unsigned char, 32> bytes{};
    // Without randomness a nonce could repeat: refuse to ask rather than ask predictably.
    if (RAND_bytes(bytes.data(), int(bytes.size())) != 1) {
      throw std::runtime_error("no random bytes for the local API nonce");
    }
    return lowerHex(bytes.data(), bytes.size());
  };
  return crypto;
}

}  // namespace cks::tray
