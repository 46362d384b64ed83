#include "bench/bench_certificates.h"

#include <openssl/bn.h>
#include <openssl/conf.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace cks::bench {
namespace {

bool addExtension(X509* cert, X509* issuer, int nid, const char* value) {
  // certificatePolicies is parsed through a configuration database, even an empty one.
  OpenSslPtr<CONF, NCONF_free> config(NCONF_new(nullptr));
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509V3_set_nconf(&context, config.get());
  OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free> extension(
      X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  return extension && X509_add_ext(cert, extension.get(), -1) == 1;
}

}  // namespace

Name makeName(const std::vector<std::pair<std::string, std::string>>& attributes) {
  Name name(X509_NAME_new());
  for (const auto& [field, value] : attributes) {
    const int type = field == "C" ? MBSTRING_ASC : MBSTRING_UTF8;
    X509_NAME_add_entry_by_txt(name.get(), field.c_str(), type,
                               reinterpret_cast<const unsigned char*>(value.data()),
                               int(value.size()), -1, 0);
  }
  return name;
}

Cert issueCertificate(const Name& subject, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                      std::uint64_t serial, TimePoint not_before, TimePoint not_after, bool is_ca) {
  Cert cert(X509_new());
  X509* x = cert.get();
  X509_set_version(x, 2);
  // Serials of the government CA are 16 bytes; a fixed prefix keeps them that long.
  OpenSslPtr<BIGNUM, BN_free> number(BN_new());
  BN_set_word(number.get(), serial);
  BN_lshift(number.get(), number.get(), 64);
  BN_add_word(number.get(), 0x5a4e);
  BN_set_bit(number.get(), 126);
  BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(x));
  ASN1_TIME_set(X509_getm_notBefore(x), std::time_t(not_before.time_since_epoch().count()));
  ASN1_TIME_set(X509_getm_notAfter(x), std::time_t(not_after.time_since_epoch().count()));
  X509_set_subject_name(x, subject.get());
  X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : subject.get());
  X509_set_pubkey(x, key);
  X509* signer = issuer ? issuer : x;
  bool ok = true;
  if (is_ca) {
    ok = ok && addExtension(x, signer, NID_basic_constraints, "critical,CA:TRUE");
    ok = ok && addExtension(x, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    ok = ok && addExtension(x, signer, NID_subject_key_identifier, "hash");
  } else {
    ok = ok && addExtension(x, signer, NID_basic_constraints, "critical,CA:FALSE");
    ok = ok && addExtension(x, signer, NID_key_usage, "critical,digitalSignature,nonRepudiation");
    ok = ok && addExtension(x, signer, NID_ext_key_usage, "clientAuth,emailProtection");
    ok = ok && addExtension(x, signer, NID_subject_key_identifier, "hash");
    ok = ok && addExtension(x, signer, NID_authority_key_identifier, "keyid:always");
    ok = ok && addExtension(x, signer, NID_certificate_policies, "2.16.704.1.2.1.1.2");
    ok = ok && addExtension(x, signer, NID_crl_distribution_points,
                            "URI:http://ca.gov.vn/pki/pub/crl/cpcg2.crl");
    ok = ok && addExtension(x, signer, NID_info_access,
                            "OCSP;URI:http://ocsp.ca.gov.vn,caIssuers;URI:http://ca.gov.vn/pki/"
                            "pub/cert/cpcg2.crt");
  }
  if (!ok || X509_sign(x, issuer_key, EVP_sha256()) <= 0) return Cert();
  return cert;
}

std::vector<std::uint8_t> derOf(X509* cert) {
  const int length = i2d_X509(cert, nullptr);
  std::vector<std::uint8_t> der(std::size_t(length > 0 ? length : 0));
  unsigned char* cursor = der.data();
  i2d_X509(cert, &cursor);
  return der;
}

}  // namespace cks::bench
