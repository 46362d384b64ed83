// An exclusive advisory lock on a file, held as long as the object lives: closing it, or the
// process ending (also by SIGKILL), releases it, so a crash never leaves a lock behind. The one
// lock behind FolderLock (store/folder_lock.h) and the agent's StoreLock. Platform code: posix/
// (flock: an fcntl lock is dropped when the process closes any descriptor of the file, which
// SQLite or a library could do behind our back).
#pragma once

#include <optional>
#include <string>

#include "core/result.h"

namespace cks::store {

class FileLock {
 public:
  enum class Wait { Yes, No };

  // Why the lock was not taken: the file could not be opened (`opened` false) or locked, the
  // system's reason, and when another process holds it (only when not waiting) the pid written
  // in the file, if any.
  struct Failure {
    bool opened = false;
    bool held_elsewhere = false;
    std::optional<long> holder;
    std::string reason;
  };

  // Opens `path` (created with `mode` when missing, never inherited by child processes) and
  // takes its lock, waiting for it or not.
  [[nodiscard]] static tl::expected<FileLock, Failure> take(const std::string& path, unsigned mode,
                                                            Wait wait);

  // The pid written in the lock file at `path` while a process holds it (0 if it has not written
  // it yet), or nullopt when nobody holds it (or the file cannot be read by this user). Takes a
  // shared lock for no longer than the check.
  [[nodiscard]] static std::optional<long> holder(const std::string& path);

  // Writes this process's pid as the file's whole content; the error is the system's reason.
  [[nodiscard]] Status writeOwnPid();

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace cks::store
