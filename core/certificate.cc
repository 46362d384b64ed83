#include "core/certificate.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <cctype>
#include <ctime>
#include <limits>
#include <memory>
#include <utility>

#include "core/openssl_ptr.h"
#include "core/result.h"
#include "core/text.h"
#include "core/time_format.h"
#include "core/x509_text.h"

namespace cks {
namespace {

struct OpenSslFree {
  void operator()(void* memory) const { OPENSSL_free(memory); }
};

using BioPtr = OpenSslPtr<BIO, BIO_free>;

// RFC 2253 (= RFC 4514) escaping, but characters beyond ASCII are written as UTF-8 instead of
// \XX escapes: subjects are Vietnamese and must read as Vietnamese.
constexpr unsigned long kValueFlags = ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;

// Bit order of KeyUsage, RFC 5280 §4.2.1.3.
constexpr std::array<std::string_view, 9> kKeyUsageNames = {
    "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
    "keyCertSign",      "cRLSign",        "encipherOnly",    "decipherOnly"};

// The earliest error on the queue names the cause; later entries only say where it surfaced.
std::string openSslReason() {
  const unsigned long code = ERR_peek_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  return reason != nullptr ? reason : "unknown error";
}

std::string drain(BIO* bio) {
  std::string out;
  std::array<char, 256> buffer;
  int read = 0;
  while ((read = BIO_read(bio, buffer.data(), static_cast<int>(buffer.size()))) > 0) {
    out.append(buffer.data(), static_cast<std::size_t>(read));
  }
  return out;
}

std::string dottedOid(const ASN1_OBJECT* object) {
  const int length = OBJ_obj2txt(nullptr, 0, object, 1);
  if (length <= 0) return {};
  std::string text(static_cast<std::size_t>(length) + 1, '\0');
  OBJ_obj2txt(text.data(), length + 1, object, 1);
  text.resize(static_cast<std::size_t>(length));
  return text;
}

// OpenSSL's short name where it has one ("clientAuth"), else the dotted OID.
std::string objectName(const ASN1_OBJECT* object) {
  const int nid = OBJ_obj2nid(object);
  const char* short_name = nid != NID_undef ? OBJ_nid2sn(nid) : nullptr;
  return short_name != nullptr ? short_name : dottedOid(object);
}

// Empty when the value cannot be converted (e.g. a UTF8String holding invalid UTF-8).
std::string toUtf8(const ASN1_STRING* value) {
  unsigned char* raw = nullptr;
  const int length = ASN1_STRING_to_UTF8(&raw, value);
  const std::unique_ptr<unsigned char, OpenSslFree> owned(raw);
  if (length < 0 || raw == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(raw), static_cast<std::size_t>(length));
}

std::string bytesOf(const ASN1_STRING* value) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                     static_cast<std::size_t>(ASN1_STRING_length(value)));
}

std::optional<std::string> printValue(const ASN1_STRING* value, unsigned long flags) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || ASN1_STRING_print_ex(bio.get(), value, flags) < 0) return std::nullopt;
  return drain(bio.get());
}

// What X509_NAME_print_ex(XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) writes (last RDN first,
// "," between RDNs, "+" inside one, "#<DER hex>" for unknown attribute types), except that
// emailAddress is named "E": that is how the government CA's certificates are shown to
// officers (Windows and the CA's portal), and OpenSSL's "emailAddress" is no more standard —
// RFC 4514 defines a keyword for neither.
std::string formatName(const X509_NAME* name) {
  std::string out;
  int previous_set = -1;
  for (int i = X509_NAME_entry_count(name) - 1; i >= 0; --i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    const int set = X509_NAME_ENTRY_set(entry);
    if (previous_set != -1) out += set == previous_set ? '+' : ',';
    previous_set = set;

    const ASN1_OBJECT* object = X509_NAME_ENTRY_get_object(entry);
    const int nid = OBJ_obj2nid(object);
    const char* short_name = nid != NID_undef ? OBJ_nid2sn(nid) : nullptr;
    unsigned long flags = kValueFlags;
    if (nid == NID_pkcs9_emailAddress) {
      out += "E";
    } else if (short_name != nullptr) {
      out += short_name;
    } else {
      out += dottedOid(object);
      flags |= ASN1_STRFLGS_DUMP_ALL;
    }
    out += '=';

    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(entry);
    std::optional<std::string> text = printValue(value, flags);
    // A value OpenSSL cannot decode (a BMPString of odd length, bad UTF-8) is shown as DER hex.
    if (!text) text = printValue(value, flags | ASN1_STRFLGS_DUMP_ALL);
    out += text.value_or("#");
  }
  return out;
}

// Reads the named attributes in RFC 4514 order, the order `subject` shows them, so that
// organizational_units lists the OUs as they read there; a repeated single-valued attribute
// keeps its first value in that order (the most specific one).
void readSubjectAttributes(const X509_NAME* name, Certificate& cert) {
  auto keepFirst = [](std::string& field, std::string value) {
    if (field.empty()) field = std::move(value);
  };
  for (int i = X509_NAME_entry_count(name) - 1; i >= 0; --i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(entry);
    switch (OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))) {
      case NID_commonName:
        keepFirst(cert.common_name, toUtf8(value));
        break;
      case NID_organizationName:
        keepFirst(cert.organization, toUtf8(value));
        break;
      case NID_organizationalUnitName:
        cert.organizational_units.push_back(toUtf8(value));
        break;
      case NID_localityName:
        keepFirst(cert.locality, toUtf8(value));
        break;
      case NID_stateOrProvinceName:
        keepFirst(cert.state, toUtf8(value));
        break;
      case NID_countryName:
        keepFirst(cert.country, toUtf8(value));
        break;
      case NID_pkcs9_emailAddress:
        keepFirst(cert.email, toUtf8(value));
        break;
      default:
        break;
    }
  }
}

// Lowercase hex without leading zeros; BN_bn2hex writes whole bytes in uppercase ("0AB").
std::optional<std::string> serialHex(const ASN1_INTEGER* serial) {
  const OpenSslPtr<BIGNUM, BN_free> number(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!number) return std::nullopt;
  const std::unique_ptr<char, OpenSslFree> hex(BN_bn2hex(number.get()));
  if (!hex) return std::nullopt;
  std::string_view digits(hex.get());
  std::string out;
  if (digits.starts_with('-')) {
    out = "-";
    digits.remove_prefix(1);
  }
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  for (char digit : digits)
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(digit)));
  return out;
}

// Both UTCTime and GeneralizedTime, converted by calendar arithmetic so that the host's time
// zone never enters.
std::optional<TimePoint> toTimePoint(const ASN1_TIME* time) {
  std::tm fields{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &fields) != 1) return std::nullopt;
  const std::chrono::year_month_day date{
      std::chrono::year(fields.tm_year + 1900),
      std::chrono::month(static_cast<unsigned>(fields.tm_mon + 1)),
      std::chrono::day(static_cast<unsigned>(fields.tm_mday))};
  if (!date.ok()) return std::nullopt;
  return TimePoint(std::chrono::sys_days(date)) + std::chrono::hours(fields.tm_hour) +
         std::chrono::minutes(fields.tm_min) + std::chrono::seconds(fields.tm_sec);
}

void freeExtensions(STACK_OF(X509_EXTENSION) * extensions) {
  sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
}
using ExtensionsPtr = OpenSslPtr<STACK_OF(X509_EXTENSION), freeExtensions>;

template <typename T, auto Free>
OpenSslPtr<T, Free> decodeExtension(const STACK_OF(X509_EXTENSION) * extensions, int nid) {
  // Null when absent, repeated or undecodable: the inventory then shows the certificate
  // without that extension rather than not at all.
  return OpenSslPtr<T, Free>(static_cast<T*>(X509V3_get_d2i(extensions, nid, nullptr, nullptr)));
}

void readExtensions(const STACK_OF(X509_EXTENSION) * x509, Certificate& cert) {
  if (auto usage = decodeExtension<ASN1_BIT_STRING, ASN1_BIT_STRING_free>(x509, NID_key_usage)) {
    for (std::size_t bit = 0; bit < kKeyUsageNames.size(); ++bit) {
      if (ASN1_BIT_STRING_get_bit(usage.get(), static_cast<int>(bit)) != 0) {
        cert.key_usage.emplace_back(kKeyUsageNames[bit]);
      }
    }
  }
  if (auto purposes =
          decodeExtension<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>(x509, NID_ext_key_usage)) {
    for (int i = 0; i < sk_ASN1_OBJECT_num(purposes.get()); ++i) {
      cert.extended_key_usage.push_back(objectName(sk_ASN1_OBJECT_value(purposes.get(), i)));
    }
  }
  if (auto policies = decodeExtension<CERTIFICATEPOLICIES, CERTIFICATEPOLICIES_free>(
          x509, NID_certificate_policies)) {
    for (int i = 0; i < sk_POLICYINFO_num(policies.get()); ++i) {
      cert.policy_oids.push_back(dottedOid(sk_POLICYINFO_value(policies.get(), i)->policyid));
    }
  }
  std::string first_rfc822_name;
  if (auto names = decodeExtension<GENERAL_NAMES, GENERAL_NAMES_free>(x509, NID_subject_alt_name)) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
      if (name->type == GEN_DNS) {
        cert.dns_names.push_back(bytesOf(name->d.dNSName));
      } else if (name->type == GEN_EMAIL && first_rfc822_name.empty()) {
        first_rfc822_name = bytesOf(name->d.rfc822Name);
      }
    }
  }
  if (cert.email.empty()) cert.email = std::move(first_rfc822_name);
  if (auto constraints =
          decodeExtension<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>(x509, NID_basic_constraints)) {
    cert.is_ca = constraints->ca != 0;
  }
}

// One DER TLV: its content and where the next one starts.
struct Tlv {
  const unsigned char* content = nullptr;
  const unsigned char* next = nullptr;
  int tag = 0;
  int tag_class = 0;
  bool constructed = false;
};

// Reads the TLV at `at`, which must end by `end`; false for a malformed or indefinite length.
bool readTlv(const unsigned char* at, const unsigned char* end, Tlv& out) {
  if (at >= end) return false;
  const unsigned char* cursor = at;
  long length = 0;
  const int flags = ASN1_get_object(&cursor, &length, &out.tag, &out.tag_class, end - at);
  if ((flags & 0x80) != 0 || (flags & 0x01) != 0) return false;
  out.content = cursor;
  out.next = cursor + length;
  out.constructed = (flags & V_ASN1_CONSTRUCTED) != 0;
  return true;
}

bool isSequence(const Tlv& tlv) {
  return tlv.constructed && tlv.tag_class == V_ASN1_UNIVERSAL && tlv.tag == V_ASN1_SEQUENCE;
}

// What the inventory reads of a certificate (RFC 5280 §4.1), decoded piece by piece.
// d2i_X509 would also decode the public key, which OpenSSL 3.0 does through its provider
// decoders: about 90 µs a certificate and over 1 ms for the first, most of a scan's own time.
// The inventory never uses the key, so it is checked for shape only.
struct CertificateParts {
  OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free> serial;
  OpenSslPtr<X509_NAME, X509_NAME_free> issuer;
  OpenSslPtr<X509_NAME, X509_NAME_free> subject;
  OpenSslPtr<ASN1_TIME, ASN1_TIME_free> not_before;
  OpenSslPtr<ASN1_TIME, ASN1_TIME_free> not_after;
  ExtensionsPtr extensions;
};

// Decodes `der` into `parts`; returns why it is not a certificate, or an empty string.
std::string decodeParts(std::span<const std::uint8_t> der, CertificateParts& parts) {
  const unsigned char* const end = der.data() + der.size();
  Tlv certificate, tbs;
  if (!readTlv(der.data(), end, certificate) || !isSequence(certificate)) {
    return "not an ASN.1 SEQUENCE";
  }
  if (!readTlv(certificate.content, certificate.next, tbs) || !isSequence(tbs)) {
    return "no TBSCertificate";
  }
  const unsigned char* at = tbs.content;
  auto left = [&] { return static_cast<long>(tbs.next - at); };
  Tlv field;
  if (readTlv(at, tbs.next, field) && field.tag_class == V_ASN1_CONTEXT_SPECIFIC &&
      field.tag == 0) {
    at = field.next;  // [0] version
  }
  parts.serial.reset(d2i_ASN1_INTEGER(nullptr, &at, left()));
  if (!parts.serial) return "bad serial number";
  if (!readTlv(at, tbs.next, field) || !isSequence(field)) return "bad signature algorithm";
  at = field.next;
  parts.issuer.reset(d2i_X509_NAME(nullptr, &at, left()));
  if (!parts.issuer) return "bad issuer name";
  if (!readTlv(at, tbs.next, field) || !isSequence(field)) return "bad validity";
  const unsigned char* validity = field.content;
  parts.not_before.reset(d2i_ASN1_TIME(nullptr, &validity, field.next - validity));
  if (parts.not_before) {
    parts.not_after.reset(d2i_ASN1_TIME(nullptr, &validity, field.next - validity));
  }
  if (!parts.not_before || !parts.not_after || validity != field.next) return "bad validity";
  at = field.next;
  parts.subject.reset(d2i_X509_NAME(nullptr, &at, left()));
  if (!parts.subject) return "bad subject name";
  if (!readTlv(at, tbs.next, field) || !isSequence(field)) return "bad subject public key info";
  at = field.next;
  // [1] and [2] unique identifiers (obsolete), then [3] extensions.
  while (at < tbs.next) {
    if (!readTlv(at, tbs.next, field) || field.tag_class != V_ASN1_CONTEXT_SPECIFIC) {
      return "unexpected field in TBSCertificate";
    }
    if (field.tag == 3) {
      const unsigned char* extensions = field.content;
      parts.extensions.reset(d2i_X509_EXTENSIONS(nullptr, &extensions, field.next - extensions));
      if (!parts.extensions || extensions != field.next) return "bad extensions";
    }
    at = field.next;
  }
  Tlv algorithm, signature;
  if (!readTlv(tbs.next, certificate.next, algorithm) || !isSequence(algorithm) ||
      !readTlv(algorithm.next, certificate.next, signature) || signature.tag != V_ASN1_BIT_STRING ||
      signature.next != certificate.next) {
    return "bad signature";
  }
  return {};
}

// Fills `cert` from `der`; returns why it could not, or an empty string.
std::string readCertificate(std::span<const std::uint8_t> der, Certificate& cert) {
  const std::string not_der = "not a DER X.509 certificate: ";
  if (der.empty()) return not_der + "empty input";
  if (der.size() > static_cast<std::size_t>(std::numeric_limits<long>::max())) {
    return not_der + "too large";
  }
  CertificateParts parts;
  if (std::string why = decodeParts(der, parts); !why.empty()) {
    if (ERR_peek_error() != 0) why += " (" + openSslReason() + ")";
    ERR_clear_error();
    return not_der + why;
  }
  Tlv outer;
  readTlv(der.data(), der.data() + der.size(), outer);
  const auto consumed = static_cast<std::size_t>(outer.next - der.data());
  if (consumed != der.size()) {
    return not_der + std::to_string(der.size() - consumed) + " bytes after the certificate";
  }

  const std::optional<std::string> serial = serialHex(parts.serial.get());
  const std::optional<TimePoint> not_before = toTimePoint(parts.not_before.get());
  const std::optional<TimePoint> not_after = toTimePoint(parts.not_after.get());
  if (!serial) return "unreadable serial number";
  if (!not_before || !not_after) return "unreadable validity period";
  cert.serial = *serial;
  cert.not_before = *not_before;
  cert.not_after = *not_after;

  cert.subject = formatName(parts.subject.get());
  cert.issuer = formatName(parts.issuer.get());
  readSubjectAttributes(parts.subject.get(), cert);
  readExtensions(parts.extensions.get(), cert);
  return {};
}

}  // namespace

std::string_view toString(CertificateStatus status) {
  switch (status) {
    case CertificateStatus::Valid:
      return "valid";
    case CertificateStatus::Expiring:
      return "expiring";
    case CertificateStatus::Expired:
      return "expired";
    case CertificateStatus::NotYetValid:
      return "not_yet_valid";
    case CertificateStatus::Unparseable:
      break;
  }
  return "unparseable";
}

bool parseCertificateStatus(std::string_view text, CertificateStatus& out) {
  for (const auto status :
       {CertificateStatus::Valid, CertificateStatus::Expiring, CertificateStatus::Expired,
        CertificateStatus::NotYetValid, CertificateStatus::Unparseable}) {
    if (toString(status) == text) {
      out = status;
      return true;
    }
  }
  return false;
}

long Certificate::daysLeft(TimePoint now) const {
  return calendarDaysBetween(now, not_after, vietnamTimeZone());
}

CertificateStatus Certificate::statusAt(TimePoint now, int expiring_within_days) const {
  if (!parsed()) return CertificateStatus::Unparseable;
  if (now < not_before) return CertificateStatus::NotYetValid;
  if (now >= not_after) return CertificateStatus::Expired;
  if (daysLeft(now) < expiring_within_days) return CertificateStatus::Expiring;
  return CertificateStatus::Valid;
}

std::string x509NameText(const X509_NAME* name) { return formatName(name); }

std::optional<std::string> serialText(const ASN1_INTEGER* serial) { return serialHex(serial); }

std::optional<TimePoint> asn1Time(const ASN1_TIME* time) { return toTimePoint(time); }

Certificate parseCertificateDer(std::span<const std::uint8_t> der,
                                const SubscriberKindRules& rules) {
  Certificate cert;
  std::string error = readCertificate(der, cert);
  // Leave no stale entries behind to be misreported by the next OpenSSL call on this thread.
  ERR_clear_error();
  if (!error.empty()) {
    cert.parse_error = std::move(error);  // readCertificate sets no field before it fails
  } else {
    cert.kind = rules.classify(SubscriberFacts{
        cert.common_name, cert.email, cert.extended_key_usage, cert.policy_oids, cert.dns_names});
  }
  cert.fingerprint_sha256 = sha256Hex(der);
  return cert;
}

std::string sha256Hex(std::span<const std::uint8_t> bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // SHA-256 missing from the default provider is a broken installation, not bad input.
  CKS_CHECK(EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) ==
            1);
  return hexLower(std::span(digest.data(), length));
}

}  // namespace cks
