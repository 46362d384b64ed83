// `cksctl merger plan` and `cksctl merger apply` (docs/requests.md, "Merger batches"): the
// officer's side of a merger. The plan is asked of the agent (it knows the inventory), shown as
// a table and written to a JSON file the officer reviews; apply sends the reviewed file back to
// be filed as one batch, and can print the official forms of the batch.
#pragma once

#include <optional>
#include <string>

#include "agent/agent_config.h"
#include "agent/local_api_client.h"
#include "core/clock.h"
#include "core/messages.h"

namespace cks::agent {

struct MergerOptions {
  std::string into;      // --into CODE (empty: the merger the province published)
  std::string name;      // --name "…"
  std::string from;      // --from CODE[=NAME][,CODE[=NAME]…]
  std::string keep;      // --keep FINGERPRINT
  std::string decision;  // --decision "Nghị quyết số …"
  std::optional<int> unused_days;
  std::string output;  // plan: -o FILE.json (default merger-plan-CODE.json)
  std::string forms;   // apply: --forms DIR (Mẫu 04 and 05 of the batch)
  bool json = false;
  size_t table_width = 0;  // the width tables fit (core/text_table.h); 0 prints them whole
};

// `merger plan`: exit 0 the plan was written, 1 the province published no merger, 2 usage or
// the plan cannot be made (the reasons on stderr), 3 the agent not reachable.
[[nodiscard]] int mergerPlanCommand(const LocalApiClient& client, const MergerOptions& options,
                                    Language language);

// `merger apply PLAN`: exit 0 every request filed, 1 the forms could not be written, 2 usage or
// a refused item (nothing filed; each item's reasons on stderr), 3 the agent not reachable.
[[nodiscard]] int mergerApplyCommand(const LocalApiClient& client, const AgentConfig& config,
                                     const std::string& plan_file, const MergerOptions& options,
                                     Language language, TimePoint now);

}  // namespace cks::agent
