#include <Poco/EventLogChannel.h>

#include "agent/log_channels.h"

namespace cks::agent {

// The Windows event log ("Application", source cks-agent): where Windows administrators and
// their monitoring tools look. Built by the Windows toolchain (vcpkg), not on Linux.
Poco::AutoPtr<Poco::Channel> makeSystemLogChannel() {
  return new Poco::EventLogChannel("cks-agent", "Application");
}

}  // namespace cks::agent
