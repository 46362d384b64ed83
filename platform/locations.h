// Where cks's programs keep their files when the configuration does not say: the system's
// folders for configuration and for a service's state. Platform code: posix/locations.cc (the
// Windows agent's counterpart will answer under %ProgramData%). Thread-safe.
#pragma once

#include <string>

namespace cks::platform {

// The folder of cks's configuration files ("/etc/cks").
[[nodiscard]] std::string configFolder();

// The folder a service called `service` keeps its state in ("cks" → "/var/lib/cks").
[[nodiscard]] std::string stateFolder(const std::string& service);

}  // namespace cks::platform
