#include "core/certificate.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/test_pki.h"

namespace cks {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

const TimePoint kNotBefore = sys_days{2024y / std::chrono::March / 15} + 2h;
const TimePoint kNotAfter = sys_days{2027y / std::chrono::March / 15} + 2h;

constexpr char kTuyet[] =
    "CN=Nguyễn Thị Ánh Tuyết,OU=Phòng Văn hóa - Xã hội,OU=UBND xã Bình Chương,"
    "O=UBND tỉnh Quảng Ngãi,L=Quảng Ngãi,C=VN,E=official@quangngai.gov.vn";
constexpr char kRootSubject[] = "CN=RootCA chuyên dùng Chính phủ G2,O=Ban Cơ yếu Chính phủ,C=VN";
constexpr char kIssuingSubject[] =
    "CN=CA phục vụ các cơ quan Nhà nước G2,O=Ban Cơ yếu Chính phủ,C=VN";

// One CA for the whole file: key generation is cheap, but there is no need to repeat it.
const test::TestCa& ca() {
  static const test::TestCa instance;
  return instance;
}

Certificate parse(const std::vector<std::uint8_t>& der) {
  return parseCertificateDer(der, SubscriberKindRules{});
}

test::CertSpec tuyetSpec() {
  return test::individualSpec("Nguyễn Thị Ánh Tuyết", kNotBefore, kNotAfter);
}

test::CertSpec plainSpec(std::vector<std::pair<std::string, std::string>> subject) {
  test::CertSpec spec;
  spec.subject = std::move(subject);
  spec.not_before = kNotBefore;
  spec.not_after = kNotAfter;
  return spec;
}

struct X509Free {
  void operator()(X509* x509) const { X509_free(x509); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr decode(const std::vector<std::uint8_t>& der) {
  const unsigned char* cursor = der.data();
  return X509Ptr(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
}

// What OpenSSL itself prints for the subject, as an independent reference for order and escaping.
std::string openSslSubject(const std::vector<std::uint8_t>& der) {
  const X509Ptr x509 = decode(der);
  const std::unique_ptr<BIO, int (*)(BIO*)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(x509.get()), 0,
                     XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  std::string out;
  std::array<char, 256> buffer;
  int read = 0;
  while ((read = BIO_read(bio.get(), buffer.data(), static_cast<int>(buffer.size()))) > 0) {
    out.append(buffer.data(), static_cast<std::size_t>(read));
  }
  return out;
}

std::vector<std::uint8_t> bytesOf(std::string_view text) {
  return std::vector<std::uint8_t>(text.begin(), text.end());
}

TEST(CertificateTest, ParsesVietnameseUtf8Subject) {
  const Certificate cert = parse(ca().issue(tuyetSpec()));

  ASSERT_TRUE(cert.parsed()) << cert.parse_error;
  EXPECT_EQ(cert.subject, kTuyet);
  EXPECT_EQ(cert.common_name, "Nguyễn Thị Ánh Tuyết");
  EXPECT_EQ(cert.organization, "UBND tỉnh Quảng Ngãi");
  EXPECT_EQ(cert.locality, "Quảng Ngãi");
  EXPECT_EQ(cert.state, "");
  EXPECT_EQ(cert.country, "VN");
}

TEST(CertificateTest, SubjectMatchesOpenSslRfc2253WithEmailNamedE) {
  const std::vector<std::uint8_t> der = ca().issue(tuyetSpec());
  std::string reference = openSslSubject(der);
  const std::string openssl_email = "emailAddress=";
  ASSERT_NE(reference.find(openssl_email), std::string::npos) << reference;
  reference.replace(reference.find(openssl_email), openssl_email.size(), "E=");

  EXPECT_EQ(parse(der).subject, reference);
}

TEST(CertificateTest, EscapesRfc4514SpecialCharacters) {
  const std::vector<std::uint8_t> der =
      ca().issue(plainSpec({{"C", "VN"}, {"ST", "Quảng Ngãi"}, {"CN", "Sở A, phòng B+C"}}));
  const Certificate cert = parse(der);

  EXPECT_EQ(cert.subject, "CN=Sở A\\, phòng B\\+C,ST=Quảng Ngãi,C=VN");
  EXPECT_EQ(cert.subject, openSslSubject(der));
  EXPECT_EQ(cert.common_name, "Sở A, phòng B+C");
  EXPECT_EQ(cert.state, "Quảng Ngãi");
}

TEST(CertificateTest, BmpStringCommonNameReadsAsUtf8) {
  test::CertSpec spec = tuyetSpec();
  spec.bmp_string = true;
  const std::vector<std::uint8_t> der = ca().issue(spec);

  // The CN really is a BMPString on the wire, or this test would prove nothing.
  const X509Ptr x509 = decode(der);
  const X509_NAME* name = X509_get_subject_name(x509.get());
  const int cn_index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  ASSERT_GE(cn_index, 0);
  EXPECT_EQ(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, cn_index))),
            V_ASN1_BMPSTRING);

  const Certificate cert = parse(der);
  EXPECT_EQ(cert.common_name, "Nguyễn Thị Ánh Tuyết");
  EXPECT_EQ(cert.subject, kTuyet);
}

TEST(CertificateTest, ListsEveryOrganizationalUnitInSubjectOrder) {
  const Certificate cert = parse(ca().issue(plainSpec({{"C", "VN"},
                                                       {"OU", "Sở Nội vụ"},
                                                       {"OU", "Phòng Tổ chức"},
                                                       {"OU", "Tổ Văn thư"},
                                                       {"CN", "Lê Văn Tám"}})));

  EXPECT_EQ(cert.subject, "CN=Lê Văn Tám,OU=Tổ Văn thư,OU=Phòng Tổ chức,OU=Sở Nội vụ,C=VN");
  EXPECT_EQ(cert.organizational_units,
            (std::vector<std::string>{"Tổ Văn thư", "Phòng Tổ chức", "Sở Nội vụ"}));
}

TEST(CertificateTest, ReadsEmailFromTheEAttribute) {
  const Certificate cert = parse(ca().issue(tuyetSpec()));

  EXPECT_EQ(cert.email, "official@quangngai.gov.vn");
  EXPECT_TRUE(cert.subject.ends_with(",E=official@quangngai.gov.vn")) << cert.subject;
  EXPECT_EQ(cert.subject.find("emailAddress"), std::string::npos);
}

TEST(CertificateTest, FallsBackToTheFirstRfc822SubjectAltName) {
  test::CertSpec spec = plainSpec({{"C", "VN"}, {"CN", "Phạm Văn Đồng"}});
  spec.rfc822_names = {"dong.pv@quangngai.gov.vn", "other@quangngai.gov.vn"};
  spec.dns_names = {"ignored.example"};

  EXPECT_EQ(parse(ca().issue(spec)).email, "dong.pv@quangngai.gov.vn");
}

TEST(CertificateTest, EAttributeWinsOverSubjectAltName) {
  test::CertSpec spec = tuyetSpec();
  spec.rfc822_names = {"san@quangngai.gov.vn"};

  EXPECT_EQ(parse(ca().issue(spec)).email, "official@quangngai.gov.vn");
}

TEST(CertificateTest, PrefixesNegativeSerialWithMinus) {
  test::CertSpec spec = tuyetSpec();
  spec.serial_hex = "1A2B";
  spec.negative_serial = true;

  EXPECT_EQ(parse(ca().issue(spec)).serial, "-1a2b");
}

TEST(CertificateTest, ReadsTwentyByteSerialInLowercase) {
  test::CertSpec spec = tuyetSpec();
  spec.serial_hex = "7F0123456789ABCDEF0123456789ABCDEF012345";
  const std::vector<std::uint8_t> der = ca().issue(spec);
  ASSERT_EQ(ASN1_STRING_length(X509_get0_serialNumber(decode(der).get())), 20);

  EXPECT_EQ(parse(der).serial, "7f0123456789abcdef0123456789abcdef012345");
}

TEST(CertificateTest, DropsLeadingZerosFromSerial) {
  test::CertSpec spec = tuyetSpec();
  spec.serial_hex = "00ab";  // DER content 00 AB: the zero byte only keeps it positive
  EXPECT_EQ(parse(ca().issue(spec)).serial, "ab");

  spec.serial_hex = "0A0123456789ABCDEF0123456789ABCDEF012345";
  EXPECT_EQ(parse(ca().issue(spec)).serial, "a0123456789abcdef0123456789abcdef012345");

  spec.serial_hex = "0";
  EXPECT_EQ(parse(ca().issue(spec)).serial, "0");
}

TEST(CertificateTest, ReadsUtcTimeAndGeneralizedTimeValidity) {
  test::CertSpec spec = tuyetSpec();
  // RFC 5280 encodes 2050 and later as GeneralizedTime, earlier years as UTCTime.
  spec.not_after = sys_days{2055y / std::chrono::June / 30} + 12h + 34min + 56s;
  const std::vector<std::uint8_t> der = ca().issue(spec);
  const X509Ptr x509 = decode(der);
  ASSERT_EQ(ASN1_STRING_type(X509_get0_notBefore(x509.get())), V_ASN1_UTCTIME);
  ASSERT_EQ(ASN1_STRING_type(X509_get0_notAfter(x509.get())), V_ASN1_GENERALIZEDTIME);

  const Certificate cert = parse(der);
  EXPECT_EQ(cert.not_before, kNotBefore);
  EXPECT_EQ(cert.not_after, spec.not_after);
}

TEST(CertificateTest, StatusAtFixedInstants) {
  const Certificate cert = parse(ca().issue(tuyetSpec()));

  EXPECT_EQ(cert.statusAt(kNotBefore - 1s, 30), CertificateStatus::NotYetValid);
  EXPECT_EQ(cert.statusAt(kNotBefore, 30), CertificateStatus::Valid);
  EXPECT_EQ(cert.statusAt(kNotAfter - 1s, 30), CertificateStatus::Expiring);
  EXPECT_EQ(cert.statusAt(kNotAfter, 30), CertificateStatus::Expired);
  EXPECT_EQ(cert.statusAt(kNotAfter + 24h * 400, 30), CertificateStatus::Expired);
}

TEST(CertificateTest, ExpiringStartsWhenFewerThanThresholdDaysAreLeft) {
  const Certificate cert = parse(ca().issue(tuyetSpec()));
  // kNotAfter is 09:00 on 15/03/2027 in Vietnam; 30 days earlier is 09:00 on 13/02, and the
  // next day in Vietnam begins 15 hours later.
  const TimePoint thirty_days_left = kNotAfter - 24h * 30;
  const TimePoint next_day = thirty_days_left + 15h;

  EXPECT_EQ(cert.daysLeft(thirty_days_left), 30);
  EXPECT_EQ(cert.daysLeft(next_day - 1s), 30);  // days, not periods of 24 hours
  EXPECT_EQ(cert.statusAt(next_day - 1s, 30), CertificateStatus::Valid);
  EXPECT_EQ(cert.daysLeft(next_day), 29);
  EXPECT_EQ(cert.statusAt(next_day, 30), CertificateStatus::Expiring);
  EXPECT_EQ(cert.statusAt(next_day, 29), CertificateStatus::Valid);
}

TEST(CertificateTest, DaysLeftCountsCalendarDaysInVietnam) {
  const Certificate cert = parse(ca().issue(tuyetSpec()));
  const TimePoint last_day_begins = kNotAfter - 9h;  // 00:00 on 15/03 in Vietnam

  EXPECT_EQ(cert.daysLeft(kNotAfter - 24h), 1);
  EXPECT_EQ(cert.daysLeft(last_day_begins - 1s), 1);
  EXPECT_EQ(cert.daysLeft(last_day_begins), 0);
  EXPECT_EQ(cert.daysLeft(kNotAfter - 1s), 0);
  EXPECT_EQ(cert.daysLeft(kNotAfter), 0);
  EXPECT_EQ(cert.daysLeft(kNotAfter + 1h), 0);  // expired, on its last day
  EXPECT_EQ(cert.statusAt(kNotAfter + 1h, 30), CertificateStatus::Expired);
  EXPECT_EQ(cert.daysLeft(last_day_begins + 24h), -1);
  EXPECT_EQ(cert.daysLeft(last_day_begins + 48h - 1s), -1);
  EXPECT_EQ(cert.daysLeft(last_day_begins + 48h), -2);
}

TEST(CertificateTest, ACertificateExpiringOn30DecemberHas25DaysLeftOn5December) {
  const Certificate cert = parse(ca().issue(tuyetSpec()));
  // The issue's example, at 18:34 on 05/12/2026 in Vietnam, with kNotAfter's time of day.
  const TimePoint dec_30 = std::chrono::sys_days{2026y / std::chrono::December / 30} + 2h;
  const TimePoint dec_5 = std::chrono::sys_days{2026y / std::chrono::December / 5} + 11h + 34min;
  Certificate moved = cert;
  moved.not_after = dec_30;
  EXPECT_EQ(moved.daysLeft(dec_5), 25);
}

void expectUnparseable(const std::vector<std::uint8_t>& bytes) {
  const Certificate cert = parse(bytes);
  EXPECT_FALSE(cert.parsed());
  EXPECT_TRUE(cert.parse_error.starts_with("not a DER X.509 certificate: ")) << cert.parse_error;
  EXPECT_EQ(cert.fingerprint_sha256, sha256Hex(bytes));
  EXPECT_EQ(parse(bytes).fingerprint_sha256, cert.fingerprint_sha256);
  EXPECT_EQ(cert.statusAt(kNotBefore + 24h, 30), CertificateStatus::Unparseable);
  EXPECT_EQ(cert.kind, SubscriberKind::Unknown);
  EXPECT_EQ(cert.subject, "");
  EXPECT_EQ(cert.serial, "");
}

TEST(CertificateTest, TruncatedDerIsUnparseable) {
  const std::vector<std::uint8_t> der = ca().issue(tuyetSpec());
  expectUnparseable(std::vector<std::uint8_t>(der.begin(), der.begin() + der.size() / 2));
}

TEST(CertificateTest, GarbageIsUnparseable) {
  expectUnparseable(bytesOf("this is not a certificate"));
  expectUnparseable(bytesOf(test::TestCa::pem(ca().rootDer())));  // PEM is not DER
}

TEST(CertificateTest, EmptyInputIsUnparseable) {
  expectUnparseable({});
  EXPECT_EQ(parse({}).fingerprint_sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CertificateTest, TrailingGarbageIsUnparseable) {
  std::vector<std::uint8_t> der = ca().issue(tuyetSpec());
  der.push_back(0x00);

  expectUnparseable(der);
  EXPECT_EQ(parse(der).parse_error, "not a DER X.509 certificate: 1 bytes after the certificate");
}

TEST(CertificateTest, NeverCrashesOnCorruptedDer) {
  const std::vector<std::uint8_t> der = ca().issue(tuyetSpec());
  for (std::size_t length = 0; length < der.size(); ++length) {
    EXPECT_FALSE(parse(std::vector<std::uint8_t>(der.begin(), der.begin() + length)).parsed())
        << "prefix of " << length << " bytes";
  }
  for (std::size_t i = 0; i < der.size(); ++i) {
    std::vector<std::uint8_t> corrupted = der;
    corrupted[i] ^= 0xFF;
    const Certificate cert = parse(corrupted);
    EXPECT_EQ(cert.fingerprint_sha256, sha256Hex(corrupted));
    EXPECT_NE(cert.parsed(), !cert.parse_error.empty());
  }
}

TEST(CertificateTest, IssuerIsTheIssuingCaSubject) {
  const Certificate root = parse(ca().rootDer());
  const Certificate issuing = parse(ca().issuingDer());
  const Certificate leaf = parse(ca().issue(tuyetSpec()));

  EXPECT_EQ(root.subject, kRootSubject);
  EXPECT_EQ(root.issuer, kRootSubject);
  EXPECT_EQ(issuing.subject, kIssuingSubject);
  EXPECT_EQ(issuing.issuer, kRootSubject);
  EXPECT_EQ(leaf.issuer, kIssuingSubject);
  EXPECT_TRUE(root.is_ca);
  EXPECT_TRUE(issuing.is_ca);
  EXPECT_FALSE(leaf.is_ca);
}

TEST(CertificateTest, Sha256HexMatchesKnownVectors) {
  EXPECT_EQ(sha256Hex(bytesOf("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CertificateTest, FingerprintIsSha256OfTheDer) {
  const std::vector<std::uint8_t> der = ca().issue(tuyetSpec());
  // X509_digest is what `openssl x509 -fingerprint -sha256` prints.
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  ASSERT_EQ(X509_digest(decode(der).get(), EVP_sha256(), digest.data(), &length), 1);
  std::string expected;
  for (unsigned int i = 0; i < length; ++i) {
    expected += "0123456789abcdef"[digest[i] >> 4];
    expected += "0123456789abcdef"[digest[i] & 0x0F];
  }

  const Certificate cert = parse(der);
  EXPECT_EQ(cert.fingerprint_sha256, expected);
  EXPECT_EQ(cert.fingerprint_sha256, sha256Hex(der));
}

TEST(CertificateTest, NamesKeyUsageBits) {
  EXPECT_EQ(parse(ca().issue(tuyetSpec())).key_usage,
            (std::vector<std::string>{"digitalSignature", "nonRepudiation"}));

  test::CertSpec spec = tuyetSpec();
  spec.key_usage = {"decipherOnly",    "encipherOnly",   "cRLSign",
                    "keyCertSign",     "keyAgreement",   "dataEncipherment",
                    "keyEncipherment", "nonRepudiation", "digitalSignature"};
  EXPECT_EQ(parse(ca().issue(spec)).key_usage,
            (std::vector<std::string>{"digitalSignature", "nonRepudiation", "keyEncipherment",
                                      "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign",
                                      "encipherOnly", "decipherOnly"}));

  spec.key_usage.clear();
  EXPECT_TRUE(parse(ca().issue(spec)).key_usage.empty());
}

TEST(CertificateTest, ReadsExtendedKeyUsagePoliciesAndDnsNames) {
  test::CertSpec spec = plainSpec({{"C", "VN"}, {"CN", "Cổng dịch vụ công"}});
  spec.extended_key_usage = {"clientAuth", "emailProtection", "1.2.3.4.5"};
  spec.policy_oids = {"1.3.6.1.4.1.99999.1.2", "2.5.29.32.0"};
  spec.dns_names = {"dichvucong.quangngai.gov.vn", "www.quangngai.gov.vn"};
  const Certificate cert = parse(ca().issue(spec));

  EXPECT_EQ(cert.extended_key_usage,
            (std::vector<std::string>{"clientAuth", "emailProtection", "1.2.3.4.5"}));
  EXPECT_EQ(cert.policy_oids, (std::vector<std::string>{"1.3.6.1.4.1.99999.1.2", "2.5.29.32.0"}));
  EXPECT_EQ(cert.dns_names,
            (std::vector<std::string>{"dichvucong.quangngai.gov.vn", "www.quangngai.gov.vn"}));
}

TEST(CertificateTest, ClassifiesTheThreeSubscriberShapes) {
  const Certificate person = parse(ca().issue(tuyetSpec()));
  const Certificate organization =
      parse(ca().issue(test::organizationSpec("UBND XÃ BÌNH CHƯƠNG", kNotBefore, kNotAfter)));
  const Certificate device =
      parse(ca().issue(test::deviceSpec("dichvucong.quangngai.gov.vn", kNotBefore, kNotAfter)));

  EXPECT_EQ(person.kind, SubscriberKind::Individual);
  EXPECT_EQ(organization.kind, SubscriberKind::Organization);
  EXPECT_EQ(organization.subject,
            "CN=UBND XÃ BÌNH CHƯƠNG,O=UBND TỈNH QUẢNG NGÃI,L=Quảng Ngãi,C=VN");
  EXPECT_EQ(device.kind, SubscriberKind::Device);
  EXPECT_EQ(device.subject, "CN=dichvucong.quangngai.gov.vn,O=UBND TỈNH QUẢNG NGÃI,C=VN");
}

TEST(CertificateTest, ClassifiesWithTheRulesHandedIn) {
  SubscriberKindRules rules;
  rules.device_policy_oids = {"1.3.6.1.4.1.99999.3"};
  test::CertSpec spec = tuyetSpec();
  spec.policy_oids = {"1.3.6.1.4.1.99999.3"};

  EXPECT_EQ(parseCertificateDer(ca().issue(spec), rules).kind, SubscriberKind::Device);
}

TEST(CertificateTest, StatusHasWireNames) {
  EXPECT_EQ(toString(CertificateStatus::Valid), "valid");
  EXPECT_EQ(toString(CertificateStatus::Expiring), "expiring");
  EXPECT_EQ(toString(CertificateStatus::Expired), "expired");
  EXPECT_EQ(toString(CertificateStatus::NotYetValid), "not_yet_valid");
  EXPECT_EQ(toString(CertificateStatus::Unparseable), "unparseable");
}

TEST(CertificateTest, EveryTruncationIsUnparseableAndNeverCrashes) {
  const auto der = ca().issue(test::individualSpec("Nguyễn Thị Ánh Tuyết", kNotBefore, kNotAfter));
  for (std::size_t length = 0; length < der.size(); ++length) {
    const std::vector<std::uint8_t> cut(der.begin(), der.begin() + std::ptrdiff_t(length));
    const Certificate cert = parse(cut);
    ASSERT_FALSE(cert.parsed()) << "a " << length << "-byte prefix parsed";
    ASSERT_EQ(cert.fingerprint_sha256, sha256Hex(cut));
  }
  EXPECT_TRUE(parse(der).parsed());
}

TEST(CertificateTest, EverySingleByteCorruptionIsHandled) {
  // Flipping any byte either still parses (a value changed) or gives a reason; never a crash.
  const auto der = ca().issue(test::organizationSpec("UBND XÃ BÌNH CHƯƠNG", kNotBefore, kNotAfter));
  for (std::size_t at = 0; at < der.size(); ++at) {
    auto bent = der;
    bent[at] ^= 0xA5;
    const Certificate cert = parse(bent);
    ASSERT_EQ(cert.parsed(), cert.parse_error.empty()) << "byte " << at;
    ASSERT_EQ(cert.fingerprint_sha256, sha256Hex(bent));
  }
}

}  // namespace
}  // namespace cks
