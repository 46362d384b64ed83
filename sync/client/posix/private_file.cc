#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "sync/client/internal/private_file.h"

namespace cks::sync::internal {
namespace {

std::string why() { return std::strerror(errno); }

Status writeAll(int fd, const std::string& path, const std::string& content) {
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("write ", path, ": ", why());
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync ", path, ": ", why());
  return ok();
}

// Opens with O_EXCL and mode 0600: the file is never readable by others, not even between
// creation and a later chmod (the umask can only take permissions away).
Status create(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    // An existing file is a Conflict: a second enrolment racing this one holds it.
    const ErrorCode code = errno == EEXIST ? ErrorCode::Conflict : ErrorCode::Internal;
    return fail(code, "create ", path, ": ", why());
  }
  Status status = writeAll(fd, path, content);
  if (::close(fd) != 0 && status) status = fail("close ", path, ": ", why());
  if (!status) ::unlink(path.c_str());
  return status;
}

}  // namespace

Status createPrivateFile(const std::string& path, const std::string& content) {
  return create(path, content);
}

Status replacePrivateFile(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".new";
  ::unlink(temporary.c_str());  // left over from a crash
  if (auto status = create(temporary, content); !status) return status;
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = why();
    ::unlink(temporary.c_str());
    return fail("rename ", temporary, " to ", path, ": ", reason);
  }
  return ok();
}

Status ensurePrivateDirectory(const std::string& directory) {
  std::error_code error;
  if (std::filesystem::is_directory(directory, error)) return ok();
  const auto parent = std::filesystem::path(directory).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    return fail("create directory ", directory, ": ", why());
  }
  return ok();
}

}  // namespace cks::sync::internal
