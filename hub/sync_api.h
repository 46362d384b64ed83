// The endpoints of sync protocol v1 (docs/sync-protocol.md) without the transport: given who is
// calling (from the TLS client certificate), a method, a path and the decoded body, it answers
// a status and a JSON body that always carries hub_time. sync_server.h puts it behind HTTPS.
// Thread-safe: its only state beyond the store (which serialises writes) is each agent's
// volume of the day.
#pragma once

#include <Poco/Logger.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/subscriber_kind.h"
#include "hub/agent_volume.h"
#include "hub/hub_config.h"
#include "hub/hub_pki.h"
#include "hub/request_change.h"
#include "hub/store/ingest.h"
#include "hub/store/province_views.h"
#include "hub/store/registry.h"

namespace cks::hub {

struct SyncAnswer {
  int status = 200;
  std::string body;  // JSON
};

class SyncApi {
 public:
  // Keeps references: the store's roles it uses (agents and enrolment codes, pushes and feeds,
  // an agent's own view for the digest), the PKI, the clock and the log outlive the SyncApi.
  // `requests` routes and dates the requests agents file ([requests] in hub.ini); `province` is
  // what an enrolment tells the agent of its agency's identity ([province] in hub.ini);
  // `agent_daily_volume` the bytes of pushes accepted from one agent in a day ([server]).
  SyncApi(Registry& registry, Ingest& ingest, ProvinceViews& views, const HubPki& pki,
          const Clock& clock, Poco::Logger& log, RequestSettings requests = {},
          ProvinceIdentity province = {},
          std::size_t agent_daily_volume = HubConfig{}.agent_daily_volume);

  [[nodiscard]] SyncAnswer handle(const ClientIdentity& caller, const std::string& method,
                                  const std::string& path, const std::string& body);

  // A refusal in the protocol's shape ({"error", "message", "hub_time"}), for the transport's
  // own refusals too (413, undecodable gzip).
  [[nodiscard]] SyncAnswer refuse(int status, const std::string& error, const std::string& message,
                                  std::optional<std::int64_t> acked = std::nullopt) const;

 private:
  SyncAnswer enroll(const ClientIdentity& caller, const std::string& body);
  SyncAnswer push(const AgentRecord& agent, const std::string& body);
  SyncAnswer renew(const AgentRecord& agent, const std::string& body);
  SyncAnswer pull(const AgentRecord& agent, const std::string& body);
  SyncAnswer digest(const AgentRecord& agent, const std::string& body);
  SyncAnswer internal(const std::string& what, const Error& error) const;

  Registry& registry_;
  Ingest& ingest_;
  ProvinceViews& views_;
  const HubPki& pki_;
  const Clock& clock_;
  Poco::Logger& log_;
  // The hub classifies certificates with the default rules, as an agent does out of the box.
  const SubscriberKindRules rules_;
  const RequestSettings requests_;
  const WorkingDayCalendar calendar_;
  const ProvinceIdentity province_;
  AgentVolume volume_;
};

}  // namespace cks::hub
