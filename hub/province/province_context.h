// What every province service works on: the store's roles the province uses (never Ingest,
// which is the sync API's), the hub's clock, the language of the messages its refusals
// carry, and who acts (the audit trail names them: hub/province/staff_service.h). The services
// (hub/province/*_service.h) are the hub's application layer: typed arguments in, typed views out,
// never printing and never parsing a command line; the admin commands (hub/admin/) and the console
// render their views. A service is as thread-safe as the store it holds; the admin commands use one
// at a time.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  MergerRegister& mergers;
  StaffRoster& staff;
  AuditTrail& audit;
  const Clock& clock;
  Language language = Language::Vietnamese;
  // Who acts: the console's staff account, or "cli:<unix user>" for the admin CLI.
  std::string actor;

  // A refusal of kind `code` whose message is the hub's `key` in the context's language.
  [[nodiscard]] Error refusal(ErrorCode code, std::string_view key,
                              std::initializer_list<std::string_view> args = {}) const {
    return {hubMessage(language, key, args), code};
  }
};

// The province's roles of `store`, used by `actor`.
[[nodiscard]] inline ProvinceContext provinceContext(HubStore& store, const Clock& clock,
                                                     Language language, std::string actor = {}) {
  return {.registry = store.registry(),
          .views = store.views(),
          .requests = store.requestDesk(),
          .reports = store.reportArchive(),
          .mergers = store.mergers(),
          .staff = store.staff(),
          .audit = store.audit(),
          .clock = clock,
          .language = language,
          .actor = std::move(actor)};
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

// The host of each agent of `lines` (items with an agent_id, e.g. one page of a list), by agent
// id; empty when the store cannot say. A page asks for its own agents only: a province has tens
// of thousands.
template <typename Line>
[[nodiscard]] std::map<std::string, std::string> hostsOf(Registry& registry,
                                                         const std::vector<Line>& lines) {
  std::vector<std::string> ids;
  for (const auto& line : lines) ids.push_back(line.agent_id);
  auto hosts = registry.hosts(ids);
  return hosts ? std::move(*hosts) : std::map<std::string, std::string>{};
}

}  // namespace cks::hub
