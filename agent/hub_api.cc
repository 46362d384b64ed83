#include "agent/hub_api.h"

#include <Poco/JSON/Parser.h>

#include "core/time_format.h"
#include "sync/protocol/inventory_json.h"

namespace cks::agent {
namespace {

using sync::stringify;

Poco::JSON::Object::Ptr syncResultJson(const SyncResult& result) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("outcome", result.outcome);
  o->set("message", result.message);
  o->set("pushed", result.pushed);
  o->set("remaining", result.remaining);
  if (!result.hub_error.empty()) o->set("hub_error", result.hub_error);
  o->set("clock_offset_seconds", result.clock_offset_seconds
                                     ? Poco::Dynamic::Var(*result.clock_offset_seconds)
                                     : Poco::Dynamic::Var());
  return o;
}

}  // namespace

ApiReply HubApi::sync() { return {200, stringify(syncResultJson(context_.hub.syncNow()))}; }

ApiReply HubApi::enroll(const std::string& body) {
  std::string hub_url, code, hub_ca;
  bool force = false;
  try {
    Poco::JSON::Parser parser;
    const auto o = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    hub_url = o->optValue<std::string>("hub", "");
    code = o->optValue<std::string>("code", "");
    hub_ca = o->optValue<std::string>("hub_ca", "");
    force = o->optValue<bool>("force", false);
  } catch (const Poco::Exception& e) {
    return apiError(400, "bad_request", "body: " + e.displayText());
  }
  if (hub_url.rfind("https://", 0) != 0 || code.empty() || hub_ca.empty()) {
    return apiError(400, "bad_request", "need \"hub\" (https://…), \"code\" and \"hub_ca\" (PEM)");
  }
  auto enrolled = context_.hub.enroll(hub_url, code, hub_ca, force);
  if (!enrolled) {
    const auto& result = enrolled.error();
    const int status = result.outcome == "unreachable" ? 502
                       : result.outcome == "refused"   ? 403
                                                       : 409;
    // cksctl words the reason in the officer's language; the message is the technical detail.
    Poco::JSON::Object error(Poco::JSON_PRESERVE_KEY_ORDER);
    error.set("error", result.outcome);
    error.set("reason", result.reason);
    error.set("message", result.message);
    if (!result.enrolled_hub.empty()) error.set("hub", result.enrolled_hub);
    if (!result.folder.empty()) error.set("folder", result.folder);
    return {status, stringify(error)};
  }
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("hub", enrolled->hub_url);
  o.set("agent_id", enrolled->agent_id);
  o.set("agency_code", enrolled->agency_code);
  o.set("agency_name", enrolled->agency_name);
  return {200, stringify(o)};
}

Poco::JSON::Object::Ptr HubApi::status() {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const auto enrollment = context_.hub.enrollment();
  o->set("enrolled", enrollment.has_value());
  if (enrollment) {
    o->set("url", enrollment->hub_url);
    o->set("agent_id", enrollment->agent_id);
    o->set("agency_code", enrollment->agency_code);
    o->set("agency_name", enrollment->agency_name);
    const auto expiry = context_.hub.certificateExpiry();
    o->set("certificate_expires",
           expiry ? Poco::Dynamic::Var(formatIsoUtc(*expiry)) : Poco::Dynamic::Var());
  }
  const auto backlog = context_.hub.backlog();
  o->set("backlog", backlog ? *backlog : -1);
  const auto offset = context_.hub.clockOffsetSeconds();
  o->set("clock_offset_seconds", offset ? Poco::Dynamic::Var(*offset) : Poco::Dynamic::Var());
  const auto last = context_.hub.lastResult();
  o->set("last_sync", last ? Poco::Dynamic::Var(syncResultJson(*last)) : Poco::Dynamic::Var());
  // The hub refuses this PC (revoked): every sync fails until it enrols again (--force).
  if (const auto refusal = context_.hub.refusal()) {
    Poco::JSON::Object::Ptr refused = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    refused->set("since", formatIsoUtc(refusal->since));
    refused->set("message", refusal->message);
    o->set("refused", refused);
  } else {
    o->set("refused", Poco::Dynamic::Var());
  }
  return o;
}

}  // namespace cks::agent
