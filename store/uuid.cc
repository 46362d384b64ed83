#include "store/uuid.h"

#include <openssl/rand.h>

#include "core/result.h"

namespace cks::store {

std::string newUuidV4() {
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

}  // namespace cks::store
