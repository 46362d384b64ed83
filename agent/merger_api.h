// The local API's merger endpoints (docs/requests.md, "Merger batches"): the plan a merger of
// units makes of the agency's inventory (core/merger.h), for a person to review, and the
// reviewed plan filed as one batch of requests, all or none. The province may publish a merger
// through the pull feed; the agent keeps the latest and plans from it when asked.
#pragma once

#include <string>

#include "agent/agent_config.h"
#include "agent/merger_plan.h"
#include "agent/request_api.h"
#include "core/clock.h"
#include "core/merger.h"
#include "core/messages.h"
#include "store/inventory.h"

namespace cks::agent {

// The sync state key under which the latest merger the province published is kept (its JSON).
inline constexpr const char* kPublishedMergerKey = "merger.published";

class MergerApi {
 public:
  MergerApi(const AgentConfig& config, store::Inventory& inventory)
      : config_(config), inventory_(inventory), requests_(config, inventory) {}

  // POST /v1/mergers/plan: `body` is {"into": {"code", "name"}, "from": [{"code", "name"}],
  // "keep", "decision", "unused_days"}; a unit's name may be left out when the agent knows it
  // (its own agency, the units of a published merger). {"published": true} (or no "into")
  // plans the merger the province published. 200 with the plan (docs/requests.md); 422 with
  // the reasons when no plan can be made; 404 when asked for a published merger and there is
  // none.
  [[nodiscard]] ApiReply plan(const std::string& body, Language language, TimePoint now);

  // POST /v1/mergers/apply: `body` is a plan as `plan` answered it, after review: every item
  // with "include": true and a "request" is checked like POST /v1/requests and all are filed in
  // one transaction. 201 {"merger", "filed": [requests], "cancelled": [ids]}; 422 {"error":
  // "refused", "message", "items": [{"item", "holder", "reasons"}]} and nothing filed when any
  // item is refused; 400 for a body that is not a plan.
  [[nodiscard]] ApiReply apply(const std::string& body, Language language, TimePoint now);

  // GET /v1/mergers/published: the latest merger the province published, 404 when none.
  [[nodiscard]] ApiReply published();

 private:
  const AgentConfig& config_;
  store::Inventory& inventory_;
  RequestApi requests_;
};

// The plan as JSON (docs/requests.md, "The plan file"); sentences in `language`.
[[nodiscard]] std::string mergerPlanJson(const MergerPlan& plan, Language language);

}  // namespace cks::agent
