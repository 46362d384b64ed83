#include "store/folder_lock.h"

#include <filesystem>

namespace cks::store {

Result<FolderLock> FolderLock::acquire(const std::string& folder) {
  const std::string path = (std::filesystem::path(folder) / ".cks.lock").string();
  auto lock = FileLock::take(path, 0600, FileLock::Wait::Yes);
  if (!lock) return fail(path, lock.error().opened ? ": lock: " : ": ", lock.error().reason);
  return FolderLock(std::move(*lock));
}

}  // namespace cks::store
