// The inventory entries an agent pushes (docs/sync-protocol.md, "Entry kinds"): a token's
// change (token_inserted, token_removed, token_pin_state_changed), a certificate's change
// (certificate_appeared, certificate_disappeared, certificate_replaced) and the whole inventory
// (snapshot). The agent's store encodes them; the hub decodes them field by field, parsing each
// certificate from its DER with the agent's own parser, so that a bad entry is refused with the
// field named ("entries[3].body.token.serial: missing"). Plain data and pure functions.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/certificate.h"
#include "core/clock.h"
#include "core/result.h"
#include "core/subscriber_kind.h"

namespace cks::sync {

// A token as an entry names it. Only serial and manufacturer are required: an agent fills the
// rest from its store when it sends, and a missing field leaves the hub's value as it is.
struct ChangeToken {
  std::string serial;
  std::string manufacturer;
  std::optional<std::string> label;
  std::optional<std::string> model;
  std::optional<std::string> pin_state;  // "ok", "count_low", …; unknown words read as "unknown"
};

struct ChangeCertificate {
  std::string fingerprint;        // lowercase hex SHA-256 of `der` (checked when der is sent)
  std::vector<std::uint8_t> der;  // empty only for certificate_disappeared without a DER
  std::optional<Certificate> parsed;
};

struct SnapshotToken {
  ChangeToken token;
  bool present = false;
  TimePoint first_seen{};
  TimePoint last_seen{};
};

struct SnapshotCertificate {
  ChangeCertificate certificate;
  std::string token_serial;  // empty: on no token
  std::string token_manufacturer;
  bool present = false;
  TimePoint first_seen{};
  TimePoint last_seen{};
};

// token_inserted, token_removed, token_pin_state_changed: {"token": {…}}.
struct TokenChange {
  ChangeToken token;
};

// certificate_appeared, certificate_disappeared, certificate_replaced:
// {"certificate": {"fingerprint_sha256", "der"}, "previous_fingerprint"?, "token": {…}}.
struct CertificateChange {
  ChangeToken token;
  ChangeCertificate certificate;
  std::string previous_fingerprint;  // certificate_replaced
};

// snapshot: every token and every (token, certificate) link the agent knows.
struct Snapshot {
  std::vector<SnapshotToken> tokens;
  std::vector<SnapshotCertificate> certificates;
};

[[nodiscard]] std::string encodeBody(const TokenChange& change);
// The DER goes as base64; the keys of the body and of its token are in alphabetical order (the
// order agents have always sent).
[[nodiscard]] std::string encodeBody(const CertificateChange& change);
[[nodiscard]] std::string encodeBody(const Snapshot& snapshot);

// Readers of an entry's body; `path` names the body in messages ("entries[3].body").
// Certificates are parsed with `rules`; a DER must match its fingerprint.
[[nodiscard]] Result<TokenChange> readTokenChange(const Poco::JSON::Object::Ptr& body,
                                                  const std::string& path);
// `kind` is the entry's: certificate_disappeared may omit the DER, certificate_replaced names
// the previous fingerprint.
[[nodiscard]] Result<CertificateChange> readCertificateChange(const std::string& kind,
                                                              const Poco::JSON::Object::Ptr& body,
                                                              const std::string& path,
                                                              const SubscriberKindRules& rules);
[[nodiscard]] Result<Snapshot> readSnapshot(const Poco::JSON::Object::Ptr& body,
                                            const std::string& path,
                                            const SubscriberKindRules& rules);

}  // namespace cks::sync
