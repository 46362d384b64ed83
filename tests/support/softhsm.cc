#include "tests/support/softhsm.h"

#include <cstdlib>
#include <set>
#include <sstream>
#include <stdexcept>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cks::test {
namespace fs = std::filesystem;

namespace {

std::set<std::string> listDir(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename());
  return names;
}

void check(const CommandResult& result, const std::string& what) {
  if (result.exit_code != 0) {
    throw std::runtime_error(what + " failed: " + result.out + result.err);
  }
}

}  // namespace

SoftHsm::SoftHsm(const fs::path& dir)
    : dir_(dir), tokens_(dir / "tokens"), unplugged_(dir / "unplugged") {
  fs::create_directories(tokens_);
  fs::create_directories(unplugged_);
  const std::string conf = (dir / "softhsm2.conf").string();
  writeFile(conf, "directories.tokendir = " + tokens_.string() +
                      "\nobjectstore.backend = file\nlog.level = ERROR\n");
  setenv("SOFTHSM2_CONF", conf.c_str(), 1);
}

std::string SoftHsm::createToken(const std::string& label) {
  const auto before = listDir(tokens_);
  check(runCommand({"softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin",
                    "12345678", "--pin", kUserPin}),
        "softhsm2-util --init-token " + label);
  for (const auto& name : listDir(tokens_)) {
    if (!before.count(name)) token_dirs_[label] = name;
  }
  // The serial is what every later scan keys on: read it the way an admin would.
  const auto slots = runCommand({"softhsm2-util", "--show-slots"});
  std::istringstream lines(slots.out);
  std::string serial;
  for (std::string line; std::getline(lines, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const auto first = line.find_first_not_of(' ', colon + 1);
    const auto last = line.find_last_not_of(' ');
    const std::string value =
        first == std::string::npos ? "" : line.substr(first, last - first + 1);
    if (line.find("Serial number:") != std::string::npos) serial = value;
    if (line.find("Label:") != std::string::npos && value == label) return serial;
  }
  throw std::runtime_error("token " + label + " not listed by softhsm2-util");
}

void SoftHsm::writeCertificate(const std::string& token_label, const std::vector<std::uint8_t>& der,
                               const std::string& object_label, const std::string& id_hex) {
  const std::string file = (dir_ / ("cert-" + object_label + ".der")).string();
  writeFile(file, std::string(der.begin(), der.end()));
  check(runCommand({buildPath("bin/cks-test-write-cert"), kModule, token_label, kUserPin,
                    object_label, id_hex, file}),
        "writing certificate " + object_label);
}

void SoftHsm::deleteCertificate(const std::string& token_label, const std::string& object_label) {
  check(
      runCommand({"pkcs11-tool", "--module", kModule, "--token-label", token_label, "--login",
                  "--pin", kUserPin, "--delete-object", "--type", "cert", "--label", object_label}),
      "deleting certificate " + object_label);
}

void SoftHsm::unplug(const std::string& token_label) {
  const auto& name = token_dirs_.at(token_label);
  fs::rename(tokens_ / name, unplugged_ / name);
}

void SoftHsm::plugIn(const std::string& token_label) {
  const auto& name = token_dirs_.at(token_label);
  fs::rename(unplugged_ / name, tokens_ / name);
}

}  // namespace cks::test
