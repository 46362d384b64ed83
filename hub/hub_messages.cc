#include "hub/hub_messages.h"

namespace cks::hub {

namespace {
constexpr std::string_view kPrefix = "hub.";
}  // namespace

std::string hubMessage(Language language, std::string_view key,
                       std::initializer_list<std::string_view> args) {
  return message(language, std::string(kPrefix) + std::string(key), args);
}

std::vector<std::string_view> hubMessageKeys() {
  std::vector<std::string_view> keys;
  for (const auto key : messageKeys()) {
    if (key.substr(0, kPrefix.size()) == kPrefix) keys.push_back(key.substr(kPrefix.size()));
  }
  return keys;
}

}  // namespace cks::hub
