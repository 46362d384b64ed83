// An X.509 certificate as the inventory sees it: who it names, who issued it, when it is
// valid, and what kind of subscriber holds it. Parsing never fails: a DER that OpenSSL
// cannot read becomes a record with `parse_error` set and only its fingerprint known.
// Values are plain data, safe to copy and share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/subscriber_kind.h"

namespace cks {

enum class CertificateStatus { Valid, Expiring, Expired, NotYetValid, Unparseable };

// "valid" | "expiring" | "expired" | "not_yet_valid" | "unparseable" (the wire names).
[[nodiscard]] std::string_view toString(CertificateStatus status);
// False for an unknown name, leaving `out` alone.
[[nodiscard]] bool parseCertificateStatus(std::string_view text, CertificateStatus& out);

struct Certificate {
  std::string fingerprint_sha256;  // lowercase hex of SHA-256 over the DER, always set
  std::string parse_error;         // empty when the DER parsed

  std::string subject;  // RFC 4514, UTF-8, Vietnamese letters unescaped
  std::string issuer;   // RFC 4514, UTF-8
  std::string common_name;
  std::string organization;
  std::vector<std::string> organizational_units;  // every OU, in subject order
  std::string locality;
  std::string state;
  std::string country;
  std::string email;  // the E (emailAddress) attribute, else the first rfc822 SAN

  std::string serial;  // lowercase hex, no leading zeros, "-" prefix if negative
  TimePoint not_before{};
  TimePoint not_after{};
  std::vector<std::string> key_usage;           // e.g. "digitalSignature", "nonRepudiation"
  std::vector<std::string> extended_key_usage;  // dotted OIDs or short names ("clientAuth")
  std::vector<std::string> policy_oids;         // certificatePolicies, dotted
  std::vector<std::string> dns_names;           // dNSName entries of subjectAltName
  bool is_ca = false;
  SubscriberKind kind = SubscriberKind::Unknown;

  [[nodiscard]] bool parsed() const { return parse_error.empty(); }

  // Calendar days in Vietnam (UTC+7) from today until the day of notAfter: 25 on 05/12 for a
  // certificate expiring on 30/12, 0 on its last day, negative the day after it expired.
  [[nodiscard]] long daysLeft(TimePoint now) const;

  // Status at `now`: expiring when fewer than `expiring_within_days` days are left.
  [[nodiscard]] CertificateStatus statusAt(TimePoint now, int expiring_within_days) const;
};

// Parses a DER certificate and classifies its subscriber kind with `rules`.
[[nodiscard]] Certificate parseCertificateDer(std::span<const std::uint8_t> der,
                                              const SubscriberKindRules& rules);

// Lowercase hex of SHA-256 over `bytes`.
[[nodiscard]] std::string sha256Hex(std::span<const std::uint8_t> bytes);

}  // namespace cks
