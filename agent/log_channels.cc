#include "agent/log_channels.h"

namespace cks::agent {

Poco::AutoPtr<Poco::Channel> makeLogChannel(const AgentConfig& config) {
  return common::makeLogChannel(
      config.log, config.log.syslog ? makeSystemLogChannel() : Poco::AutoPtr<Poco::Channel>());
}

}  // namespace cks::agent
