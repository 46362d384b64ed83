// Fuzz target: a certificate's DER as a token holds it (core/certificate.h, parseCertificateDer,
// the parser of the agent's scan and of the hub's entries). Whatever the bytes, it answers a
// record: parsed, or `parse_error` set with the fingerprint of the bytes.
#include <span>

#include "core/certificate.h"
#include "core/subscriber_kind.h"
#include "tests/fuzz/fuzz_target.h"

using cks::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cks::SubscriberKindRules rules;
  const std::span<const std::uint8_t> der(data, size);
  const cks::Certificate certificate = cks::parseCertificateDer(der, rules);
  require(certificate.fingerprint_sha256 == cks::sha256Hex(der),
          "the fingerprint is the SHA-256 of the bytes, parsed or not");
  // Parsing again gives the same record.
  const cks::Certificate again = cks::parseCertificateDer(der, rules);
  require(again.parse_error == certificate.parse_error && again.subject == certificate.subject &&
              again.serial == certificate.serial,
          "parsing is deterministic");
  return 0;
}
