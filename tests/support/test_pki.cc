#include "tests/support/test_pki.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <chrono>
#include <ctime>
#include <stdexcept>

#include "core/openssl_ptr.h"

namespace cks::test {
namespace {

using KeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using KeyContextPtr = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using NamePtr = OpenSslPtr<X509_NAME, X509_NAME_free>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;
using IntegerPtr = OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using TimePtr = OpenSslPtr<ASN1_TIME, ASN1_TIME_free>;
using StringPtr = OpenSslPtr<ASN1_STRING, ASN1_STRING_free>;
using ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using ConfPtr = OpenSslPtr<CONF, NCONF_free>;

// Names of the real chain; the keys behind them here are made per TestCa.
const std::vector<std::pair<std::string, std::string>> kRootSubject = {
    {"C", "VN"}, {"O", "Ban Cơ yếu Chính phủ"}, {"CN", "RootCA chuyên dùng Chính phủ G2"}};
std::vector<std::pair<std::string, std::string>> issuingSubject(const std::string& name) {
  return {{"C", "VN"}, {"O", "Ban Cơ yếu Chính phủ"}, {"CN", name}};
}

void require(bool ok, const std::string& what) {
  if (ok) return;
  std::string message = "test_pki: " + what;
  if (const unsigned long code = ERR_peek_error(); code != 0) {
    std::array<char, 256> reason{};
    ERR_error_string_n(code, reason.data(), reason.size());
    message += std::string(": ") + reason.data();
  }
  ERR_clear_error();
  throw std::runtime_error(message);
}

const unsigned char* bytes(const std::string& text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string join(const std::vector<std::string>& parts, const std::string& prefix = {}) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += ',';
    out += prefix + part;
  }
  return out;
}

KeyPtr makeKey() {
  const KeyContextPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  require(context && EVP_PKEY_keygen_init(context.get()) == 1 &&
              EVP_PKEY_CTX_set_group_name(context.get(), "P-256") == 1 &&
              EVP_PKEY_generate(context.get(), &key) == 1,
          "generate an EC P-256 key");
  return KeyPtr(key);
}

NamePtr makeName(const CertSpec& spec) {
  NamePtr name(X509_NAME_new());
  require(name != nullptr, "X509_NAME_new");
  for (const auto& [field, value] : spec.subject) {
    int added = 0;
    if (spec.bmp_string && field == "CN") {
      ASN1_STRING* raw = nullptr;
      require(ASN1_mbstring_copy(&raw, bytes(value), static_cast<int>(value.size()), MBSTRING_UTF8,
                                 B_ASN1_BMPSTRING) > 0,
              "encode CN as BMPString: " + value);
      const StringPtr bmp(raw);
      added = X509_NAME_add_entry_by_txt(name.get(), "CN", V_ASN1_BMPSTRING,
                                         ASN1_STRING_get0_data(bmp.get()),
                                         ASN1_STRING_length(bmp.get()), -1, 0);
    } else {
      added = X509_NAME_add_entry_by_txt(name.get(), field.c_str(), MBSTRING_UTF8, bytes(value),
                                         static_cast<int>(value.size()), -1, 0);
    }
    require(added == 1, "subject attribute " + field + "=" + value);
  }
  return name;
}

TimePtr asn1TimeOf(TimePoint at) {
  TimePtr time(ASN1_TIME_set(nullptr, static_cast<std::time_t>(at.time_since_epoch().count())));
  require(time != nullptr, "ASN1_TIME_set");
  return time;
}

void setTime(X509* cert, TimePoint at, bool not_before) {
  const TimePtr time = asn1TimeOf(at);
  require((not_before ? X509_set1_notBefore(cert, time.get())
                      : X509_set1_notAfter(cert, time.get())) == 1,
          "set validity");
}

IntegerPtr serialOf(const std::string& hex, bool negative) {
  BIGNUM* raw = nullptr;
  const int digits = BN_hex2bn(&raw, hex.c_str());
  const BignumPtr number(raw);
  require(digits > 0 && static_cast<std::size_t>(digits) == hex.size(),
          "serial is not hex: " + hex);
  BN_set_negative(number.get(), negative ? 1 : 0);
  IntegerPtr serial(BN_to_ASN1_INTEGER(number.get(), nullptr));
  require(serial != nullptr, "serial " + hex);
  return serial;
}

void setSerial(X509* cert, const CertSpec& spec) {
  const IntegerPtr serial = serialOf(spec.serial_hex, spec.negative_serial);
  require(X509_set_serialNumber(cert, serial.get()) == 1, "set serial");
}

// `issuer` is `cert` itself for a self-signed certificate.
void addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context{};
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  // certificatePolicies is parsed by an r2i method, which insists on a config database even
  // for plain OIDs; an empty one will do.
  const ConfPtr config(NCONF_new(nullptr));
  require(config != nullptr, "NCONF_new");
  X509V3_set_nconf(&context, config.get());
  const ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str()));
  require(extension && X509_add_ext(cert, extension.get(), -1) == 1,
          std::string("extension ") + OBJ_nid2sn(nid) + "=" + value);
}

// Signs with `signing_key`; a null `issuer` makes the certificate self-signed.
X509Ptr build(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* signing_key) {
  X509Ptr cert(X509_new());
  require(cert != nullptr, "X509_new");
  require(X509_set_version(cert.get(), X509_VERSION_3) == 1, "set version");
  setSerial(cert.get(), spec);
  setTime(cert.get(), spec.not_before, true);
  setTime(cert.get(), spec.not_after, false);
  const NamePtr subject = makeName(spec);
  require(X509_set_subject_name(cert.get(), subject.get()) == 1, "set subject");
  require(X509_set_issuer_name(
              cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : subject.get()) == 1,
          "set issuer");
  require(X509_set_pubkey(cert.get(), key) == 1, "set public key");

  X509* issuer_cert = issuer != nullptr ? issuer : cert.get();
  addExtension(cert.get(), issuer_cert, NID_basic_constraints,
               spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  if (!spec.key_usage.empty()) {
    addExtension(cert.get(), issuer_cert, NID_key_usage, "critical," + join(spec.key_usage));
  }
  if (!spec.extended_key_usage.empty()) {
    addExtension(cert.get(), issuer_cert, NID_ext_key_usage, join(spec.extended_key_usage));
  }
  if (!spec.dns_names.empty() || !spec.rfc822_names.empty()) {
    std::string names = join(spec.dns_names, "DNS:");
    const std::string emails = join(spec.rfc822_names, "email:");
    if (!names.empty() && !emails.empty()) names += ',';
    addExtension(cert.get(), issuer_cert, NID_subject_alt_name, names + emails);
  }
  if (!spec.policy_oids.empty()) {
    addExtension(cert.get(), issuer_cert, NID_certificate_policies, join(spec.policy_oids));
  }
  if (!spec.crl_urls.empty()) {
    addExtension(cert.get(), issuer_cert, NID_crl_distribution_points, join(spec.crl_urls, "URI:"));
  }
  addExtension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  addExtension(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid:always");

  require(X509_sign(cert.get(), signing_key, EVP_sha256()) > 0, "sign");
  return cert;
}

std::vector<std::uint8_t> toDer(X509* cert) {
  const int length = i2d_X509(cert, nullptr);
  require(length > 0, "i2d_X509");
  std::vector<std::uint8_t> der(static_cast<std::size_t>(length));
  unsigned char* cursor = der.data();
  require(i2d_X509(cert, &cursor) == length, "i2d_X509");
  return der;
}

// The test CAs outlive any date a test picks.
CertSpec caSpec(std::vector<std::pair<std::string, std::string>> subject, std::string serial) {
  using namespace std::chrono;
  CertSpec spec;
  spec.subject = std::move(subject);
  spec.serial_hex = std::move(serial);
  spec.not_before = sys_days{2000y / January / 1};
  spec.not_after = sys_days{2099y / December / 31};
  spec.key_usage = {"keyCertSign", "cRLSign"};
  spec.is_ca = true;
  return spec;
}

}  // namespace

struct TestCa::Impl {
  std::string issuing_name;
  std::vector<Revocation> revoked;
  KeyPtr root_key = makeKey();
  KeyPtr issuing_key = makeKey();
  X509Ptr root;
  X509Ptr issuing;
  std::vector<std::uint8_t> root_der;
  std::vector<std::uint8_t> issuing_der;
};

TestCa::TestCa(const std::string& issuing_name) : impl_(std::make_unique<Impl>()) {
  impl_->issuing_name = issuing_name;
  impl_->root =
      build(caSpec(kRootSubject, "01"), impl_->root_key.get(), nullptr, impl_->root_key.get());
  impl_->issuing = build(caSpec(issuingSubject(issuing_name), "02"), impl_->issuing_key.get(),
                         impl_->root.get(), impl_->root_key.get());
  impl_->root_der = toDer(impl_->root.get());
  impl_->issuing_der = toDer(impl_->issuing.get());
}

TestCa::~TestCa() = default;

std::vector<std::uint8_t> TestCa::issue(const CertSpec& spec) const {
  const KeyPtr key = makeKey();
  const X509Ptr cert = build(spec, key.get(), impl_->issuing.get(), impl_->issuing_key.get());
  return toDer(cert.get());
}

const std::vector<std::uint8_t>& TestCa::rootDer() const { return impl_->root_der; }

const std::vector<std::uint8_t>& TestCa::issuingDer() const { return impl_->issuing_der; }

void TestCa::revoke(std::string serial_hex, TimePoint at, std::optional<int> reason_code) {
  impl_->revoked.push_back({std::move(serial_hex), at, reason_code});
}

std::vector<std::uint8_t> TestCa::crl(TimePoint this_update, TimePoint next_update,
                                      long number) const {
  return crl(CrlSpec{this_update, next_update, number, impl_->revoked});
}

std::vector<std::uint8_t> TestCa::crl(const CrlSpec& spec) const {
  using CrlPtr = OpenSslPtr<X509_CRL, X509_CRL_free>;
  using RevokedPtr = OpenSslPtr<X509_REVOKED, X509_REVOKED_free>;
  using EnumeratedPtr = OpenSslPtr<ASN1_ENUMERATED, ASN1_ENUMERATED_free>;
  const CrlPtr crl(X509_CRL_new());
  require(
      crl && X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) == 1 &&
          X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(impl_->issuing.get())) == 1 &&
          X509_CRL_set1_lastUpdate(crl.get(), asn1TimeOf(spec.this_update).get()) == 1,
      "CRL header");
  if (spec.next_update) {
    require(X509_CRL_set1_nextUpdate(crl.get(), asn1TimeOf(*spec.next_update).get()) == 1,
            "CRL nextUpdate");
  }
  for (const Revocation& revocation : spec.revoked) {
    RevokedPtr entry(X509_REVOKED_new());
    require(entry &&
                X509_REVOKED_set_serialNumber(entry.get(),
                                              serialOf(revocation.serial_hex, false).get()) == 1 &&
                X509_REVOKED_set_revocationDate(entry.get(), asn1TimeOf(revocation.at).get()) == 1,
            "CRL entry " + revocation.serial_hex);
    if (revocation.reason_code) {
      const EnumeratedPtr code(ASN1_ENUMERATED_new());
      require(code && ASN1_ENUMERATED_set(code.get(), *revocation.reason_code) == 1 &&
                  X509_REVOKED_add1_ext_i2d(entry.get(), NID_crl_reason, code.get(), 0, 0) == 1,
              "CRL entry reason");
    }
    require(X509_CRL_add0_revoked(crl.get(), entry.get()) == 1, "add CRL entry");
    entry.release();  // the list owns it now
  }
  if (spec.number) {
    const IntegerPtr number(ASN1_INTEGER_new());
    require(number && ASN1_INTEGER_set(number.get(), *spec.number) == 1 &&
                X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) == 1,
            "cRLNumber");
  }
  require(X509_CRL_sort(crl.get()) == 1 &&
              X509_CRL_sign(crl.get(), impl_->issuing_key.get(), EVP_sha256()) > 0,
          "sign the CRL");
  const int length = i2d_X509_CRL(crl.get(), nullptr);
  require(length > 0, "i2d_X509_CRL");
  std::vector<std::uint8_t> der(static_cast<std::size_t>(length));
  unsigned char* cursor = der.data();
  require(i2d_X509_CRL(crl.get(), &cursor) == length, "i2d_X509_CRL");
  return der;
}

namespace {

// `der` in PEM armour of `label`, 64 base64 characters a line.
std::string armoured(const std::vector<std::uint8_t>& der, const std::string& label) {
  std::string base64(4 * ((der.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(base64.data()), der.data(),
                                     static_cast<int>(der.size()));
  base64.resize(static_cast<std::size_t>(length));
  std::string out = "-----BEGIN " + label + "-----\n";
  for (std::size_t at = 0; at < base64.size(); at += 64) out += base64.substr(at, 64) + "\n";
  return out + "-----END " + label + "-----\n";
}

}  // namespace

std::string TestCa::pem(const std::vector<std::uint8_t>& der) {
  return armoured(der, "CERTIFICATE");
}

std::string TestCa::crlPem(const std::vector<std::uint8_t>& der) {
  return armoured(der, "X509 CRL");
}

std::vector<std::uint8_t> makeSelfSigned(const CertSpec& spec) {
  const KeyPtr key = makeKey();
  const X509Ptr cert = build(spec, key.get(), nullptr, key.get());
  return toDer(cert.get());
}

CertSpec individualSpec(std::string name, TimePoint not_before, TimePoint not_after,
                        std::string email) {
  CertSpec spec;
  // DER order, so that RFC 4514 reads "CN=..., OU=..., OU=..., O=..., L=..., C=VN, E=..." as
  // the CA's certificates do.
  spec.subject = {{"emailAddress", std::move(email)},
                  {"C", "VN"},
                  {"L", "Quảng Ngãi"},
                  {"O", "UBND tỉnh Quảng Ngãi"},
                  {"OU", "UBND xã Bình Chương"},
                  {"OU", "Phòng Văn hóa - Xã hội"},
                  {"CN", std::move(name)}};
  spec.not_before = not_before;
  spec.not_after = not_after;
  spec.key_usage = {"digitalSignature", "nonRepudiation"};
  spec.extended_key_usage = {"clientAuth", "emailProtection"};
  return spec;
}

CertSpec organizationSpec(std::string name, TimePoint not_before, TimePoint not_after) {
  CertSpec spec;
  spec.subject = {
      {"C", "VN"}, {"L", "Quảng Ngãi"}, {"O", "UBND TỈNH QUẢNG NGÃI"}, {"CN", std::move(name)}};
  spec.not_before = not_before;
  spec.not_after = not_after;
  spec.key_usage = {"digitalSignature", "nonRepudiation"};
  spec.extended_key_usage = {"clientAuth", "emailProtection"};
  return spec;
}

CertSpec deviceSpec(std::string host, TimePoint not_before, TimePoint not_after) {
  CertSpec spec;
  spec.subject = {{"C", "VN"}, {"O", "UBND TỈNH QUẢNG NGÃI"}, {"CN", host}};
  spec.dns_names = {std::move(host)};
  spec.not_before = not_before;
  spec.not_after = not_after;
  spec.key_usage = {"digitalSignature", "keyEncipherment"};
  spec.extended_key_usage = {"serverAuth"};
  return spec;
}

TimePoint vietnamNoonIn(int days, TimePoint now) {
  constexpr auto kVietnam = std::chrono::hours(7);
  const auto today = std::chrono::floor<std::chrono::days>(now + kVietnam);
  return TimePoint(today + std::chrono::days(days)) - kVietnam + std::chrono::hours(12);
}

}  // namespace cks::test
