// The local API's inventory endpoints (docs/local-api.md): the agent's status, the tokens, the
// certificates, and a scan now. Answers are JSON bodies with their HTTP status; state lives in
// the store, so any thread may call.
#pragma once

#include <Poco/URI.h>

#include "agent/local_api_context.h"
#include "agent/request_api.h"

namespace cks::agent {

class InventoryApi {
 public:
  explicit InventoryApi(const LocalApiContext& context) : context_(context) {}

  // GET /v1/status: version, host, last scan, modules, counts, hub, agency, alerts, language.
  [[nodiscard]] ApiReply status();
  // GET /v1/tokens: every token ever seen.
  [[nodiscard]] ApiReply tokens();
  // GET /v1/certificates[?expiring=N]: every certificate, or those still valid and gone within
  // N days; 400 when N is not a number of days.
  [[nodiscard]] ApiReply certificates(const Poco::URI::QueryParameters& query);
  // POST /v1/scan: scans now; 503 when the scan fails.
  [[nodiscard]] ApiReply scan();

 private:
  // Who the agency is on its documents (agent/agency_profile.h): every field, empty when
  // unknown, `missing` naming those, and the signer from [agency].
  [[nodiscard]] Result<Poco::JSON::Object::Ptr> agencyStatus();

  const LocalApiContext& context_;
};

}  // namespace cks::agent
