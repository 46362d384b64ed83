// The hub's thread that keeps the revocation lists current: it fetches the sources that are due
// (RevocationService::fetchDue), then sleeps until the next one is, between a minute and an hour
// (a source added meanwhile, from a certificate an agent reported, waits at most that hour).
// Started by cks-hub's main when [revocation] is configured; stop() ends it promptly.
#pragma once

#include <Poco/Logger.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "hub/province/revocation_service.h"

namespace cks::hub {

class RevocationRefresh {
 public:
  RevocationRefresh(RevocationService& service, const Clock& clock, Poco::Logger& log);
  RevocationRefresh(const RevocationRefresh&) = delete;
  RevocationRefresh& operator=(const RevocationRefresh&) = delete;
  ~RevocationRefresh();

  // Ends the thread, waiting for a fetch in progress (bounded by [revocation] timeout).
  void stop();

 private:
  void run();

  RevocationService& service_;
  const Clock& clock_;
  Poco::Logger& log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cks::hub
