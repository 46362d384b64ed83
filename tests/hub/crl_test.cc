#include "hub/revocation/crl.h"

#include <gtest/gtest.h>

#include <chrono>

#include "core/certificate.h"
#include "core/time_format.h"
#include "hub/revocation/revocation_index.h"
#include "tests/support/test_pki.h"

namespace cks::hub {
namespace {

using namespace std::chrono_literals;

const TimePoint kNow = *parseIsoUtc("2026-12-01T03:00:00Z");
const TimePoint kIssued = *parseIsoUtc("2026-01-01T00:00:00Z");

class CrlTest : public ::testing::Test {
 protected:
  CrlTest() {
    auto cas = IssuingCas::fromDer({ca_.rootDer(), ca_.issuingDer()});
    EXPECT_TRUE(cas) << cas.error().message;
    cas_ = std::move(*cas);
  }

  // A certificate of the test CA with `serial_hex`, as the inventory reads it.
  Certificate issued(const std::string& serial_hex) {
    auto spec = test::individualSpec("Nguyễn Văn An", kIssued, kIssued + 24h * 700);
    spec.serial_hex = serial_hex;
    return parseCertificateDer(ca_.issue(spec), {});
  }

  tl::expected<RevocationList, CrlRefusal> read(const std::vector<std::uint8_t>& bytes) {
    return readRevocationList(bytes, cas_, kNow);
  }

  test::TestCa ca_;
  IssuingCas cas_;
};

TEST_F(CrlTest, ReadsTheIssuingCasListWithSerialsAndIssuerAsCertificatesWriteThem) {
  const Certificate revoked = issued("0A1B2C3D4E5F60718293A4B5C6D7E8F9");
  ca_.revoke("0A1B2C3D4E5F60718293A4B5C6D7E8F9", kNow - 72h, 1);
  ca_.revoke("2002", kNow - 48h);
  auto list = read(ca_.crl(kNow - 1h, kNow + 24h * 7, 42));
  ASSERT_TRUE(list) << list.error().detail;
  EXPECT_EQ(list->issuer, revoked.issuer);
  EXPECT_EQ(list->this_update, kNow - 1h);
  EXPECT_EQ(list->next_update, kNow + 24h * 7);
  EXPECT_EQ(list->crl_number, "2a");
  ASSERT_EQ(list->entries.size(), 2u);
  const RevocationIndex index(*list);
  const RevokedEntry* entry = index.find(revoked.serial);
  ASSERT_NE(entry, nullptr) << revoked.serial;
  EXPECT_EQ(entry->revoked_at, kNow - 72h);
  EXPECT_EQ(entry->reason, CrlReason::KeyCompromise);
  ASSERT_NE(index.find("2002"), nullptr);
  EXPECT_EQ(index.find("2002")->reason, std::nullopt);
  EXPECT_EQ(index.find(issued("3003").serial), nullptr);
}

TEST_F(CrlTest, ReadsPemAsDer) {
  ca_.revoke("1001", kNow - 1h, 4);
  const auto der = ca_.crl(kNow - 1h, kNow + 24h, 1);
  const std::string pem = test::TestCa::crlPem(der);
  auto list = read(std::vector<std::uint8_t>(pem.begin(), pem.end()));
  ASSERT_TRUE(list) << list.error().detail;
  EXPECT_EQ(list->der, der);
  ASSERT_EQ(list->entries.size(), 1u);
  EXPECT_EQ(list->entries[0].reason, CrlReason::Superseded);
}

TEST_F(CrlTest, RefusesAListOfACaThatIsNotConfigured) {
  const test::TestCa other("CA của tổ chức khác");
  auto list = read(other.crl(kNow - 1h, kNow + 24h, 1));
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().outcome, CrlOutcome::WrongIssuer);
  EXPECT_NE(list.error().detail.find("CA của tổ chức khác"), std::string::npos)
      << list.error().detail;
}

TEST_F(CrlTest, RefusesAListWithTheIssuersNameButAnotherKey) {
  const test::TestCa impostor;  // the same names, keys of its own
  auto list = read(impostor.crl(kNow - 1h, kNow + 24h, 1));
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().outcome, CrlOutcome::BadSignature);
}

TEST_F(CrlTest, RefusesAListWhoseSignatureWasTamperedWith) {
  ca_.revoke("1001", kNow - 1h);
  auto der = ca_.crl(kNow - 1h, kNow + 24h, 1);
  der.back() ^= 0x01;
  auto list = read(der);
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().outcome, CrlOutcome::BadSignature);
}

TEST_F(CrlTest, RefusesAListPastItsNextUpdate) {
  auto list = read(ca_.crl(kNow - 48h, kNow - 1s, 1));
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().outcome, CrlOutcome::Expired);
  EXPECT_TRUE(read(ca_.crl(kNow - 48h, kNow, 1))) << "current until its nextUpdate itself";
}

TEST_F(CrlTest, RefusesTruncatedGarbageAndEmptyBytes) {
  ca_.revoke("1001", kNow - 1h);
  const auto der = ca_.crl(kNow - 1h, kNow + 24h, 1);
  const std::string html = "<html><body>502 Bad Gateway</body></html>";
  for (const auto& bytes :
       {std::vector<std::uint8_t>(der.begin(), der.end() - 10),
        std::vector<std::uint8_t>(html.begin(), html.end()), std::vector<std::uint8_t>{}}) {
    auto list = read(bytes);
    ASSERT_FALSE(list) << bytes.size();
    EXPECT_EQ(list.error().outcome, CrlOutcome::Unreadable) << list.error().detail;
  }
}

TEST_F(CrlTest, ANewerListHasAHigherNumberOrWithoutNumbersALaterThisUpdate) {
  auto older = read(ca_.crl({kNow - 2h, kNow + 24h, 9, {}}));
  auto newer = read(ca_.crl({kNow - 3h, kNow + 24h, 10, {}}));  // numbered higher, made earlier
  auto plain_old = read(ca_.crl({kNow - 2h, kNow + 24h, std::nullopt, {}}));
  auto plain_new = read(ca_.crl({kNow - 1h, kNow + 24h, std::nullopt, {}}));
  ASSERT_TRUE(older && newer && plain_old && plain_new);
  EXPECT_EQ(succession(*newer, *older), Succession::Newer);
  EXPECT_EQ(succession(*older, *newer), Succession::Older);
  EXPECT_EQ(succession(*older, *older), Succession::Same);
  EXPECT_EQ(succession(*plain_new, *plain_old), Succession::Newer);
  EXPECT_EQ(succession(*plain_old, *plain_new), Succession::Older);
  // "ff" < "100": numbers compare as numbers, not as text.
  RevocationList a = *older;
  RevocationList b = *older;
  a.crl_number = "100";
  b.crl_number = "ff";
  EXPECT_EQ(succession(a, b), Succession::Newer);
}

TEST_F(CrlTest, FindsTheHttpDistributionPointsOfACertificate) {
  auto spec = test::individualSpec("Trần Thị Bình", kIssued, kIssued + 24h * 700);
  spec.crl_urls = {"http://public.rootca.gov.vn/crl/g2.crl", "ldap://ldap.ca.gov.vn/cn=G2"};
  EXPECT_EQ(crlDistributionUrls(ca_.issue(spec)),
            std::vector<std::string>{"http://public.rootca.gov.vn/crl/g2.crl"});
  spec.crl_urls.clear();
  EXPECT_TRUE(crlDistributionUrls(ca_.issue(spec)).empty());
  EXPECT_TRUE(crlDistributionUrls(std::vector<std::uint8_t>{1, 2, 3}).empty());
}

TEST(IssuingCasTest, AFileWithoutACertificateIsAnErrorNamingIt) {
  auto cas = IssuingCas::fromFiles({"/nonexistent/ca.pem"});
  ASSERT_FALSE(cas);
  EXPECT_NE(cas.error().message.find("/nonexistent/ca.pem"), std::string::npos);
}

}  // namespace
}  // namespace cks::hub
