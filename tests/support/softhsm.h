// Real SoftHSM2 tokens for tests: a private configuration and token directory per test
// (SOFTHSM2_CONF is set for this process and the agents and probes it starts). Tokens can be
// "unplugged" and "plugged in" again by moving their directory out of the token directory,
// which keeps their serial, as a USB token keeps its serial between PCs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cks::test {

class SoftHsm {
 public:
  static constexpr const char* kModule = "/usr/lib/softhsm/libsofthsm2.so";
  static constexpr const char* kUserPin = "1234";

  // Sets up under `dir` and points SOFTHSM2_CONF at it.
  explicit SoftHsm(const std::filesystem::path& dir);

  // Initialises a new token; returns its serial number.
  std::string createToken(const std::string& label);
  // Writes `der` (any bytes) as a certificate object on the token.
  void writeCertificate(const std::string& token_label, const std::vector<std::uint8_t>& der,
                        const std::string& object_label, const std::string& id_hex);
  void deleteCertificate(const std::string& token_label, const std::string& object_label);
  void unplug(const std::string& token_label);
  void plugIn(const std::string& token_label);

 private:
  std::filesystem::path dir_;
  std::filesystem::path tokens_;
  std::filesystem::path unplugged_;
  std::map<std::string, std::string> token_dirs_;  // label -> directory name
};

}  // namespace cks::test
