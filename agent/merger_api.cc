#include "agent/merger_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "core/labels.h"
#include "core/time_format.h"
#include "store/outbox.h"
#include "store/requests.h"
#include "sync/protocol/json_text.h"
#include "sync/protocol/merger_json.h"

namespace cks::agent {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

using sync::stringify;

Object::Ptr certificateSummary(const InventoryCertificate& c) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("fingerprint_sha256", c.certificate.fingerprint_sha256);
  o->set("common_name", c.certificate.common_name);
  o->set("subject", c.certificate.subject);
  o->set("subscriber", std::string(toString(c.certificate.kind)));
  o->set("token_serial", c.token_serial);
  o->set("not_after", formatIsoUtc(c.certificate.not_after));
  o->set("last_seen", formatIsoUtc(c.last_seen));
  return o;
}

// The request of an item in the shape of POST /v1/requests, so apply checks it the same way.
Object::Ptr requestBody(const Request& request) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("kind", std::string(toString(request.kind)));
  o->set("cert", request.fingerprint_sha256);
  if (request.change_case) o->set("case", std::string(toString(*request.change_case)));
  if (request.revocation_reason) {
    o->set("reason", std::string(toString(*request.revocation_reason)));
  }
  Object::Ptr set = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [key, value] : request.fields) set->set(key, value);
  o->set("set", set);
  return o;
}

Array::Ptr refusalsJson(const std::vector<Refusal>& refusals, Language language) {
  Array::Ptr out = new Array;
  for (const Refusal& refusal : refusals) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("key", refusal.key);
    o->set("message", refusal.text(language));
    out->add(o);
  }
  return out;
}

std::string text(const Object::Ptr& o, const std::string& key) {
  return o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : std::string();
}

}  // namespace

std::string mergerPlanJson(const MergerPlan& plan, Language language) {
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("plan", kMergerPlanVersion);
  o.set("made_at", formatIsoUtc(plan.made_at));
  o.set("merger", sync::mergerJson(plan.merger));
  o.set("unused_days", plan.policy.unused_days);
  o.set("surviving_unit", plan.surviving_unit.empty() ? Poco::Dynamic::Var()
                                                      : Poco::Dynamic::Var(plan.surviving_unit));
  int counts[4] = {};
  Array::Ptr items = new Array;
  for (size_t i = 0; i < plan.items.size(); ++i) {
    const MergerItem& item = plan.items[i];
    ++counts[static_cast<int>(item.action)];
    Object::Ptr entry = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    entry->set("item", int(i + 1));
    entry->set("include", item.include);
    entry->set("action", std::string(toString(item.action)));
    entry->set("why", std::string(toString(item.why)));
    entry->set("why_text", label(item.why, language));
    entry->set("unit", item.unit);
    entry->set("certificate", certificateSummary(item.certificate));
    entry->set("request", item.request ? Poco::Dynamic::Var(requestBody(*item.request))
                                       : Poco::Dynamic::Var());
    items->add(entry);
  }
  Object::Ptr summary = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  summary->set("keep", counts[static_cast<int>(MergerAction::Keep)]);
  summary->set("change", counts[static_cast<int>(MergerAction::Change)]);
  summary->set("revoke", counts[static_cast<int>(MergerAction::Revoke)]);
  summary->set("review", counts[static_cast<int>(MergerAction::Review)]);
  o.set("summary", summary);
  o.set("items", items);
  o.set("warnings", refusalsJson(plan.warnings, language));
  Array::Ptr unmatched = new Array;
  for (const auto& c : plan.unmatched) unmatched->add(certificateSummary(c));
  o.set("unmatched", unmatched);
  Array::Ptr expired = new Array;
  for (const auto& c : plan.expired) expired->add(certificateSummary(c));
  o.set("expired", expired);
  return stringify(o);
}

ApiReply MergerApi::plan(const std::string& body, Language language, TimePoint now) {
  store::Outbox state(inventory_);
  auto published_text = state.state(kPublishedMergerKey);
  if (!published_text) return storeError(published_text.error());
  std::optional<Merger> published;
  if (*published_text) {
    // Written by this agent from a feed item it had parsed: readable unless the store is damaged.
    try {
      auto parsed =
          sync::parseMerger(Poco::JSON::Parser().parse(**published_text).extract<Object::Ptr>());
      if (parsed) published = *parsed;
    } catch (const Poco::Exception&) {
    }
  }

  Merger merger;
  MergerPolicy policy;
  try {
    const auto o = Poco::JSON::Parser().parse(body.empty() ? "{}" : body).extract<Object::Ptr>();
    if (!o) return apiError(400, "bad_request", "body: expected a JSON object");
    if (o->optValue<bool>("published", false) || !o->has("into")) {
      if (!published) {
        return apiError(404, "no_published_merger", message(language, "merger.published_none"));
      }
      merger = *published;
    } else {
      auto parsed = sync::parseMerger(o);
      if (!parsed) return apiError(400, "bad_request", parsed.error().message);
      merger = *parsed;
    }
    if (o->has("keep") && !o->isNull("keep")) merger.keep = text(o, "keep");
    if (o->has("unused_days")) policy.unused_days = o->getValue<int>("unused_days");
  } catch (const Poco::Exception& e) {
    return apiError(400, "bad_request", "body: " + e.displayText());
  }
  if (policy.unused_days < 1) {
    return apiError(400, "bad_request", "unused_days: expected a number of days of at least 1");
  }

  // Names the officer left out: this agency's own (from the province), then a published
  // merger's.
  auto own_code = state.state("agency_code");
  auto own_name = state.state("agency_name");
  if (!own_code || !own_name) return apiError(503, "store", "cannot read the agency's name");
  for (MergerUnit& unit : merger.from) {
    if (!unit.name.empty()) continue;
    if (*own_code && **own_code == unit.code && *own_name) unit.name = **own_name;
    if (published) {
      for (const MergerUnit& known : published->from) {
        if (unit.name.empty() && known.code == unit.code) unit.name = known.name;
      }
    }
  }

  auto certificates = inventory_.certificates();
  if (!certificates) return storeError(certificates.error());
  const auto planning = planMerger(merger, *certificates, policy, now);
  if (!planning.refusals.empty()) return apiRefused(planning.refusals, language);
  return {200, mergerPlanJson(planning.plan, language)};
}

ApiReply MergerApi::apply(const std::string& body, Language language, TimePoint now) {
  auto certificates = inventory_.certificates();
  if (!certificates) return storeError(certificates.error());
  auto tokens = inventory_.tokens();
  if (!tokens) return storeError(tokens.error());

  Merger merger;
  std::vector<Request> batch;
  struct Source {
    int item;
    std::string holder;
  };
  std::vector<Source> sources;
  Array::Ptr refused_items = new Array;
  std::string joined;
  const auto refuse = [&](int item, const std::string& holder,
                          const std::vector<Refusal>& refusals) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("item", item);
    o->set("holder", holder);
    o->set("reasons", refusalsJson(refusals, language));
    refused_items->add(o);
    for (const Refusal& refusal : refusals) {
      joined += (joined.empty() ? "" : "\n") +
                message(language, "merger.apply_item", {std::to_string(item), holder}) + ": " +
                refusal.text(language);
    }
  };
  auto plan = readReviewedPlan(body);
  if (!plan) return apiError(400, "bad_request", plan.error().message);
  merger = plan->merger;
  try {
    for (const IncludedPlanItem& item : plan->included) {
      auto prepared = requests_.prepare(item.request, *certificates, *tokens, now);
      if (!prepared) {
        return apiError(400, "bad_request", item.where + ".request." + prepared.error().message);
      }
      if (!prepared->refusals.empty()) {
        refuse(item.number, item.holder, prepared->refusals);
        continue;
      }
      batch.push_back(std::move(prepared->request));
      sources.push_back({item.number, item.holder});
    }
  } catch (const Poco::Exception& e) {
    return apiError(400, "bad_request", "body: " + e.displayText());
  }

  std::vector<store::Filing> filed;
  if (refused_items->size() == 0) {
    if (batch.empty()) {
      return apiError(422, "empty", message(language, "merger.nothing_to_apply"));
    }
    store::Requests requests(inventory_);
    auto filing = requests.fileBatch(std::move(batch), now, merger.id);
    if (!filing) return storeError(filing.error());
    for (const auto& [index, refusal] : filing->refusals) {
      refuse(sources[index].item, sources[index].holder, {refusal});
    }
    filed = std::move(filing->filed);
  }
  if (refused_items->size() > 0) {
    Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("error", "refused");
    o.set("message", message(language, "merger.apply_refused") + "\n" + joined);
    o.set("items", refused_items);
    return {422, stringify(o)};
  }

  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("merger", sync::mergerJson(merger));
  Array::Ptr list = new Array;
  Array::Ptr cancelled = new Array;
  for (const auto& filing : filed) {
    list->add(requestJson(filing.filed, false));
    for (const auto& id : filing.cancelled) cancelled->add(id);
  }
  o.set("filed", list);
  o.set("cancelled", cancelled);
  return {201, stringify(o)};
}

ApiReply MergerApi::published() {
  store::Outbox state(inventory_);
  auto published = state.state(kPublishedMergerKey);
  if (!published) return storeError(published.error());
  if (!*published) {
    return apiError(404, "not_found", "the province has not published a merger for this agency");
  }
  return {200, **published};
}

}  // namespace cks::agent
