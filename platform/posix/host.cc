#include "platform/host.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace cks::platform {

std::string hostName() {
  char name[256] = {};
  return gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("unknown");
}

std::string executablePath() {
  std::error_code ignored;
  return std::filesystem::read_symlink("/proc/self/exe", ignored).string();
}

bool isExecutable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::optional<std::string> userName() {
  if (const passwd* user = getpwuid(geteuid()); user != nullptr && user->pw_name != nullptr) {
    return std::string(user->pw_name);
  }
  return std::nullopt;
}

std::string userId() { return std::to_string(geteuid()); }

std::tm localTime(std::time_t at) {
  std::tm local{};
  localtime_r(&at, &local);
  return local;
}

FileSharing fileSharing(const std::string& path) {
  FileSharing sharing;
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    sharing.lookup = errno == ENOENT ? FileSharing::Lookup::Missing : FileSharing::Lookup::Denied;
    return sharing;
  }
  sharing.lookup = FileSharing::Lookup::Found;
  sharing.mode = info.st_mode & 0777;
  sharing.group = info.st_gid;
  const struct group* found = getgrgid(info.st_gid);
  sharing.group_name = found != nullptr ? found->gr_name : std::to_string(info.st_gid);
  return sharing;
}

std::optional<unsigned long> groupId(const std::string& name) {
  if (const struct group* found = getgrnam(name.c_str())) return found->gr_gid;
  return std::nullopt;
}

}  // namespace cks::platform
