// The notifier of a build without a service manager to tell (CKS_WITH_SYSTEMD=OFF): every
// call does nothing, and no watchdog is asked for.
#include "platform/service.h"

namespace cks::platform {
namespace {

class NoServiceNotifier final : public ServiceNotifier {
 public:
  void ready(const std::string&) override {}
  void status(const std::string&) override {}
  void watchdog() override {}
  void stopping() override {}
  std::optional<std::chrono::milliseconds> watchdogInterval() const override {
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<ServiceNotifier> makeServiceNotifier() {
  return std::make_unique<NoServiceNotifier>();
}

}  // namespace cks::platform
