#include "agent/merger_plan.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "sync/protocol/merger_json.h"

namespace cks::agent {

using Poco::JSON::Object;

Result<ReviewedPlan> readReviewedPlan(const std::string& body) {
  const auto refuse = [](const std::string& why) {
    return tl::unexpected(Error{why, ErrorCode::InvalidArgument});
  };
  try {
    const auto o = Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
    if (!o) return refuse("body: expected a merger plan object");
    if (!o->has("plan") || o->getValue<int>("plan") != kMergerPlanVersion) {
      return refuse("plan: expected " + std::to_string(kMergerPlanVersion) +
                    " (a file written by cksctl merger plan)");
    }
    ReviewedPlan plan;
    auto merger = sync::parseMerger(o->getObject("merger"));
    if (!merger) return refuse("merger." + merger.error().message);
    plan.merger = std::move(*merger);
    // The id goes with every request to the hub, which refuses a longer one (and the outbox
    // would stop behind it).
    if (plan.merger.id.size() > 64) return refuse("merger.id: longer than 64 characters");
    const auto items = o->getArray("items");
    if (!items) return refuse("items: expected an array");
    for (size_t i = 0; i < items->size(); ++i) {
      const auto item = items->getObject(unsigned(i));
      const std::string where = "items[" + std::to_string(i) + "]";
      if (!item) return refuse(where + ": expected an object");
      if (!item->optValue<bool>("include", false)) continue;
      if (!item->has("request") || item->isNull("request")) continue;  // keep or review
      const auto request = item->getObject("request");
      if (!request) return refuse(where + ".request: expected an object");
      IncludedPlanItem included{item->optValue<int>("item", int(i + 1)), "", where, request};
      if (const auto certificate = item->getObject("certificate")) {
        if (certificate->has("common_name") && !certificate->isNull("common_name")) {
          included.holder = certificate->getValue<std::string>("common_name");
        }
      }
      plan.included.push_back(std::move(included));
    }
    return plan;
  } catch (const Poco::Exception& e) {
    return refuse("body: " + e.displayText());
  }
}

}  // namespace cks::agent
