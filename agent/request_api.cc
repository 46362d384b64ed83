#include "agent/request_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>

#include "core/prefix_match.h"
#include "core/request_rules.h"
#include "core/time_format.h"
#include "sync/protocol/json_text.h"

namespace cks::agent {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

using sync::stringify;

Poco::Dynamic::Var optional(const std::string& value) {
  return value.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(value);
}

}  // namespace

Object::Ptr requestJson(const store::StoredRequest& stored, bool with_history) {
  const Request& r = stored.request;
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", r.id);
  o->set("kind", std::string(toString(r.kind)));
  o->set("state", std::string(toString(r.state)));
  const auto form = formOf(r);
  o->set("form", form ? Poco::Dynamic::Var(std::string(toString(*form))) : Poco::Dynamic::Var());
  o->set("fingerprint_sha256", optional(r.fingerprint_sha256));
  o->set("token_serial", optional(r.token_serial));
  o->set("created_at", formatIsoUtc(r.created_at));
  o->set("due_date",
         stored.due_date ? Poco::Dynamic::Var(formatDate(*stored.due_date)) : Poco::Dynamic::Var());
  o->set("handled_by", std::string(toString(r.handled_by)));
  // Why it was rejected or cancelled; for a revocation otherwise its reason's wire name.
  std::string reason = r.reason;
  if (reason.empty() && r.revocation_reason) reason = std::string(toString(*r.revocation_reason));
  o->set("reason", optional(reason));
  o->set("subscriber", r.subscriber == SubscriberKind::Unknown
                           ? Poco::Dynamic::Var()
                           : Poco::Dynamic::Var(std::string(toString(r.subscriber))));
  o->set("change_case",
         optional(r.change_case ? std::string(toString(*r.change_case)) : std::string()));
  o->set(
      "revocation_reason",
      optional(r.revocation_reason ? std::string(toString(*r.revocation_reason)) : std::string()));
  Object::Ptr fields = new Object;
  for (const auto& [key, value] : r.fields) fields->set(key, value);
  o->set("fields", fields);
  Array::Ptr supersedes = new Array;
  for (const auto& id : stored.supersedes) supersedes->add(id);
  o->set("supersedes", supersedes);
  o->set("received_at",
         r.received_at ? Poco::Dynamic::Var(formatIsoUtc(*r.received_at)) : Poco::Dynamic::Var());
  o->set("reference", optional(stored.reference));
  o->set("updated_at", formatIsoUtc(stored.updated_at));
  if (with_history) {
    Array::Ptr history = new Array;
    for (const auto& step : stored.history) {
      Object::Ptr s = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      s->set("state", std::string(toString(step.state)));
      s->set("at", formatIsoUtc(step.at));
      s->set("by", step.by);
      s->set("reason", optional(step.reason));
      history->add(s);
    }
    o->set("history", history);
  }
  return o;
}

ApiReply apiError(int status, const std::string& code, const std::string& message) {
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("error", code);
  o.set("message", message);
  return {status, stringify(o)};
}

ApiReply storeError(const Error& error) {
  return apiError(httpStatus(error.code), "store", error.message);
}

ApiReply apiRefused(const std::vector<Refusal>& refusals, Language language) {
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("error", "refused");
  std::string joined;
  Array::Ptr reasons = new Array;
  for (const auto& refusal : refusals) {
    const std::string text = refusal.text(language);
    joined += (joined.empty() ? "" : "\n") + text;
    Object::Ptr reason = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    reason->set("key", refusal.key);
    reason->set("message", text);
    reasons->add(reason);
  }
  o.set("message", joined);
  o.set("reasons", reasons);
  return {422, stringify(o)};
}

namespace {

std::string text(const Object::Ptr& o, const std::string& key) {
  return o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : std::string();
}

}  // namespace

Result<PreparedRequest> RequestApi::prepare(const Object::Ptr& o,
                                            const std::vector<InventoryCertificate>& certificates,
                                            const std::vector<InventoryToken>& tokens,
                                            TimePoint now) {
  PreparedRequest prepared;
  Request& request = prepared.request;
  RequestFacts facts;
  if (!parseRequestKind(text(o, "kind"), request.kind)) {
    return fail("kind: \"", text(o, "kind"),
                "\": expected new_certificate, renewal, change_of_information, revocation or "
                "device_recovery");
  }
  const std::string cert = text(o, "cert");
  request.token_serial = text(o, "token");
  facts.token_unusable = o->optValue<bool>("token_unusable", false);
  if (ChangeCase change_case{}; parseChangeCase(text(o, "case"), change_case)) {
    request.change_case = change_case;
  }
  if (RevocationReason reason{}; parseRevocationReason(text(o, "reason"), reason)) {
    request.revocation_reason = reason;
  }
  (void)parseSubscriberKind(text(o, "subscriber"), request.subscriber);
  if (o->has("set") && !o->isNull("set")) {
    const auto fields = o->getObject("set");
    if (!fields) return fail("set: expected an object {FIELD: VALUE}");
    for (const auto& [key, value] : *fields) request.fields[key] = value.toString();
  }

  // The certificate by fingerprint (hex or openssl's colon form, any case), or by a unique
  // prefix of at least 8 hex digits. Only this agent's inventory counts: another agency's
  // certificate is unknown here.
  if (!cert.empty() && request.kind != RequestKind::NewCertificate &&
      request.kind != RequestKind::DeviceRecovery) {
    std::vector<std::string> fingerprints;
    for (const auto& c : certificates) fingerprints.push_back(c.certificate.fingerprint_sha256);
    const PrefixMatch match = matchFingerprint(cert, fingerprints);
    if (match.outcome == PrefixMatch::Outcome::Malformed) {
      prepared.refusals.push_back({"requests.cert_malformed", {{cert}}});
      return prepared;
    }
    if (match.outcome == PrefixMatch::Outcome::Ambiguous) {
      // Each candidate by the fingerprint that tells it apart and its holder.
      std::string candidates;
      for (const auto& fingerprint : match.candidates) {
        std::string holder;
        for (const auto& c : certificates) {
          if (c.certificate.fingerprint_sha256 == fingerprint) holder = c.certificate.common_name;
        }
        candidates += "\n  " + fingerprint + (holder.empty() ? "" : " (" + holder + ")");
      }
      prepared.refusals.push_back({"requests.cert_ambiguous", {{cert}, {candidates}}});
      return prepared;
    }
    request.fingerprint_sha256 = normalizeFingerprint(cert).value_or(cert);
    for (const auto& c : certificates) {
      if (match.outcome == PrefixMatch::Outcome::Found &&
          c.certificate.fingerprint_sha256 == match.found) {
        facts.certificate = c.certificate;
        request.fingerprint_sha256 = match.found;
        request.token_serial = c.token_serial;
        request.subscriber = c.certificate.kind;
      }
    }
    if (facts.certificate && request.kind == RequestKind::Renewal) {
      auto done = requests_.completedRenewals(request.fingerprint_sha256);
      if (!done) return tl::unexpected(done.error());
      facts.renewals_done = *done;
    }
  }
  if (request.kind == RequestKind::DeviceRecovery && !request.token_serial.empty()) {
    for (const auto& t : tokens) {
      if (t.token.serial == request.token_serial) facts.token = t.token;
    }
  }
  prepared.refusals = validateRequest(request, facts, config_.requests, now);
  // Every token the agent reads is a USB token (PKCS#11 on this PC).
  request.handled_by = route(request.kind, true, config_.delegations, now);
  return prepared;
}

ApiReply RequestApi::file(const std::string& body, Language language, TimePoint now) {
  auto certificates = inventory_.certificates();
  if (!certificates) return storeError(certificates.error());
  auto tokens = inventory_.tokens();
  if (!tokens) return storeError(tokens.error());
  Result<PreparedRequest> prepared = fail("body: empty");
  try {
    const auto o = Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
    prepared = prepare(o, *certificates, *tokens, now);
  } catch (const Poco::Exception& e) {
    return apiError(400, "bad_request", "body: " + e.displayText());
  }
  if (!prepared) return apiError(400, "bad_request", prepared.error().message);
  if (!prepared->refusals.empty()) return apiRefused(prepared->refusals, language);
  auto filing = requests_.file(std::move(prepared->request), now);
  if (!filing) return storeError(filing.error());
  if (filing->refusal) return apiRefused({*filing->refusal}, language);
  auto o = requestJson(filing->filed, false);
  Array::Ptr cancelled = new Array;
  for (const auto& id : filing->cancelled) cancelled->add(id);
  o->set("cancelled", cancelled);
  return {201, stringify(o)};
}

ApiReply RequestApi::list() {
  auto requests = requests_.list();
  if (!requests) return storeError(requests.error());
  Array list;
  for (const auto& stored : *requests) list.add(requestJson(stored, false));
  return {200, stringify(list)};
}

Result<std::string> RequestApi::resolve(const std::string& typed, ApiReply& refusal) {
  auto requests = requests_.list();
  if (!requests) {
    refusal = storeError(requests.error());
    return tl::unexpected(requests.error());
  }
  std::vector<std::string> ids;
  for (const auto& stored : *requests) ids.push_back(stored.request.id);
  const PrefixMatch match = matchRequestId(typed, ids);
  if (match.outcome == PrefixMatch::Outcome::Found) return match.found;
  if (match.outcome == PrefixMatch::Outcome::Ambiguous) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("error", "ambiguous");
    std::string joined;
    Array::Ptr candidates = new Array;
    for (const auto& id : match.candidates) {
      candidates->add(id);
      joined += (joined.empty() ? "" : ", ") + id;
    }
    o.set("message", "\"" + typed + "\" matches several requests: " + joined);
    o.set("candidates", candidates);
    refusal = {400, stringify(o)};
  } else {
    refusal = apiError(404, "not_found", "no request " + typed + " (see GET /v1/requests)");
  }
  return fail("request ", typed, ": not one request");
}

ApiReply RequestApi::show(const std::string& typed) {
  ApiReply refusal;
  const auto id = resolve(typed, refusal);
  if (!id) return refusal;
  auto found = requests_.find(*id);
  if (!found) return storeError(found.error());
  if (!*found) {
    return apiError(404, "not_found", "no request " + typed + " (see GET /v1/requests)");
  }
  return {200, stringify(requestJson(**found, true))};
}

ApiReply RequestApi::cancel(const std::string& typed, const std::string& body, Language language,
                            TimePoint now) {
  std::string reason;
  if (!body.empty()) {
    try {
      reason = text(Poco::JSON::Parser().parse(body).extract<Object::Ptr>(), "reason");
    } catch (const Poco::Exception& e) {
      return apiError(400, "bad_request", "body: " + e.displayText());
    }
  }
  ApiReply refusal;
  const auto id = resolve(typed, refusal);
  if (!id) return refusal;
  auto cancelled = requests_.cancel(*id, reason, now);
  if (!cancelled) return storeError(cancelled.error());
  if (!*cancelled) return apiError(404, "not_found", "no request " + typed);
  if ((*cancelled)->refusal) {
    auto reply = apiRefused({*(*cancelled)->refusal}, language);
    reply.status = 409;
    return reply;
  }
  return {200, stringify(requestJson((*cancelled)->request, false))};
}

}  // namespace cks::agent
