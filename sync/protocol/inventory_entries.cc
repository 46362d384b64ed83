#include "sync/protocol/inventory_entries.h"

#include <Poco/JSON/Array.h>

#include <array>

#include "core/text.h"
#include "core/time_format.h"
#include "core/token.h"
#include "sync/protocol/internal/body_reader.h"
#include "sync/protocol/json_text.h"

namespace cks::sync {
namespace {

using Poco::JSON::Object;

using internal::BodyReader;

// {"serial", "manufacturer", "label", "model", "pin_state"}: the optional ones when known.
Object::Ptr tokenObject(const ChangeToken& token, int options) {
  Object::Ptr object = new Object(options);
  object->set("serial", token.serial);
  object->set("manufacturer", token.manufacturer);
  if (token.label) object->set("label", *token.label);
  if (token.model) object->set("model", *token.model);
  if (token.pin_state) object->set("pin_state", *token.pin_state);
  return object;
}

ChangeToken readToken(BodyReader& reader) {
  ChangeToken token;
  token.serial = reader.requiredString("serial");
  token.manufacturer = reader.requiredString("manufacturer");
  if (!reader.failed() && token.serial.empty()) reader.problem("serial", "must not be empty");
  token.label = reader.string("label", false);
  token.model = reader.string("model", false);
  token.pin_state = reader.string("pin_state", false);
  // A newer agent may know PIN states this hub does not: keep the entry, record "unknown".
  if (PinState state; token.pin_state && !parsePinState(*token.pin_state, state)) {
    token.pin_state = "unknown";
  }
  return token;
}

// {"fingerprint_sha256", "der"}: the hub fingerprints and parses the DER itself.
ChangeCertificate readCertificate(BodyReader& reader, bool der_required,
                                  const SubscriberKindRules& rules) {
  ChangeCertificate cert;
  cert.fingerprint = reader.requiredString("fingerprint_sha256");
  const auto der = reader.string("der", der_required);
  if (reader.failed()) return cert;
  if (der) {
    // "" is a certificate object with no bytes on the token: recorded as unparseable like any
    // other bytes that are no certificate, so that it fails only itself, not the agent's pushes.
    if (!decodeBase64(*der, cert.der)) {
      reader.problem("der", "expected base64 DER");
      return cert;
    }
    cert.parsed = parseCertificateDer(cert.der, rules);
    if (cert.parsed->fingerprint_sha256 != cert.fingerprint) {
      reader.problem("fingerprint_sha256", "does not match the SHA-256 of der");
    }
  } else if (cert.fingerprint.size() != 64 ||
             cert.fingerprint.find_first_not_of("0123456789abcdef") != std::string::npos) {
    reader.problem("fingerprint_sha256", "expected 64 lowercase hex digits");
  }
  return cert;
}

Object::Ptr bodyOf(const Object::Ptr& body) { return body ? body : Object::Ptr(new Object); }

}  // namespace

std::string encodeBody(const TokenChange& change) {
  Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("token", tokenObject(change.token, Poco::JSON_PRESERVE_KEY_ORDER));
  return stringify(body);
}

std::string encodeBody(const CertificateChange& change) {
  Object body;
  body.set("token", tokenObject(change.token, 0));
  Object::Ptr certificate = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  certificate->set("fingerprint_sha256", change.certificate.fingerprint);
  certificate->set("der", base64(change.certificate.der));
  body.set("certificate", certificate);
  if (!change.previous_fingerprint.empty()) {
    body.set("previous_fingerprint", change.previous_fingerprint);
  }
  return stringify(body);
}

std::string encodeBody(const Snapshot& snapshot) {
  Poco::JSON::Array tokens;
  for (const auto& t : snapshot.tokens) {
    auto token = tokenObject(t.token, Poco::JSON_PRESERVE_KEY_ORDER);
    token->set("present", t.present);
    token->set("first_seen", formatIsoUtc(t.first_seen));
    token->set("last_seen", formatIsoUtc(t.last_seen));
    tokens.add(token);
  }
  Poco::JSON::Array certificates;
  for (const auto& c : snapshot.certificates) {
    Object::Ptr cert = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    cert->set("fingerprint_sha256", c.certificate.fingerprint);
    cert->set("der", base64(c.certificate.der));
    cert->set("token_serial", c.token_serial);
    cert->set("token_manufacturer", c.token_manufacturer);
    cert->set("present", c.present);
    cert->set("first_seen", formatIsoUtc(c.first_seen));
    cert->set("last_seen", formatIsoUtc(c.last_seen));
    certificates.add(cert);
  }
  Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("tokens", tokens);
  body.set("certificates", certificates);
  return stringify(body);
}

Result<TokenChange> readTokenChange(const Poco::JSON::Object::Ptr& body, const std::string& path) {
  std::string error;
  BodyReader reader(bodyOf(body), path, error);
  TokenChange change;
  if (auto token = reader.object("token")) change.token = readToken(*token);
  if (!error.empty()) return fail(error);
  return change;
}

Result<CertificateChange> readCertificateChange(const std::string& kind,
                                                const Poco::JSON::Object::Ptr& body,
                                                const std::string& path,
                                                const SubscriberKindRules& rules) {
  std::string error;
  BodyReader reader(bodyOf(body), path, error);
  CertificateChange change;
  if (auto token = reader.object("token")) change.token = readToken(*token);
  if (auto cert = reader.object("certificate")) {
    change.certificate = readCertificate(*cert, kind != "certificate_disappeared", rules);
  }
  if (kind == "certificate_replaced") {
    change.previous_fingerprint = reader.requiredString("previous_fingerprint");
  }
  if (!error.empty()) return fail(error);
  return change;
}

Result<Snapshot> readSnapshot(const Poco::JSON::Object::Ptr& body, const std::string& path,
                              const SubscriberKindRules& rules) {
  std::string error;
  BodyReader reader(bodyOf(body), path, error);
  Snapshot snapshot;
  for (auto& t : reader.objects("tokens")) {
    SnapshotToken token;
    token.token = readToken(t);
    token.present = t.boolean("present");
    token.first_seen = t.time("first_seen");
    token.last_seen = t.time("last_seen");
    snapshot.tokens.push_back(std::move(token));
  }
  for (auto& c : reader.objects("certificates")) {
    SnapshotCertificate cert;
    cert.certificate = readCertificate(c, true, rules);
    cert.token_serial = c.string("token_serial", false).value_or("");
    cert.token_manufacturer = c.string("token_manufacturer", false).value_or("");
    cert.present = c.boolean("present");
    cert.first_seen = c.time("first_seen");
    cert.last_seen = c.time("last_seen");
    if (!c.failed() && !cert.token_serial.empty()) {
      bool known = false;
      for (const auto& token : snapshot.tokens) {
        known = known || (token.token.serial == cert.token_serial &&
                          token.token.manufacturer == cert.token_manufacturer);
      }
      if (!known) c.problem("token_serial", "names no token of this snapshot");
    }
    snapshot.certificates.push_back(std::move(cert));
  }
  if (!error.empty()) return fail(error);
  return snapshot;
}

}  // namespace cks::sync
