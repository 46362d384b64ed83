// Fuzz target: a push request as the hub reads it before it stores anything: the message
// (sync::decodePushRequest), then every entry's body for its kind (hub/inventory_change.h,
// readInventoryChange: tokens, certificates with their DER, snapshots, alerts, requests,
// reports). An entry that reads keeps its body's text as it arrived.
#include <optional>
#include <string>

#include "hub/inventory_change.h"
#include "sync/protocol/codec.h"
#include "tests/fuzz/fuzz_target.h"

using cks::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cks::SubscriberKindRules rules;
  const auto push = cks::sync::decodePushRequest(cks::fuzz::text(data, size));
  if (!push) return 0;
  for (std::size_t i = 0; i < push->entries.size(); ++i) {
    const auto& entry = push->entries[i];
    const std::string where = "entries[" + std::to_string(i) + "]";
    const auto change = cks::hub::readInventoryChange(entry, where, rules);
    if (!change) {
      require(change.error().message.find(where) != std::string::npos,
              "a refused entry is named in the error");
      continue;
    }
    require(change->seq == entry.seq && change->kind == entry.kind, "the entry's own fields");
  }
  return 0;
}
