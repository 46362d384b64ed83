// A throwaway PKI for tests: certificates shaped like those of the government CA (same names,
// Vietnamese UTF-8 subjects, the same extensions) but signed with fresh EC P-256 keys made in
// memory. Builders throw std::runtime_error when OpenSSL refuses a spec, so a bad spec fails
// the test that wrote it. A TestCa is not thread-safe; the free functions are.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace cks::test {

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
  bool is_ca = false;
};

// A root "CN=RootCA chuyên dùng Chính phủ G2" and below it the issuing CA "CN=CA phục vụ các
// cơ quan Nhà nước G2", both "O=Ban Cơ yếu Chính phủ, C=VN", with keys made for this instance.
class TestCa {
 public:
  TestCa();
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  // A certificate for `spec` with a fresh key, signed by the issuing CA.
  [[nodiscard]] std::vector<std::uint8_t> issue(const CertSpec& spec) const;
  [[nodiscard]] const std::vector<std::uint8_t>& rootDer() const;
  [[nodiscard]] const std::vector<std::uint8_t>& issuingDer() const;

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
