// How a local API client knows it talks to the real cks-agent before it sends the secret
// (docs/local-api.md, "Who is listening"): the client sends a fresh random nonce to
// GET /v1/hello, unauthenticated; the agent answers with an HMAC of it under the secret, which
// only a program that can read the secret can compute. An impostor listening on the port while
// the agent is down cannot, and gets nothing. Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>

namespace cks::agent {

inline constexpr const char* kHelloPath = "/v1/hello";

// The proof of knowing `secret` for `nonce`: HMAC-SHA-256 over "cks-agent local API v1 " and
// the nonce, in lowercase hex.
[[nodiscard]] std::string localApiProof(const std::string& secret, const std::string& nonce);

// A new nonce: 32 random bytes in lowercase hex.
[[nodiscard]] std::string newHelloNonce();

// True for a nonce the agent answers: 32 to 128 lowercase hex digits.
[[nodiscard]] bool validHelloNonce(const std::string& nonce);

}  // namespace cks::agent
