// A long-running service (cks-agent, cks-hub) and its service manager: the stop requests it
// waits for, and what it tells the manager about how it is doing (systemd's READY=1, STATUS=
// and WATCHDOG=1 in linux/systemd_notifier.cc; nothing when built without libsystemd, or on
// platforms whose service manager Poco already informs). main() owns the notifier; its calls
// may come from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace cks::platform {

// Makes the stop requests (POSIX: SIGINT, SIGQUIT, SIGTERM) wait for Poco's
// ServerApplication::waitForTerminationRequest(). Call before any thread starts, so that every
// thread inherits it: otherwise a SIGTERM delivered to another thread kills the process without
// a clean stop.
void holdStopRequestsForMain();

// Makes a write to a socket or pipe whose reader has gone an error of that write (EPIPE) instead
// of the end of the process (POSIX's SIGPIPE). Call at the start of main().
void ignoreBrokenPipes();

// From now on, the files and folders this process creates are its owner's only (POSIX: umask
// 077), whatever mode the code that creates them asks for: the stores and their journals, the
// log and its rotated files. A mode set explicitly afterwards (the API secret's group) stays as
// set. Call at the start of a service's main: started by hand rather than by systemd (UMask=),
// it inherits the shell's umask, and 022 made every store and log readable by every user.
void createOwnerOnlyFromNowOn();

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

}  // namespace cks::platform
