// systemd notifications through libsystemd. Without NOTIFY_SOCKET (not under systemd, or
// Type=simple) every call is a cheap no-op.
#include <systemd/sd-daemon.h>

#include "platform/service.h"

namespace cks::platform {
namespace {

class SystemdNotifier final : public ServiceNotifier {
 public:
  void ready(const std::string& status) override {
    sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str());
  }
  void status(const std::string& status) override { sd_notifyf(0, "STATUS=%s", status.c_str()); }
  void watchdog() override { sd_notify(0, "WATCHDOG=1"); }
  void stopping() override { sd_notify(0, "STOPPING=1"); }
  std::optional<std::chrono::milliseconds> watchdogInterval() const override {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    // Ping at half the deadline, as sd_watchdog_enabled(3) recommends.
    return std::chrono::milliseconds(usec / 2000);
  }
};

}  // namespace

std::unique_ptr<ServiceNotifier> makeServiceNotifier() {
  return std::make_unique<SystemdNotifier>();
}

}  // namespace cks::platform
