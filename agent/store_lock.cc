#include "agent/store_lock.h"

#include <filesystem>

namespace cks::agent {

std::string storeLockPath(const std::string& store_path) { return store_path + ".lock"; }

Result<StoreLock> StoreLock::acquire(const std::string& store_path) {
  const std::string path = storeLockPath(store_path);
  // A first start on a fresh PC: the store's folder may not exist yet.
  const auto folder = std::filesystem::path(path).parent_path();
  std::error_code ignored;
  if (!folder.empty() && std::filesystem::create_directories(folder, ignored)) {
    std::filesystem::permissions(folder, std::filesystem::perms(0750), ignored);
  }
  // Not waiting: a second agent says who holds the store and stops.
  auto lock = store::FileLock::take(path, 0640, store::FileLock::Wait::No);
  if (!lock) {
    const auto& failure = lock.error();
    if (!failure.opened)
      return fail("store ", store_path, ": lock file ", path, ": ", failure.reason);
    if (failure.held_elsewhere) {
      return fail("store ", store_path, " is in use by another cks-agent",
                  failure.holder ? " (pid " + std::to_string(*failure.holder) + ")" : std::string(),
                  "; only one agent may run on a store (lock ", path, ")");
    }
    return fail("store ", store_path, ": lock ", path, ": ", failure.reason);
  }
  if (auto written = lock->writeOwnPid(); !written) {
    return fail("store ", store_path, ": write lock file ", path, ": ", written.error().message);
  }
  return StoreLock(std::move(*lock));
}

std::optional<long> storeLockHolder(const std::string& store_path) {
  return store::FileLock::holder(storeLockPath(store_path));
}

}  // namespace cks::agent
