#include "platform/ip_address.h"

#include <arpa/inet.h>

namespace cks::platform {

std::optional<std::string> parseIpAddress(const std::string& text) {
  unsigned char buffer[16];
  if (inet_pton(AF_INET, text.c_str(), buffer) == 1) {
    return std::string(reinterpret_cast<const char*>(buffer), 4);
  }
  if (inet_pton(AF_INET6, text.c_str(), buffer) == 1) {
    return std::string(reinterpret_cast<const char*>(buffer), 16);
  }
  return std::nullopt;
}

std::string ipAddressText(const std::string& bytes) {
  if (bytes.size() != 4 && bytes.size() != 16) return "";
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(bytes.size() == 4 ? AF_INET : AF_INET6, bytes.data(), text, sizeof text);
  return text;
}

}  // namespace cks::platform
