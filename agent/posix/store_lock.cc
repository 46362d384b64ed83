#include "agent/store_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace cks::agent {
namespace {

// The pid written in the lock file, or nullopt.
std::optional<pid_t> pidIn(int fd) {
  char buffer[32] = {};
  const ssize_t n = pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return std::nullopt;
  char* end = nullptr;
  const long pid = std::strtol(buffer, &end, 10);
  if (pid <= 0 || end == buffer) return std::nullopt;
  return static_cast<pid_t>(pid);
}

}  // namespace

std::string storeLockPath(const std::string& store_path) { return store_path + ".lock"; }

Result<StoreLock> StoreLock::acquire(const std::string& store_path) {
  const std::string path = storeLockPath(store_path);
  // A first start on a fresh PC: the store's folder may not exist yet.
  const auto folder = std::filesystem::path(path).parent_path();
  std::error_code ignored;
  if (!folder.empty() && std::filesystem::create_directories(folder, ignored)) {
    std::filesystem::permissions(folder, std::filesystem::perms(0750), ignored);
  }
  // O_CLOEXEC: the probes the agent starts must not inherit (and so prolong) the lock.
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return fail("store ", store_path, ": lock file ", path, ": ", std::strerror(errno));
  }
  // flock, not fcntl: an fcntl lock is dropped when the process closes any descriptor of the
  // file, which SQLite or a library could do behind our back.
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int why = errno;
    const auto holder = pidIn(fd);
    close(fd);
    if (why == EWOULDBLOCK) {
      return fail("store ", store_path, " is in use by another cks-agent",
                  holder ? " (pid " + std::to_string(*holder) + ")" : std::string(),
                  "; only one agent may run on a store (lock ", path, ")");
    }
    return fail("store ", store_path, ": lock ", path, ": ", std::strerror(why));
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) != ssize_t(pid.size())) {
    const int why = errno;
    close(fd);
    return fail("store ", store_path, ": write lock file ", path, ": ", std::strerror(why));
  }
  return StoreLock(fd);
}

StoreLock::~StoreLock() {
  if (fd_ >= 0) close(fd_);  // releases the lock; the file stays (its pid is then stale)
}

std::optional<long> storeLockHolder(const std::string& store_path) {
  const int fd = open(storeLockPath(store_path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<long> holder;
  if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
    // Held: the pid, or 0 in the instant before the holder writes it.
    if (errno == EWOULDBLOCK) holder = pidIn(fd).value_or(0);
  } else {
    flock(fd, LOCK_UN);
  }
  close(fd);
  return holder;
}

}  // namespace cks::agent
