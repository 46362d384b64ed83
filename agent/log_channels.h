// Builds the agent's log channels from [log] with common/log_settings.h: console, the system
// log (syslog / journal on Linux, the event log on Windows; posix/ and windows/) and a
// size-rotated file.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>

#include "agent/agent_config.h"

namespace cks::agent {

[[nodiscard]] Poco::AutoPtr<Poco::Channel> makeLogChannel(const AgentConfig& config);

// The platform's system log channel.
[[nodiscard]] Poco::AutoPtr<Poco::Channel> makeSystemLogChannel();

}  // namespace cks::agent
