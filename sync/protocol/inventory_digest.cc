#include "sync/protocol/inventory_digest.h"

#include <algorithm>
#include <cstdint>
#include <span>

#include "core/certificate.h"

namespace cks::sync {

namespace {

// "<length>:<text>": serials and manufacturers may hold spaces ("SafeNet, Inc."), so a plain
// separator could make two different inventories read the same.
std::string field(const std::string& text) { return std::to_string(text.size()) + ":" + text; }

}  // namespace

std::string inventoryDigest(const std::vector<DigestToken>& tokens,
                            const std::vector<DigestCertificate>& certificates) {
  std::vector<std::string> lines;
  lines.reserve(tokens.size() + certificates.size());
  for (const auto& t : tokens) {
    lines.push_back("T " + field(t.serial) + " " + field(t.manufacturer) + " " +
                    (t.present ? "1" : "0"));
  }
  for (const auto& c : certificates) {
    lines.push_back("C " + field(c.fingerprint) + " " + field(c.token_serial) + " " +
                    (c.present ? "1" : "0"));
  }
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return sha256Hex(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace cks::sync
