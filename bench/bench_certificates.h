// Certificates for the benchmarks, shaped like the government CA's: Vietnamese UTF-8 subjects,
// 16-byte serials and the usual extensions. Shared by cks-bench-hub-ingest and
// cks-bench-alert-eval so both measure the same kind of certificate.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/openssl_ptr.h"

namespace cks::bench {

using Key = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using Cert = OpenSslPtr<X509, X509_free>;
using Name = OpenSslPtr<X509_NAME, X509_NAME_free>;

// Attributes in DER order (most general first), UTF-8; C as PrintableString.
[[nodiscard]] Name makeName(const std::vector<std::pair<std::string, std::string>>& attributes);

// Signs a certificate for `subject` (valid from `not_before` to `not_after`) with `key`'s
// public half, issued by `issuer` (null: self-signed). A CA gets the CA extensions; a
// subscriber certificate those of the government CA's (key usage, EKU, policy, CRL, OCSP).
// Null when OpenSSL refuses.
[[nodiscard]] Cert issueCertificate(const Name& subject, EVP_PKEY* key, X509* issuer,
                                    EVP_PKEY* issuer_key, std::uint64_t serial,
                                    TimePoint not_before, TimePoint not_after, bool is_ca);

[[nodiscard]] std::vector<std::uint8_t> derOf(X509* cert);

}  // namespace cks::bench
