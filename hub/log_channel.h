// Builds cks-hub's log channel from [log]: standard error (collected by systemd) and a
// size-rotated file. Called once by main before any thread starts.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>

#include "hub/hub_config.h"

namespace cks::hub {

[[nodiscard]] Poco::AutoPtr<Poco::Channel> makeLogChannel(const HubConfig& config);

}  // namespace cks::hub
