// A stop request shared between the tray's UI thread and its worker threads: waits that end
// early when a stop is requested. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace cks::tray {

class StopSignal {
 public:
  void requestStop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
  }
  [[nodiscard]] bool stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
  }
  // Waits up to `duration`; true when it passed, false when a stop was requested.
  bool waitFor(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return !changed_.wait_for(lock, duration, [this] { return stopping_; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
};

}  // namespace cks::tray
