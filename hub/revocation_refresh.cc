#include "hub/revocation_refresh.h"

#include <algorithm>
#include <chrono>

namespace cks::hub {

RevocationRefresh::RevocationRefresh(RevocationService& service, const Clock& clock,
                                     Poco::Logger& log)
    : service_(service), clock_(clock), log_(log), thread_([this] { run(); }) {}

RevocationRefresh::~RevocationRefresh() { stop(); }

void RevocationRefresh::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RevocationRefresh::run() {
  using std::chrono::hours;
  using std::chrono::minutes;
  for (;;) {
    // A store that fails now may work at the next round; the thread never ends on an error.
    if (auto fetched = service_.fetchDue(); !fetched) {
      log_.error("revocation: " + fetched.error().message);
    }
    std::chrono::seconds wait = hours(1);
    if (auto next = service_.nextDue(); next && *next) {
      wait = std::clamp<std::chrono::seconds>(**next - clock_.now(), minutes(1), hours(1));
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, wait, [this] { return stopping_; })) return;
  }
}

}  // namespace cks::hub
