#include "store/atomic_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cks::store {
namespace {

std::string errnoText() { return std::strerror(errno); }

}  // namespace

Status replaceFile(const std::string& path, const std::string& bytes, unsigned mode) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string temporary = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0)
    return fail(path, ": cannot create a temporary file in ", folder.string(), ": ", errnoText());
  size_t written = 0;
  Status status = ok();
  if (::fchmod(fd, mode_t(mode)) != 0)
    status = fail(path, ": chmod ", temporary, ": ", errnoText());
  while (status && written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = fail(path, ": write ", temporary, ": ", errnoText());
      break;
    }
    written += static_cast<size_t>(n);
  }
  if (status && ::fsync(fd) != 0) status = fail(path, ": fsync ", temporary, ": ", errnoText());
  if (::close(fd) != 0 && status) status = fail(path, ": close ", temporary, ": ", errnoText());
  if (status && ::rename(temporary.c_str(), path.c_str()) != 0) {
    status = fail(path, ": rename ", temporary, " to it", ": ", errnoText());
  }
  if (!status) {
    ::unlink(temporary.c_str());
    return status;
  }
  if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);  // best effort: the file is already complete under its name
    ::close(dir);
  }
  return ok();
}

}  // namespace cks::store
