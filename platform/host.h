// Facts about the computer and the process a program runs in: the host's name, where the
// program is installed, who runs it, the local time zone, and who may read a shared file.
// Platform code: posix/host.cc. Thread-safe.
#pragma once

#include <ctime>
#include <optional>
#include <string>

namespace cks::platform {

// The computer's name ("PC-TUPHAP-01"), or "unknown" when the system does not say.
[[nodiscard]] std::string hostName();

// The full path of the running program, or empty when the system does not say.
[[nodiscard]] std::string executablePath();

// True when `path` is a program this process may run.
[[nodiscard]] bool isExecutable(const std::string& path);

// The name of the user running this process, or nullopt when the user has none.
[[nodiscard]] std::optional<std::string> userName();

// The number of the user running this process ("1000"), for when it has no name.
[[nodiscard]] std::string userId();

// `at` in the computer's own time zone (not the display zone: core/time_format.h).
[[nodiscard]] std::tm localTime(std::time_t at);

// What the system says about who may read a file shared with a group (the local API's secret).
struct FileSharing {
  enum class Lookup { Found, Missing, Denied };
  Lookup lookup = Lookup::Missing;
  unsigned mode = 0;        // permission bits, 0640
  unsigned long group = 0;  // the owning group
  std::string group_name;   // its name, or its number when it has none
};
[[nodiscard]] FileSharing fileSharing(const std::string& path);

// The number of the group called `name`, or nullopt when there is no such group.
[[nodiscard]] std::optional<unsigned long> groupId(const std::string& name);

}  // namespace cks::platform
