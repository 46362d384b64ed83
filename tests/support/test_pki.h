// A throwaway PKI for tests: certificates shaped like those of the government CA (same names,
// Vietnamese UTF-8 subjects, the same extensions) but signed with fresh EC P-256 keys made in
// memory. Builders throw std::runtime_error when OpenSSL refuses a spec, so a bad spec fails
// the test that wrote it. A TestCa is not thread-safe; the free functions are.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace cks::test {

// The issuing CA's common name in the government's chain.
inline constexpr char kGovernmentIssuingCa[] = "CA phục vụ các cơ quan Nhà nước G2";

struct CertSpec {
  // Attributes in DER order, most general first (C, O, ..., CN), as X.509 encodes them:
  // RFC 4514 text shows them reversed. Names are OpenSSL short names ("CN", "OU", "O", "L",
  // "ST", "C", "emailAddress"); values UTF-8. C is encoded as PrintableString, emailAddress as
  // IA5String, everything else as UTF8String.
  std::vector<std::pair<std::string, std::string>> subject;
  bool bmp_string = false;          // encode CN as BMPString (UTF-16BE) instead of UTF8String
  std::string serial_hex = "1000";  // up to 40 hex digits (20 bytes)
  bool negative_serial = false;
  TimePoint not_before;
  TimePoint not_after;
  std::vector<std::string> key_usage;           // "digitalSignature", "nonRepudiation", ...
  std::vector<std::string> extended_key_usage;  // short names or dotted OIDs
  std::vector<std::string> dns_names;           // dNSName SAN entries
  std::vector<std::string> rfc822_names;        // rfc822Name SAN entries
  std::vector<std::string> policy_oids;         // certificatePolicies, dotted
  std::vector<std::string> crl_urls;            // CRL distribution points (fullName URIs)
  bool is_ca = false;
};

// A certificate the issuing CA revoked, as its revocation lists carry it.
struct Revocation {
  std::string serial_hex;  // as CertSpec::serial_hex
  TimePoint at;
  std::optional<int> reason_code;  // RFC 5280 CRLReason code; none: no reasonCode extension
};

// A revocation list: its times, its cRLNumber (none: no extension) and its entries.
struct CrlSpec {
  TimePoint this_update;
  std::optional<TimePoint> next_update;
  std::optional<long> number;
  std::vector<Revocation> revoked;
};

// A root "CN=RootCA chuyên dùng Chính phủ G2" and below it the issuing CA "CN=CA phục vụ các
// cơ quan Nhà nước G2" (or `issuing_name`: another CA), both "O=Ban Cơ yếu Chính phủ, C=VN",
// with keys made for this instance. The issuing CA revokes and signs revocation lists.
class TestCa {
 public:
  explicit TestCa(const std::string& issuing_name = kGovernmentIssuingCa);
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  // A certificate for `spec` with a fresh key, signed by the issuing CA.
  [[nodiscard]] std::vector<std::uint8_t> issue(const CertSpec& spec) const;
  [[nodiscard]] const std::vector<std::uint8_t>& rootDer() const;
  [[nodiscard]] const std::vector<std::uint8_t>& issuingDer() const;

  // Revokes the certificate `serial_hex`: every list crl() signs from now on carries it.
  void revoke(std::string serial_hex, TimePoint at, std::optional<int> reason_code = {});
  // A revocation list of the issuing CA, DER: the revocations so far, numbered `number`.
  [[nodiscard]] std::vector<std::uint8_t> crl(TimePoint this_update, TimePoint next_update,
                                              long number) const;
  // A revocation list exactly as `spec` says (its entries only, not those revoke() made).
  [[nodiscard]] std::vector<std::uint8_t> crl(const CrlSpec& spec) const;
  // "-----BEGIN X509 CRL-----" armour around `der`.
  [[nodiscard]] static std::string crlPem(const std::vector<std::uint8_t>& der);

  // "-----BEGIN CERTIFICATE-----" armour around `der`, 64 base64 characters a line.
  [[nodiscard]] static std::string pem(const std::vector<std::uint8_t>& der);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A certificate for `spec` signed with its own fresh key.
[[nodiscard]] std::vector<std::uint8_t> makeSelfSigned(const CertSpec& spec);

// An official: CN=name, OU=Phòng Văn hóa - Xã hội, OU=UBND xã Bình Chương,
// O=UBND tỉnh Quảng Ngãi, L=Quảng Ngãi, C=VN, E=email (RFC 4514 order); digitalSignature +
// nonRepudiation, clientAuth + emailProtection.
[[nodiscard]] CertSpec individualSpec(std::string name, TimePoint not_before, TimePoint not_after,
                                      std::string email = "official@quangngai.gov.vn");

// An organisation: CN=name (in capitals, e.g. "UBND XÃ BÌNH CHƯƠNG"), O=UBND TỈNH QUẢNG NGÃI,
// L=Quảng Ngãi, C=VN; digitalSignature + nonRepudiation, clientAuth + emailProtection.
[[nodiscard]] CertSpec organizationSpec(std::string name, TimePoint not_before,
                                        TimePoint not_after);

// A device or service: CN=host, O=UBND TỈNH QUẢNG NGÃI, C=VN, dNSName SAN host;
// digitalSignature + keyEncipherment, serverAuth.
[[nodiscard]] CertSpec deviceSpec(std::string host, TimePoint not_before, TimePoint not_after);

// Noon in Vietnam `days` calendar days after the day of `now` there. A certificate expiring
// then has exactly `days` days left all that day (days left are calendar days in Vietnam,
// core/time_format.h), whatever the hour a test runs.
[[nodiscard]] TimePoint vietnamNoonIn(int days, TimePoint now);

}  // namespace cks::test
