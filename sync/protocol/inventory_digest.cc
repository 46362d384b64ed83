#include "sync/protocol/inventory_digest.h"

#include <algorithm>
#include <cstdint>
#include <span>

#include "core/certificate.h"

namespace cks::sync {

std::string inventoryDigest(const std::vector<DigestToken>& tokens,
                            const std::vector<DigestCertificate>& certificates) {
  std::vector<std::string> lines;
  lines.reserve(tokens.size() + certificates.size());
  for (const auto& t : tokens) {
    lines.push_back("T " + t.serial + " " + t.manufacturer + " " + (t.present ? "1" : "0"));
  }
  for (const auto& c : certificates) {
    lines.push_back("C " + c.fingerprint + " " + c.token_serial + " " + (c.present ? "1" : "0"));
  }
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return sha256Hex(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace cks::sync
