// What the local API's endpoints work on: the agent's configuration, store, scanner, hub link
// and alert monitor, owned by AgentService and outliving the API.
#pragma once

#include <atomic>
#include <string>

#include "agent/agent_config.h"
#include "agent/alert_monitor.h"
#include "agent/hub_sync.h"
#include "agent/scanner.h"
#include "core/clock.h"
#include "store/inventory.h"

namespace cks::agent {

struct LocalApiContext {
  const AgentConfig& config;
  store::Inventory& inventory;
  Scanner& scanner;
  HubSync& hub;
  AlertMonitor& alerts;
  const Clock& clock;
  std::string secret;
  TimePoint started_at{};
  const std::atomic<bool>& stopping;
};

}  // namespace cks::agent
