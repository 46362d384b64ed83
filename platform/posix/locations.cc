#include "platform/locations.h"

namespace cks::platform {

// The Filesystem Hierarchy Standard's places, which the Debian package and the systemd units
// (service-install/) create.
std::string configFolder() { return "/etc/cks"; }

std::string stateFolder(const std::string& service) { return "/var/lib/" + service; }

}  // namespace cks::platform
