#include "sync/protocol/inventory_json.h"

#include <sstream>

#include "core/time_format.h"

namespace cks::sync {

Poco::JSON::Object::Ptr certificateJson(const InventoryCertificate& ic, TimePoint now,
                                        int expiring_days) {
  const Certificate& c = ic.certificate;
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("fingerprint_sha256", c.fingerprint_sha256);
  o->set("subject", c.subject);
  o->set("issuer", c.issuer);
  o->set("common_name", c.common_name);
  o->set("organization", c.organization);
  Poco::JSON::Array units;
  for (const auto& unit : c.organizational_units) units.add(unit);
  o->set("organizational_units", units);
  o->set("email", c.email);
  o->set("serial", c.serial);
  if (c.parsed()) {
    o->set("not_before", formatIsoUtc(c.not_before));
    o->set("not_after", formatIsoUtc(c.not_after));
    o->set("days_left", c.daysLeft(now));
  } else {
    o->set("not_before", Poco::Dynamic::Var());
    o->set("not_after", Poco::Dynamic::Var());
    o->set("days_left", Poco::Dynamic::Var());
    o->set("parse_error", c.parse_error);
  }
  o->set("kind", std::string(toString(c.kind)));
  o->set("status", std::string(toString(c.statusAt(now, expiring_days))));
  o->set("token_serial", ic.token_serial);
  Poco::JSON::Array::Ptr holders = new Poco::JSON::Array;
  for (const auto& serial : ic.token_serials) holders->add(serial);
  o->set("token_serials", holders);  // every token holding it; token_serial: the last seen on
  o->set("token_label", ic.token_label);
  o->set("present", ic.present);
  o->set("first_seen", formatIsoUtc(ic.first_seen));
  o->set("last_seen", formatIsoUtc(ic.last_seen));
  return o;
}

void addStandingJson(Poco::JSON::Object& cert, const RevocationStatus& revocation,
                     ChainStatus chain) {
  const auto time = [](const std::optional<TimePoint>& at) {
    return at ? Poco::Dynamic::Var(formatIsoUtc(*at)) : Poco::Dynamic::Var();
  };
  Poco::JSON::Object::Ptr r = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  r->set("status", std::string(toString(revocation.state)));
  r->set("as_of", time(revocation.as_of));
  r->set("revoked_at", time(revocation.revoked_at));
  r->set("reason", revocation.reason ? Poco::Dynamic::Var(std::string(toString(*revocation.reason)))
                                     : Poco::Dynamic::Var());
  cert.set("revocation", r);
  Poco::JSON::Object::Ptr c = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  c->set("status", std::string(toString(chain)));
  cert.set("chain", c);
}

RevocationStatus readRevocationJson(const Poco::JSON::Object::Ptr& revocation) {
  RevocationStatus status;
  if (!revocation) return status;
  const auto text = [&](const std::string& key) {
    return revocation->has(key) && !revocation->isNull(key) ? revocation->getValue<std::string>(key)
                                                            : std::string();
  };
  if (!parseRevocationState(text("status"), status.state)) return {};
  status.as_of = parseIsoUtc(text("as_of"));
  status.revoked_at = parseIsoUtc(text("revoked_at"));
  if (CrlReason reason{}; parseCrlReason(text("reason"), reason)) status.reason = reason;
  return status;
}

Poco::JSON::Object::Ptr tokenJson(const InventoryToken& t) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("serial", t.token.serial);
  o->set("label", t.token.label);
  o->set("manufacturer", t.token.manufacturer);
  o->set("model", t.token.model);
  o->set("module", t.module);
  o->set("pin_state", std::string(toString(t.token.pin_state)));
  o->set("present", t.present);
  o->set("first_seen", formatIsoUtc(t.first_seen));
  o->set("last_seen", formatIsoUtc(t.last_seen));
  o->set("last_host", t.last_host);
  o->set("cert_count", t.cert_count);
  return o;
}

}  // namespace cks::sync
