// Fuzz target: the plan file of `cksctl merger apply`, as the agent reads the reviewed plan
// before it looks at its store (agent/merger_plan.h, readReviewedPlan). A plan that reads names
// its merger within the hub's bounds, and every included item carries its request.
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <string>

#include "agent/merger_plan.h"
#include "sync/protocol/merger_json.h"
#include "tests/fuzz/fuzz_target.h"

using cks::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto plan = cks::agent::readReviewedPlan(std::string(cks::fuzz::text(data, size)));
  if (!plan) {
    require(!plan.error().message.empty(), "a refused plan says why");
    return 0;
  }
  require(plan->merger.id.size() <= 64, "the merger's id within the hub's bound");
  for (const auto& item : plan->included) {
    require(!item.request.isNull(), "an included item carries its request");
  }
  // The merger reads back as the plan file writes it.
  std::ostringstream written;
  cks::sync::mergerJson(plan->merger)->stringify(written);
  const auto again = cks::sync::parseMerger(
      Poco::JSON::Parser().parse(written.str()).extract<Poco::JSON::Object::Ptr>());
  require(again.has_value(), "a merger written by mergerJson reads back");
  return 0;
}
