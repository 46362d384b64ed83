// How the inventory writes the parts of X.509 objects (core/certificate.h), for the other
// objects that name the same CAs and certificates: a revocation list's issuer and its entries'
// serials and dates must read exactly as the certificates' own fields do to match them.
// Pure functions; thread-safe.
#pragma once

#include <openssl/types.h>

#include <optional>
#include <string>

#include "core/clock.h"

namespace cks {

// A name as Certificate::subject and issuer write it (RFC 4514, UTF-8, E= for emailAddress).
[[nodiscard]] std::string x509NameText(const X509_NAME* name);
// A serial number as Certificate::serial writes it; nullopt when OpenSSL cannot read it.
[[nodiscard]] std::optional<std::string> serialText(const ASN1_INTEGER* serial);
// An ASN.1 UTCTime or GeneralizedTime as an instant; nullopt when it does not read.
[[nodiscard]] std::optional<TimePoint> asn1Time(const ASN1_TIME* time);

}  // namespace cks
