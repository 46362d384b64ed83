// Fuzz target: a pull answer as the agent reads it (sync::decodePullResponse), then every feed
// item's body for its kind as agent/agent_sync_state.cc reads it (sync/protocol/feed_items.h,
// merger_json.h): agency, request_status, merger, report_deadline, settings. An item that reads
// is encoded again to a body that reads the same.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <string>

#include "sync/protocol/codec.h"
#include "sync/protocol/feed_items.h"
#include "sync/protocol/merger_json.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using cks::fuzz::require;

Poco::JSON::Object::Ptr parsed(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// encodeItem(read(body)) reads back to the same encoding.
template <typename Read>
void roundTrip(const Poco::JSON::Object& body, Read read) {
  const auto item = read(body);
  if (!item) return;
  const std::string encoded = cks::sync::encodeItem(*item);
  const auto again = read(*parsed(encoded));
  require(again.has_value(), "an encoded item reads back");
  require(cks::sync::encodeItem(*again) == encoded, "read → encode is stable");
}

std::string stringify(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cks::sync;
  const auto pull = decodePullResponse(cks::fuzz::text(data, size));
  if (!pull) return 0;
  for (const auto& item : pull->items) {
    if (!item.body) continue;
    const Poco::JSON::Object& body = *item.body;
    if (item.kind == "agency") {
      const AgencyItem agency = readAgencyItem(body);
      require(encodeItem(readAgencyItem(*parsed(encodeItem(agency)))) == encodeItem(agency),
              "an agency item reads back");
    } else if (item.kind == "request_status") {
      roundTrip(body, readRequestStatusItem);
    } else if (item.kind == "report_deadline") {
      roundTrip(body, readReportDeadlineItem);
    } else if (item.kind == "settings") {
      const SettingsItem settings = readSettingsItem(body);
      require(readSettingsItem(*parsed(encodeItem(settings))).values == settings.values,
              "a settings item reads back");
    } else if (item.kind == "merger") {
      const auto merger = parseMerger(item.body);
      if (!merger) continue;
      const std::string encoded = stringify(mergerJson(*merger));
      const auto again = parseMerger(parsed(encoded));
      require(again.has_value() && stringify(mergerJson(*again)) == encoded, "a merger reads back");
    }
  }
  return 0;
}
