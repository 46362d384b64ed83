#include "tray/windows/cng_proof.h"

#include <windows.h>

#include <bcrypt.h>

#include <array>
#include <stdexcept>

namespace cks::tray {
namespace {

bool succeeded(NTSTATUS status) { return status >= 0; }

}  // namespace

ProofCrypto cngProofCrypto() {
  ProofCrypto crypto;
  crypto.hmac_sha256 = [](const std::string& key, const std::string& message) {
    BCRYPT_ALG_HANDLE algorithm = nullptr;
    if (!succeeded(BCryptOpenAlgorithmProvider(&algorithm, BCRYPT_SHA256_ALGORITHM, nullptr,
                                               BCRYPT_ALG_HANDLE_HMAC_FLAG))) {
      return std::string();  // no proof matches an empty one
    }
    std::array<unsigned char, 32> mac{};
    BCRYPT_HASH_HANDLE hash = nullptr;
    const bool done =
        succeeded(BCryptCreateHash(algorithm, &hash, nullptr, 0,
                                   reinterpret_cast<PUCHAR>(const_cast<char*>(key.data())),
                                   ULONG(key.size()), 0)) &&
        succeeded(BCryptHashData(hash, reinterpret_cast<PUCHAR>(const_cast<char*>(message.data())),
                                 ULONG(message.size()), 0)) &&
        succeeded(BCryptFinishHash(hash, mac.data(), ULONG(mac.size()), 0));
    if (hash) BCryptDestroyHash(hash);
    BCryptCloseAlgorithmProvider(algorithm, 0);
    return done ? lowerHex(mac.data(), mac.size()) : std::string();
  };
  crypto.nonce = [] {
    std::array<unsigned char, 32> bytes{};
    // Without randomness a nonce could repeat: refuse to ask rather than ask predictably.
    if (!succeeded(BCryptGenRandom(nullptr, bytes.data(), ULONG(bytes.size()),
                                   BCRYPT_USE_SYSTEM_PREFERRED_RNG))) {
      throw std::runtime_error("no random bytes for the local API nonce");
    }
    return lowerHex(bytes.data(), bytes.size());
  };
  return crypto;
}

}  // namespace cks::tray
