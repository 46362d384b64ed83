// An exclusive lock on a folder, so that two processes that start at once (the hub and its
// `admin` command, two agents) never both create the same key, CA, secret or store: the one
// that waits finds what the other made. Advisory (flock on FOLDER/.cks.lock); released when the
// object is destroyed or the process ends, also by SIGKILL.
#pragma once

#include <string>
#include <utility>

#include "core/result.h"
#include "store/file_lock.h"

namespace cks::store {

class FolderLock {
 public:
  // Waits for and takes the lock of `folder` (which must exist). The error names the lock file.
  [[nodiscard]] static Result<FolderLock> acquire(const std::string& folder);

 private:
  explicit FolderLock(FileLock lock) : lock_(std::move(lock)) {}
  FileLock lock_;
};

}  // namespace cks::store
