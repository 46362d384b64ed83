#include "core/subscriber_kind.h"

#include <gtest/gtest.h>

namespace cks {
namespace {

SubscriberFacts named(std::string common_name) {
  SubscriberFacts facts;
  facts.common_name = std::move(common_name);
  return facts;
}

SubscriberKind classify(const SubscriberFacts& facts) {
  return SubscriberKindRules{}.classify(facts);
}

TEST(SubscriberKindTest, PolicyOidWinsOverEveryOtherRule) {
  SubscriberKindRules rules;
  rules.individual_policy_oids = {"1.3.6.1.4.1.99999.1"};
  rules.organization_policy_oids = {"1.3.6.1.4.1.99999.2"};
  rules.device_policy_oids = {"1.3.6.1.4.1.99999.3"};

  SubscriberFacts facts = named("ubnd.quangngai.gov.vn");
  facts.dns_names = {"ubnd.quangngai.gov.vn"};
  facts.policy_oids = {"2.5.29.32.0", "1.3.6.1.4.1.99999.1"};
  EXPECT_EQ(rules.classify(facts), SubscriberKind::Individual);

  facts = named("Nguyễn Văn A");
  facts.policy_oids = {"1.3.6.1.4.1.99999.2"};
  EXPECT_EQ(rules.classify(facts), SubscriberKind::Organization);

  facts = named("UBND XÃ BÌNH CHƯƠNG");
  facts.policy_oids = {"1.3.6.1.4.1.99999.3"};
  EXPECT_EQ(rules.classify(facts), SubscriberKind::Device);

  facts.policy_oids = {"1.3.6.1.4.1.99999.4"};  // listed for no kind: the other rules decide
  EXPECT_EQ(rules.classify(facts), SubscriberKind::Organization);
}

TEST(SubscriberKindTest, DeviceByDnsNameSan) {
  SubscriberFacts facts = named("Cổng dịch vụ công");
  facts.dns_names = {"dichvucong.quangngai.gov.vn"};
  EXPECT_EQ(classify(facts), SubscriberKind::Device);
}

TEST(SubscriberKindTest, DeviceByServerAuthEku) {
  SubscriberFacts facts = named("Máy chủ một cửa");
  facts.extended_key_usage = {"clientAuth", "serverAuth"};
  EXPECT_EQ(classify(facts), SubscriberKind::Device);

  facts.extended_key_usage = {"1.3.6.1.5.5.7.3.1"};
  EXPECT_EQ(classify(facts), SubscriberKind::Device);

  facts.extended_key_usage = {"clientAuth", "emailProtection"};
  EXPECT_EQ(classify(facts), SubscriberKind::Individual);
}

TEST(SubscriberKindTest, DeviceByHostNameCommonName) {
  EXPECT_EQ(classify(named("motcua.quangngai.gov.vn")), SubscriberKind::Device);
  EXPECT_EQ(classify(named("srv-01.local")), SubscriberKind::Device);
  EXPECT_EQ(classify(named("Nguyen V. A")), SubscriberKind::Individual);  // spaces, not a host
  EXPECT_EQ(classify(named("localhost")), SubscriberKind::Individual);    // no dot
}

TEST(SubscriberKindTest, OrganizationByNamePrefix) {
  EXPECT_EQ(classify(named("UBND xã Bình Chương")), SubscriberKind::Organization);
  EXPECT_EQ(classify(named("SỞ Khoa học và Công nghệ")), SubscriberKind::Organization);
  EXPECT_EQ(classify(named("ĐẢNG ỦY xã Bình Chương")), SubscriberKind::Organization);
  // Case-sensitive, as the header says: "Sở" is not the prefix "SỞ".
  EXPECT_EQ(classify(named("Sở Khoa học và Công nghệ")), SubscriberKind::Individual);
}

TEST(SubscriberKindTest, NamePrefixMustEndAtAWordBoundary) {
  EXPECT_EQ(classify(named("BANH Văn An")), SubscriberKind::Individual);  // not "BAN"
  EXPECT_EQ(classify(named("BAN quản lý dự án")), SubscriberKind::Organization);
  EXPECT_EQ(classify(named("BỘ")), SubscriberKind::Organization);
}

TEST(SubscriberKindTest, OrganizationByCapitalsWithVietnameseLetters) {
  EXPECT_EQ(classify(named("UBND XÃ BÌNH CHƯƠNG")), SubscriberKind::Organization);
  EXPECT_EQ(classify(named("CÔNG AN XÃ BÌNH CHƯƠNG")), SubscriberKind::Organization);
  EXPECT_EQ(classify(named("ĐỖ ĐẠT - ƯỚC")), SubscriberKind::Organization);
  // Rule 3 comes before rule 4: a personal name in capitals alone reads as an organisation.
  EXPECT_EQ(classify(named("TRẦN")), SubscriberKind::Organization);
}

TEST(SubscriberKindTest, IndividualByVietnameseLowercaseLetters) {
  EXPECT_EQ(classify(named("Nguyễn Văn A")), SubscriberKind::Individual);
  // The only lowercase letter is outside ASCII: ơ (U+01A1), ư (U+01B0, an even code point),
  // ỹ (Latin Extended Additional), đ (Latin Extended-A), à (Latin-1).
  EXPECT_EQ(classify(named("ĐOÀN ơ")), SubscriberKind::Individual);
  EXPECT_EQ(classify(named("ĐOÀN ư")), SubscriberKind::Individual);
  EXPECT_EQ(classify(named("NGUYỄN ỹ")), SubscriberKind::Individual);
  EXPECT_EQ(classify(named("ĐỖ đ")), SubscriberKind::Individual);
  EXPECT_EQ(classify(named("TRẦN à")), SubscriberKind::Individual);
}

TEST(SubscriberKindTest, IndividualByEmailWhenNothingElseMatches) {
  SubscriberFacts facts = named("");
  facts.email = "official@quangngai.gov.vn";
  EXPECT_EQ(classify(facts), SubscriberKind::Individual);

  facts.common_name = "0123456789";  // no letters: not "in capitals"
  EXPECT_EQ(classify(facts), SubscriberKind::Individual);

  facts.common_name = "TRẦN";
  EXPECT_EQ(classify(facts), SubscriberKind::Organization);
}

TEST(SubscriberKindTest, UnknownWhenNothingMatches) {
  EXPECT_EQ(classify(SubscriberFacts{}), SubscriberKind::Unknown);
  EXPECT_EQ(classify(named("0123456789")), SubscriberKind::Unknown);
  EXPECT_EQ(classify(named("---")), SubscriberKind::Unknown);
}

TEST(SubscriberKindTest, ToleratesInvalidUtf8) {
  EXPECT_EQ(classify(named("\xff\xfe ABC")), SubscriberKind::Organization);
  EXPECT_EQ(classify(named("abc \xc3")), SubscriberKind::Individual);
  EXPECT_EQ(classify(named("\xe1\xbb")), SubscriberKind::Unknown);
}

TEST(SubscriberKindTest, ConfiguredPrefixesReplaceTheDefaults) {
  SubscriberKindRules rules;
  rules.organization_name_prefixes = {"HỢP TÁC XÃ"};

  EXPECT_EQ(rules.classify(named("HỢP TÁC XÃ Nông nghiệp Bình Minh")),
            SubscriberKind::Organization);
  EXPECT_EQ(rules.classify(named("UBND xã Bình Chương")), SubscriberKind::Individual);
  EXPECT_EQ(classify(named("UBND xã Bình Chương")), SubscriberKind::Organization);
}

TEST(SubscriberKindTest, ToStringAndParseRoundTrip) {
  for (SubscriberKind kind : {SubscriberKind::Individual, SubscriberKind::Organization,
                              SubscriberKind::Device, SubscriberKind::Unknown}) {
    SubscriberKind parsed =
        kind == SubscriberKind::Unknown ? SubscriberKind::Device : SubscriberKind::Unknown;
    ASSERT_TRUE(parseSubscriberKind(toString(kind), parsed)) << toString(kind);
    EXPECT_EQ(parsed, kind);
  }
  EXPECT_EQ(toString(SubscriberKind::Organization), "organization");

  SubscriberKind untouched = SubscriberKind::Device;
  EXPECT_FALSE(parseSubscriberKind("Individual", untouched));
  EXPECT_FALSE(parseSubscriberKind("", untouched));
  EXPECT_FALSE(parseSubscriberKind("organisation", untouched));
  EXPECT_EQ(untouched, SubscriberKind::Device);
}

}  // namespace
}  // namespace cks
