// One cks-agent per store: an exclusive advisory lock on a file beside the store ("agent.db" →
// "agent.db.lock"), held for the process lifetime, with the holder's pid written in it so that a
// second agent (and cksctl doctor) can say which process holds the store. The lock goes with the
// process, also when it is killed, so a crash never leaves the store locked (store/file_lock.h);
// not thread-safe, main() owns the one StoreLock.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "core/result.h"
#include "store/file_lock.h"

namespace cks::agent {

// The lock file of the store at `store_path`.
[[nodiscard]] std::string storeLockPath(const std::string& store_path);

class StoreLock {
 public:
  // Takes the lock of `store_path` without waiting. The error, one line, names the store and,
  // when another process holds it, that process ("in use by cks-agent pid 1234").
  [[nodiscard]] static Result<StoreLock> acquire(const std::string& store_path);

 private:
  explicit StoreLock(store::FileLock lock) : lock_(std::move(lock)) {}
  store::FileLock lock_;
};

// The pid of the process holding the lock of `store_path` (0 if it has not written it yet), or
// nullopt when nobody holds it (or the lock file cannot be read by this user). Never takes the lock
// for longer than the check.
[[nodiscard]] std::optional<long> storeLockHolder(const std::string& store_path);

}  // namespace cks::agent
