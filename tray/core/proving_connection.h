// cks-tray sends the API secret only to the real agent (issue 15, finding 4; docs/local-api.md,
// "Who is listening"), as cksctl does: while the agent is down, any local user may listen on its
// port. Each call first sends a fresh random nonce to GET /v1/hello without the secret and
// compares the answer's proof with the HMAC-SHA-256 of the nonce under the secret; only a
// program that can read the secret computes it. The HMAC and the randomness come from the
// platform (OpenSSL on Linux, CNG on Windows): the tray's core has no third-party library.
// Thread-safe as the connections it wraps.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "tray/core/local_api_connection.h"

namespace cks::tray {

struct ProofCrypto {
  // HMAC-SHA-256 of `message` under `key`, lowercase hex.
  std::function<std::string(const std::string& key, const std::string& message)> hmac_sha256;
  // 32 random bytes, lowercase hex.
  std::function<std::string()> nonce;
};

// `size` bytes in lowercase hex, as the proof and the nonce are written.
[[nodiscard]] std::string lowerHex(const unsigned char* bytes, size_t size);

// The proof the agent answers for `nonce` (agent/api_proof.h: the same text under the HMAC).
[[nodiscard]] std::string expectedProof(const ProofCrypto& crypto, const std::string& secret,
                                        const std::string& nonce);

class ProvingConnection : public LocalApiConnection {
 public:
  // `anonymous` sends no secret (the hello); `authenticated` sends it (the calls).
  ProvingConnection(std::unique_ptr<LocalApiConnection> anonymous,
                    std::unique_ptr<LocalApiConnection> authenticated, std::string secret,
                    ProofCrypto crypto);

  [[nodiscard]] Result<HttpAnswer> get(const std::string& path,
                                       std::chrono::seconds timeout) override;
  [[nodiscard]] Result<HttpAnswer> post(const std::string& path, const std::string& body,
                                        std::chrono::seconds timeout) override;
  void cancel() override;

 private:
  // An error, and nothing sent with the secret, unless the listener proves it knows it.
  [[nodiscard]] Status prove(std::chrono::seconds timeout);

  std::unique_ptr<LocalApiConnection> anonymous_;
  std::unique_ptr<LocalApiConnection> authenticated_;
  std::string secret_;
  ProofCrypto crypto_;
};

}  // namespace cks::tray
