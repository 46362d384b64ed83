// `cksctl doctor`: what stands between this PC and a working agent, each finding with how to fix
// it. Runs as the person typing it and works without the agent: it reads the configuration, the
// PKCS#11 modules (through cks-p11probe, never logging in), the store and the files directly
// where this user may, and asks the agent through the local API when it is up (its status, and
// one sync to see the hub and its clock). Prints in the configured language (or --lang).
#pragma once

#include <optional>
#include <string>

#include "core/messages.h"

namespace cks::agent {

struct DoctorOptions {
  std::string config_path;
  std::optional<Language> language;  // --lang, else the configuration's
  bool json = false;                 // the findings as a JSON array
};

// Exit 0 when nothing is wrong, 1 when something is (a check that could not be made as this
// user is said, but is not a problem by itself).
[[nodiscard]] int doctorCommand(const DoctorOptions& options);

}  // namespace cks::agent
