#include <signal.h>
#include <sys/stat.h>

#include "platform/service.h"

namespace cks::platform {

void ignoreBrokenPipes() { signal(SIGPIPE, SIG_IGN); }

void createOwnerOnlyFromNowOn() { umask(077); }

void holdStopRequestsForMain() {
  sigset_t termination;
  sigemptyset(&termination);
  sigaddset(&termination, SIGINT);
  sigaddset(&termination, SIGQUIT);
  sigaddset(&termination, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &termination, nullptr);
}

}  // namespace cks::platform
