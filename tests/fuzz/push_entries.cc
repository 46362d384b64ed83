// Fuzz target: a push request as the hub reads it before it stores anything: the message
// (sync::decodePushRequest), the text of every entry's body as it arrived (hub/
// inventory_change.h, pushEntryBodies: a scanner of its own, which must find the very body the
// parser read, since that text is what the hub stores), then every entry's body for its kind
// (readInventoryChange: tokens, certificates with their DER, snapshots, alerts, requests,
// reports).
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <optional>
#include <sstream>
#include <string>

#include "hub/inventory_change.h"
#include "sync/protocol/codec.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using cks::fuzz::require;

std::string stringify(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cks::SubscriberKindRules rules;
  const std::string_view text = cks::fuzz::text(data, size);
  const auto push = cks::sync::decodePushRequest(text);
  if (!push) return 0;
  const auto bodies = cks::hub::pushEntryBodies(text);
  const bool have_bodies = bodies.size() == push->entries.size();
  for (std::size_t i = 0; i < push->entries.size(); ++i) {
    const auto& entry = push->entries[i];
    const std::string where = "entries[" + std::to_string(i) + "]";
    std::optional<std::string_view> body_text;
    if (have_bodies && entry.body) {
      body_text = bodies[i];
      require(body_text.has_value(), "pushEntryBodies finds every object body the parser read");
      const auto reparsed = Poco::JSON::Parser().parse(std::string(*body_text));
      require(stringify(reparsed.extract<Poco::JSON::Object::Ptr>()) == stringify(entry.body),
              "the body's text found is the body the parser read");
    }
    const auto change = cks::hub::readInventoryChange(entry, where, rules, body_text);
    if (!change) {
      require(change.error().message.find(where) != std::string::npos,
              "a refused entry is named in the error");
      continue;
    }
    require(change->seq == entry.seq && change->kind == entry.kind, "the entry's own fields");
    if (body_text) require(change->body_json == *body_text, "the body is kept as it arrived");
  }
  return 0;
}
