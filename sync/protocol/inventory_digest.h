// The anti-entropy digest of one agent's inventory: computed by the agent over its store and by
// the hub over its view of that agent, with this one function, so equal inventories give equal
// digests (docs/sync-protocol.md, POST /v1/digest).
#pragma once

#include <string>
#include <vector>

namespace cks::sync {

struct DigestToken {
  std::string serial;
  std::string manufacturer;
  bool present = false;
};

struct DigestCertificate {
  std::string fingerprint;
  std::string token_serial;
  bool present = false;
};

// Lowercase hex SHA-256 over the sorted lines "T <serial> <manufacturer> <present 0|1>" and
// "C <fingerprint> <token serial> <present 0|1>", each followed by '\n', where every text
// field is written "<byte length>:<bytes>" (e.g. "T 4:5A1B 15:SoftHSM project 1").
[[nodiscard]] std::string inventoryDigest(const std::vector<DigestToken>& tokens,
                                          const std::vector<DigestCertificate>& certificates);

}  // namespace cks::sync
