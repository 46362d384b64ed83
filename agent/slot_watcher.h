// Fast detection of inserted and removed tokens: for each module, a long-running
// `cks-p11probe --watch` child blocks in C_WaitForSlotEvent and prints a line per event; the
// watcher thread turns each line into a scan request. Modules without slot events fall back to
// the periodic scan. Owns one thread per module; stop() ends them within a second.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Logger.h>

namespace cks::agent {

class SlotWatcher {
 public:
  SlotWatcher(std::string probe_path, Poco::Logger& logger, std::function<void()> on_event)
      : probe_path_(std::move(probe_path)), logger_(logger), on_event_(std::move(on_event)) {}
  ~SlotWatcher() { stop(); }

  void watch(const std::string& module);
  void stop();

 private:
  void run(const std::string& module);

  std::string probe_path_;
  Poco::Logger& logger_;
  std::function<void()> on_event_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace cks::agent
