#include "hub/enroll_code.h"

#include <array>
#include <cstdint>
#include <span>

#include "core/certificate.h"
#include "core/crypto.h"
#include "core/result.h"

namespace cks::hub {
namespace {

// 32 symbols, 5 bits each: digits 2-9 and the letters without I and O.
constexpr char kAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

}  // namespace

std::string newEnrollCode() {
  std::array<std::uint8_t, 10> bytes{};  // 80 bits = 16 symbols of 5 bits
  randomBytes(bytes);
  std::string code;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      if (!code.empty() && code.size() % 5 == 4) code.push_back('-');
      code.push_back(kAlphabet[(buffer >> bits) & 31]);
    }
  }
  return code;
}

std::string enrollCodeHash(std::string_view code) {
  std::string normal;
  for (char c : code) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    normal.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return sha256Hex(std::span(reinterpret_cast<const std::uint8_t*>(normal.data()), normal.size()));
}

std::string newUuid() { return newUuidV4(); }

}  // namespace cks::hub
