#include "sync/protocol/field_limits.h"

#include <array>
#include <utility>

namespace cks::sync {
namespace {

// Names and identifiers: a PKCS#11 token's label, manufacturer and serial are at most 32
// bytes, a PC's name at most 63 characters, a UUID 36.
constexpr std::size_t kName = 256;

constexpr std::array<std::pair<std::string_view, std::size_t>, 16> kLimits = {{
    {"agent_version", kName},
    {"code", kName},
    {"csr", 16 * 1024},  // a PEM request for one key
    {"der", 64 * 1024},  // base64 of a certificate of up to 48 KiB (real ones: 1–3 KiB)
    {"fingerprint_sha256", kName},
    {"host", kName},
    {"kind", kName},
    {"label", kName},
    {"manufacturer", kName},
    {"model", kName},
    {"module", kName},
    {"name", kName},
    {"serial", kName},
    {"token_manufacturer", kName},
    {"token_serial", kName},
    {"uuid", kName},
}};

}  // namespace

std::size_t maxFieldBytes(std::string_view key) {
  for (const auto& [field, bytes] : kLimits) {
    if (field == key) return bytes;
  }
  return kMaxTextBytes;
}

}  // namespace cks::sync
