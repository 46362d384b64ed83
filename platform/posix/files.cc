#include "platform/files.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace cks::platform {
namespace {

std::string errnoText() { return std::strerror(errno); }

// A full disk is Unavailable (space may come back: asking again can succeed), the rest Internal.
ErrorCode writeError() {
  return errno == ENOSPC || errno == EDQUOT ? ErrorCode::Unavailable : ErrorCode::Internal;
}

mode_t modeOf(FileAccess access) { return access == FileAccess::OwnerOnly ? 0600 : 0644; }

// Writes every byte and flushes them to disk; `name` is the file the error names.
Status writeAll(int fd, const std::string& bytes, const std::string& name) {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(writeError(), "write ", name, ": ", errnoText());
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail(writeError(), "fsync ", name, ": ", errnoText());
  return ok();
}

}  // namespace

Status replaceFile(const std::string& path, const std::string& bytes, FileAccess access) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string temporary = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    return fail(writeError(), path, ": cannot create a temporary file in ", folder.string(), ": ",
                errnoText());
  }
  Status status = ok();
  if (::fchmod(fd, modeOf(access)) != 0)
    status = fail(path, ": chmod ", temporary, ": ", errnoText());
  if (status) {
    if (auto written = writeAll(fd, bytes, temporary); !written) {
      status = tl::unexpected(written.error().wrap(path));
    }
  }
  if (::close(fd) != 0 && status) {
    status = fail(writeError(), path, ": close ", temporary, ": ", errnoText());
  }
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

// Opens with O_EXCL and mode 0600: the file is never readable by others, not even between
// creation and a later chmod (the umask can only take permissions away).
Status createOwnerOnlyFile(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    // An existing file is a Conflict: a second enrolment racing this one holds it.
    return fail(errno == EEXIST ? ErrorCode::Conflict : writeError(), "create ", path, ": ",
                errnoText());
  }
  Status status = writeAll(fd, bytes, path);
  if (::close(fd) != 0 && status) status = fail(writeError(), "close ", path, ": ", errnoText());
  if (!status) ::unlink(path.c_str());
  return status;
}

Status ensureOwnerOnlyFolder(const std::string& folder) {
  std::error_code error;
  if (std::filesystem::is_directory(folder, error)) return ok();
  const auto parent = std::filesystem::path(folder).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    return fail("create directory ", folder, ": ", errnoText());
  }
  return ok();
}

Status restrictToOwner(const std::string& path) {
  std::error_code error;
  const mode_t mode = std::filesystem::is_directory(path, error) ? 0700 : 0600;
  if (::chmod(path.c_str(), mode) != 0) return fail("chmod ", path, ": ", errnoText());
  return ok();
}

Result<std::string> createScratchFile(const std::string& folder, const std::string& prefix) {
  std::string path = folder + "/" + prefix + "XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return fail(errnoText());
  ::close(fd);
  return path;
}

}  // namespace cks::platform
