#include "agent/inventory_api.h"

#include <algorithm>

#include "agent/agency_profile.h"
#include "agent/alert_api.h"
#include "agent/hub_api.h"
#include "core/time_format.h"
#include "store/revocations.h"
#include "sync/protocol/inventory_json.h"

namespace cks::agent {
namespace {

using sync::certificateJson;
using sync::stringify;
using sync::tokenJson;

Poco::JSON::Object::Ptr moduleJson(const store::ModuleStatus& m) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("path", m.path);
  o->set("outcome", m.outcome);
  o->set("detail", m.detail);
  o->set("since", formatIsoUtc(m.since));
  o->set("last_checked", formatIsoUtc(m.last_checked));
  return o;
}

}  // namespace

ApiReply InventoryApi::status() {
  auto last_scan = context_.inventory.lastScan();
  if (!last_scan) return storeError(last_scan.error());
  auto modules = context_.inventory.modules();
  if (!modules) return storeError(modules.error());
  auto tokens = context_.inventory.tokens();
  if (!tokens) return storeError(tokens.error());
  auto certs = context_.inventory.certificates();
  if (!certs) return storeError(certs.error());
  const TimePoint now = context_.clock.now();
  const AgentConfig& config = context_.config;
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("agent_version", CKS_VERSION);
  o.set("host", config.host_name);
  o.set("started_at", formatIsoUtc(context_.started_at));
  o.set("now", formatIsoUtc(now));
  o.set("last_scan",
        *last_scan ? Poco::Dynamic::Var(formatIsoUtc(**last_scan)) : Poco::Dynamic::Var());
  o.set("scan_interval_seconds", static_cast<Poco::Int64>(config.scan_interval.count()));
  // Only the modules this configuration scans (the store remembers earlier ones too).
  Poco::JSON::Array module_list;
  for (const auto& module : *modules) {
    if (config.use_p11kit || std::find(config.modules.begin(), config.modules.end(), module.path) !=
                                 config.modules.end()) {
      module_list.add(moduleJson(module));
    }
  }
  o.set("modules", module_list);
  int present = 0, expiring = 0, expired = 0;
  for (const auto& t : *tokens) present += t.present ? 1 : 0;
  for (const auto& c : *certs) {
    const auto s = c.certificate.statusAt(now, config.expiring_days);
    expiring += s == CertificateStatus::Expiring ? 1 : 0;
    expired += s == CertificateStatus::Expired ? 1 : 0;
  }
  Poco::JSON::Object counts(Poco::JSON_PRESERVE_KEY_ORDER);
  counts.set("tokens_known", int(tokens->size()));
  counts.set("tokens_present", present);
  counts.set("certificates", int(certs->size()));
  counts.set("certificates_expiring", expiring);
  counts.set("certificates_expired", expired);
  o.set("counts", counts);
  o.set("expiring_days", config.expiring_days);
  o.set("hub", HubApi(context_).status());
  auto agency = agencyStatus();
  if (!agency) return storeError(agency.error());
  o.set("agency", *agency);
  o.set("alerts", AlertApi(context_).counts());
  o.set("language", config.language == Language::English ? "en" : "vi");
  return {200, stringify(o)};
}

ApiReply InventoryApi::tokens() {
  auto tokens = context_.inventory.tokens();
  if (!tokens) return storeError(tokens.error());
  Poco::JSON::Array list;
  for (const auto& token : *tokens) list.add(tokenJson(token));
  return {200, stringify(list)};
}

ApiReply InventoryApi::certificates(const Poco::URI::QueryParameters& query) {
  int within = -1;
  for (const auto& [name, value] : query) {
    if (name != "expiring") continue;
    try {
      within = std::stoi(value);
    } catch (const std::exception&) {
      within = -2;
    }
    if (within < 0) {
      return apiError(400, "bad_request", "expiring: \"" + value + "\" is not a number of days");
    }
  }
  auto certs = context_.inventory.certificates();
  if (!certs) return storeError(certs.error());
  auto told = store::Revocations(context_.inventory).told();
  if (!told) return storeError(told.error());
  const TimePoint now = context_.clock.now();
  // Revocation is judged on the hub's time, as the alerts are: the PC's clock may be off.
  const TimePoint hub_now = context_.alerts.correctedNow();
  Poco::JSON::Array list;
  for (const auto& cert : *certs) {
    if (within >= 0) {
      // "Expiring within N days": still valid now, and gone within N days.
      const auto& c = cert.certificate;
      if (!c.parsed() || now < c.not_before || now >= c.not_after || c.daysLeft(now) > within) {
        continue;
      }
    }
    auto json = certificateJson(cert, now, context_.config.expiring_days);
    sync::addStandingJson(
        *json, store::Revocations::statusOf(*told, cert.certificate.fingerprint_sha256, hub_now),
        ChainStatus::Unknown);
    list.add(json);
  }
  return {200, stringify(list)};
}

ApiReply InventoryApi::scan() {
  auto summary = context_.scanner.scan(&context_.stopping);
  if (!summary) return apiError(503, "scan", summary.error().message);
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("tokens_present", summary->changes.tokens_present);
  o.set("certificates_present", summary->changes.certificates_present);
  o.set("changes", summary->changes.journal_entries);
  o.set("took_ms", static_cast<Poco::Int64>(summary->took.count()));
  return {200, stringify(o)};
}

Result<Poco::JSON::Object::Ptr> InventoryApi::agencyStatus() {
  store::Outbox state(context_.inventory);
  auto identity = agencyIdentity(context_.config, state);
  if (!identity) return tl::unexpected(identity.error());
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto field : identityFieldNames()) {
    o->set(std::string(field), identityField(*identity, field));
  }
  Poco::JSON::Array::Ptr missing = new Poco::JSON::Array;
  for (const auto& field : missingIdentityFields(*identity)) missing->add(field);
  o->set("missing", missing);
  o->set("signer_title", context_.config.signer_title);
  o->set("signer",
         context_.config.signer.empty() ? context_.config.form_signer : context_.config.signer);
  return o;
}

}  // namespace cks::agent
