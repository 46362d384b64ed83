// Tells the service manager how the agent is doing: systemd's READY=1, STATUS= and WATCHDOG=1
// (posix/), nothing on platforms whose service manager Poco already informs (windows/).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace cks::agent {

class ServiceNotifier {
 public:
  virtual ~ServiceNotifier() = default;
  virtual void ready(const std::string& status) = 0;
  virtual void status(const std::string& status) = 0;
  virtual void watchdog() = 0;
  virtual void stopping() = 0;
  // How often watchdog() must be called, when the service manager asked for it.
  [[nodiscard]] virtual std::optional<std::chrono::milliseconds> watchdogInterval() const = 0;
};

[[nodiscard]] std::unique_ptr<ServiceNotifier> makeServiceNotifier();

}  // namespace cks::agent
