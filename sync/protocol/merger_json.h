// The JSON shape of a merger (docs/requests.md, "Merger batches"): what the province publishes
// to the affected agents in the pull feed (item kind `merger`) and what heads an agent's merger
// plan file. {"id", "into": {"code", "name"}, "from": [{"code", "name"}], "keep", "decision"}.
#pragma once

#include <Poco/JSON/Object.h>

#include "core/merger.h"
#include "core/result.h"

namespace cks::sync {

[[nodiscard]] Poco::JSON::Object::Ptr mergerJson(const Merger& merger);
// The error names the field at fault ("from[1].code: expected a string").
[[nodiscard]] Result<Merger> parseMerger(const Poco::JSON::Object::Ptr& object);

}  // namespace cks::sync
