// What every province service works on: the store's roles the province uses (never Ingest,
// which is the sync API's), the hub's clock, and the language of the messages its refusals
// carry. The services (hub/province/*_service.h) are the hub's
// application layer: typed arguments in, typed views out, never printing and never parsing a
// command line; the admin commands (hub/admin/) and the console render their views.
// A service is as thread-safe as the store it holds; the admin commands use one at a time.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/messages.h"
#include "core/result.h"
#include "hub/hub_messages.h"
#include "hub/store/hub_store.h"

namespace cks::hub {

struct ProvinceContext {
  Registry& registry;
  ProvinceViews& views;
  RequestDesk& requests;
  ReportArchive& reports;
  const Clock& clock;
  Language language = Language::Vietnamese;

  // A refusal of kind `code` whose message is the hub's `key` in the context's language.
  [[nodiscard]] Error refusal(ErrorCode code, std::string_view key,
                              std::initializer_list<std::string_view> args = {}) const {
    return {hubMessage(language, key, args), code};
  }
};

// The province's roles of `store`.
[[nodiscard]] inline ProvinceContext provinceContext(HubStore& store, const Clock& clock,
                                                     Language language) {
  return {store.registry(),      store.views(), store.requestDesk(),
          store.reportArchive(), clock,         language};
}

// The host of every agent the hub knows, by agent id; empty when the store cannot say (a view
// then shows the agent's id instead).
[[nodiscard]] inline std::map<std::string, std::string> hostsByAgent(Registry& registry) {
  std::map<std::string, std::string> hosts;
  if (auto list = registry.agents()) {
    for (const auto& a : *list) hosts[a.agent_id] = a.host;
  }
  return hosts;
}

}  // namespace cks::hub
