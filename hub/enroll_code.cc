#include "hub/enroll_code.h"

#include <openssl/rand.h>

#include <cstdint>
#include <span>

#include "core/certificate.h"
#include "core/result.h"

namespace cks::hub {
namespace {

// 32 symbols, 5 bits each: digits 2-9 and the letters without I and O.
constexpr char kAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

}  // namespace

std::string newEnrollCode() {
  unsigned char bytes[10];  // 80 bits = 16 symbols of 5 bits
  CKS_CHECK(RAND_bytes(bytes, sizeof bytes) == 1);
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

std::string newUuid() {
  unsigned char bytes[16];
  CKS_CHECK(RAND_bytes(bytes, sizeof bytes) == 1);
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

}  // namespace cks::hub
