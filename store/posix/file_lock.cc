#include "store/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace cks::store {
namespace {

// The pid written in the lock file, or nullopt.
std::optional<long> pidIn(int fd) {
  char buffer[32] = {};
  const ssize_t n = pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return std::nullopt;
  char* end = nullptr;
  const long pid = std::strtol(buffer, &end, 10);
  if (pid <= 0 || end == buffer) return std::nullopt;
  return pid;
}

}  // namespace

tl::expected<FileLock, FileLock::Failure> FileLock::take(const std::string& path, unsigned mode,
                                                         Wait wait) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, mode_t(mode));
  if (fd < 0) return tl::unexpected(Failure{false, false, std::nullopt, std::strerror(errno)});
  const int operation = wait == Wait::Yes ? LOCK_EX : LOCK_EX | LOCK_NB;
  while (::flock(fd, operation) != 0) {
    if (errno == EINTR && wait == Wait::Yes) continue;
    const int why = errno;
    Failure failure{true, why == EWOULDBLOCK, std::nullopt, std::strerror(why)};
    if (failure.held_elsewhere) failure.holder = pidIn(fd);
    ::close(fd);
    return tl::unexpected(std::move(failure));
  }
  // The mode asked for, whatever the umask (a service creates its other files owner-only):
  // the group that may run `cksctl doctor` reads who holds the lock.
  (void)::fchmod(fd, mode_t(mode));
  return FileLock(fd);
}

std::optional<long> FileLock::holder(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<long> holder;
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
    // Held: the pid, or 0 in the instant before the holder writes it.
    if (errno == EWOULDBLOCK) holder = pidIn(fd).value_or(0);
  } else {
    ::flock(fd, LOCK_UN);
  }
  ::close(fd);
  return holder;
}

Status FileLock::writeOwnPid() {
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd_, 0) != 0 || pwrite(fd_, pid.data(), pid.size(), 0) != ssize_t(pid.size())) {
    return fail(std::strerror(errno));
  }
  return ok();
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace cks::store
