// The merger rules of seed 004 on an inventory: the guidance's two examples give exactly the
// batch it prescribes (four wards without a surviving name; two communes keeping one name),
// the officer's choice of certificate, tokens long unused, expired and foreign certificates,
// device certificates left to a person, names spelt differently, and plans that cannot be made.
#include "core/merger.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <stdexcept>

namespace cks {
namespace {

using namespace std::chrono_literals;
constexpr auto kDay = std::chrono::hours(24);
const TimePoint kNow = std::chrono::sys_days{2026y / std::chrono::November / 22} + 2h;

int serial = 0;

// A certificate of `kind` for `cn` at unit `ou` (personal) on its own token, seen today.
InventoryCertificate certificate(SubscriberKind kind, const std::string& cn,
                                 const std::string& ou = "",
                                 TimePoint not_after = kNow + 400 * kDay,
                                 TimePoint last_seen = kNow - kDay) {
  InventoryCertificate c;
  char n[9];
  std::snprintf(n, sizeof n, "%08x", ++serial);
  c.certificate.fingerprint_sha256 = n + std::string(56, 'a');
  c.certificate.kind = kind;
  c.certificate.common_name = cn;
  c.certificate.organization = "UBND TỈNH QUẢNG NGÃI";
  if (!ou.empty()) c.certificate.organizational_units = {ou, "UBND tỉnh Quảng Ngãi"};
  c.certificate.not_before = not_after - 3 * 365 * kDay;
  c.certificate.not_after = not_after;
  c.token_serial = std::string("TK") + n;
  c.present = true;
  c.last_seen = last_seen;
  return c;
}

InventoryCertificate organization(const std::string& cn) {
  return certificate(SubscriberKind::Organization, cn);
}
InventoryCertificate person(const std::string& cn, const std::string& unit) {
  return certificate(SubscriberKind::Individual, cn, unit);
}

// What the plan does to each certificate, by CN: "keep", "change:<case>=<value>",
// "revoke:<reason>", "review".
std::map<std::string, std::string> outcome(const MergerPlan& plan) {
  std::map<std::string, std::string> out;
  for (const MergerItem& item : plan.items) {
    std::string what(toString(item.action));
    if (item.request && item.request->kind == RequestKind::ChangeOfInformation) {
      const auto& fields = item.request->fields;
      what += ":" + std::string(toString(*item.request->change_case)) + "=" +
              (fields.count("name") ? fields.at("name") : fields.at("agency"));
    } else if (item.request && item.request->kind == RequestKind::Revocation) {
      what += ":" + std::string(toString(*item.request->revocation_reason));
    }
    out[item.certificate.certificate.common_name] = what;
  }
  return out;
}

const MergerItem& itemOf(const MergerPlan& plan, const std::string& cn) {
  for (const MergerItem& item : plan.items) {
    if (item.certificate.certificate.common_name == cn) return item;
  }
  throw std::runtime_error("no item for " + cn);
}

// Seed 004 II.1(b): Nguyễn Nghiêm, Trần Hưng Đạo, Nghĩa Chánh and Chánh Lộ become phường Cẩm
// Thành; no name survives.
Merger camThanh() {
  return {"",
          {"H21.01.20", "UBND phường Cẩm Thành"},
          {{"H21.01.01", "UBND phường Nguyễn Nghiêm"},
           {"H21.01.02", "UBND phường Trần Hưng Đạo"},
           {"H21.01.03", "UBND phường Nghĩa Chánh"},
           {"H21.01.04", "UBND phường Chánh Lộ"}},
          "",
          ""};
}

std::vector<InventoryCertificate> fourWards() {
  return {organization("UBND PHƯỜNG NGUYỄN NGHIÊM"),
          organization("UBND PHƯỜNG TRẦN HƯNG ĐẠO"),
          organization("UBND PHƯỜNG NGHĨA CHÁNH"),
          organization("UBND PHƯỜNG CHÁNH LỘ"),
          person("Nguyễn Thị Ánh Tuyết", "UBND phường Nguyễn Nghiêm"),
          person("Trần Văn Bình", "UBND phường Trần Hưng Đạo"),
          person("Lê Thị Hoa", "UBND phường Nghĩa Chánh"),
          person("Phạm Minh Đức", "UBND phường Chánh Lộ"),
          person("Võ Thành Nam", "UBND phường Chánh Lộ")};
}

TEST(MergerTest, FourWardsWithoutSurvivingNameChangeTheFirstAndRevokeTheRest) {
  const auto certificates = fourWards();
  const auto planning = planMerger(camThanh(), certificates, {}, kNow);
  ASSERT_TRUE(planning.refusals.empty());
  const MergerPlan& plan = planning.plan;
  EXPECT_EQ(plan.surviving_unit, "");
  const std::map<std::string, std::string> expected{
      {"UBND PHƯỜNG NGUYỄN NGHIÊM", "change:organization_name=UBND phường Cẩm Thành"},
      {"UBND PHƯỜNG TRẦN HƯNG ĐẠO", "revoke:unit_reorganized"},
      {"UBND PHƯỜNG NGHĨA CHÁNH", "revoke:unit_reorganized"},
      {"UBND PHƯỜNG CHÁNH LỘ", "revoke:unit_reorganized"},
      {"Nguyễn Thị Ánh Tuyết", "change:individual_agency=UBND phường Cẩm Thành"},
      {"Trần Văn Bình", "change:individual_agency=UBND phường Cẩm Thành"},
      {"Lê Thị Hoa", "change:individual_agency=UBND phường Cẩm Thành"},
      {"Phạm Minh Đức", "change:individual_agency=UBND phường Cẩm Thành"},
      {"Võ Thành Nam", "change:individual_agency=UBND phường Cẩm Thành"},
  };
  EXPECT_EQ(outcome(plan), expected);
  const MergerItem& chosen = itemOf(plan, "UBND PHƯỜNG NGUYỄN NGHIÊM");
  EXPECT_EQ(chosen.why, MergerWhy::Chosen);
  EXPECT_EQ(chosen.unit, "H21.01.01");
  EXPECT_EQ(chosen.request->fields.at("agency_code"), "H21.01.20");
  EXPECT_EQ(itemOf(plan, "Võ Thành Nam").unit, "H21.01.04");
  EXPECT_EQ(itemOf(plan, "UBND PHƯỜNG CHÁNH LỘ").why, MergerWhy::OtherUnit);
  for (const MergerItem& item : plan.items) {
    EXPECT_TRUE(item.include);
    ASSERT_TRUE(item.request);
    EXPECT_EQ(item.request->fingerprint_sha256, item.certificate.certificate.fingerprint_sha256);
    EXPECT_EQ(item.request->token_serial, item.certificate.token_serial);
  }
  EXPECT_TRUE(plan.warnings.empty());
  EXPECT_TRUE(plan.unmatched.empty());
}

TEST(MergerTest, TheOfficerMayChooseAnotherWardsCertificate) {
  const auto certificates = fourWards();
  Merger merger = camThanh();
  merger.keep = certificates[1].certificate.fingerprint_sha256.substr(0, 8);  // a prefix will do
  const auto planning = planMerger(merger, certificates, {}, kNow);
  ASSERT_TRUE(planning.refusals.empty());
  const auto out = outcome(planning.plan);
  EXPECT_EQ(out.at("UBND PHƯỜNG TRẦN HƯNG ĐẠO"), "change:organization_name=UBND phường Cẩm Thành");
  EXPECT_EQ(out.at("UBND PHƯỜNG NGUYỄN NGHIÊM"), "revoke:unit_reorganized");
}

// Seed 004 II.1(a): Bình Mỹ and Bình Chương merge and keep the name Bình Chương.
Merger binhChuong() {
  return {"",
          {"H21.09.20", "UBND xã Bình Chương"},
          {{"H21.09.01", "UBND xã Bình Mỹ"}, {"H21.09.02", "UBND xã Bình Chương"}},
          "",
          ""};
}

TEST(MergerTest, TwoCommunesKeepingOneNameKeepItsCertificateAndRevokeTheOther) {
  const std::vector<InventoryCertificate> certificates{
      organization("UBND XÃ BÌNH MỸ"),
      organization("Ủy ban nhân dân xã Bình Chương"),  // spelt out: still the same unit
      person("Đặng Bảo Hy", "UBND xã Bình Mỹ"),
      person("Vy Tú Đình", "UBND XÃ BÌNH CHƯƠNG"),
  };
  const auto planning = planMerger(binhChuong(), certificates, {}, kNow);
  ASSERT_TRUE(planning.refusals.empty());
  EXPECT_EQ(planning.plan.surviving_unit, "H21.09.02");
  const std::map<std::string, std::string> expected{
      {"UBND XÃ BÌNH MỸ", "revoke:unit_reorganized"},
      {"Ủy ban nhân dân xã Bình Chương", "keep"},
      {"Đặng Bảo Hy", "change:individual_agency=UBND xã Bình Chương"},
      {"Vy Tú Đình", "keep"},
  };
  EXPECT_EQ(outcome(planning.plan), expected);
  EXPECT_EQ(itemOf(planning.plan, "Ủy ban nhân dân xã Bình Chương").why, MergerWhy::SurvivingName);
  EXPECT_EQ(itemOf(planning.plan, "Vy Tú Đình").why, MergerWhy::PersonalSameUnit);
}

TEST(MergerTest, UnusedExpiredForeignAndDeviceCertificatesAreSetApart) {
  std::vector<InventoryCertificate> certificates{
      organization("UBND XÃ BÌNH MỸ"),
      organization("UBND XÃ BÌNH CHƯƠNG"),
      certificate(SubscriberKind::Individual, "Người Cũ", "UBND xã Bình Mỹ", kNow + 400 * kDay,
                  kNow - 200 * kDay),
      certificate(SubscriberKind::Individual, "Hết Hạn", "UBND xã Bình Mỹ", kNow - kDay),
      certificate(SubscriberKind::Device, "Cổng thông tin xã Bình Mỹ", "UBND xã Bình Mỹ"),
      person("Người Sở Khác", "Sở Tư pháp"),
  };
  const auto planning = planMerger(binhChuong(), certificates, {}, kNow);
  ASSERT_TRUE(planning.refusals.empty());
  const auto out = outcome(planning.plan);
  EXPECT_EQ(out.at("Người Cũ"), "revoke:no_longer_needed");
  EXPECT_EQ(itemOf(planning.plan, "Người Cũ").why, MergerWhy::Unused);
  EXPECT_EQ(out.at("Cổng thông tin xã Bình Mỹ"), "review");
  EXPECT_FALSE(itemOf(planning.plan, "Cổng thông tin xã Bình Mỹ").include);
  EXPECT_FALSE(itemOf(planning.plan, "Cổng thông tin xã Bình Mỹ").request);
  EXPECT_EQ(out.count("Hết Hạn"), 0u);
  ASSERT_EQ(planning.plan.expired.size(), 1u);
  EXPECT_EQ(planning.plan.expired[0].certificate.common_name, "Hết Hạn");
  ASSERT_EQ(planning.plan.unmatched.size(), 1u);
  EXPECT_EQ(planning.plan.unmatched[0].certificate.common_name, "Người Sở Khác");

  // With a longer threshold the same holder is simply moved to the new unit.
  const auto patient = planMerger(binhChuong(), certificates, {365}, kNow);
  EXPECT_EQ(outcome(patient.plan).at("Người Cũ"), "change:individual_agency=UBND xã Bình Chương");
}

TEST(MergerTest, AUnitWithoutOrganisationCertificateIsAWarning) {
  const std::vector<InventoryCertificate> certificates{organization("UBND XÃ BÌNH CHƯƠNG"),
                                                       person("Đặng Bảo Hy", "UBND xã Bình Mỹ")};
  const auto planning = planMerger(binhChuong(), certificates, {}, kNow);
  ASSERT_TRUE(planning.refusals.empty());
  ASSERT_EQ(planning.plan.warnings.size(), 1u);
  EXPECT_EQ(planning.plan.warnings[0].key, "merger.no_organization_certificate");
  EXPECT_EQ(planning.plan.warnings[0].text(Language::Vietnamese),
            "Không thấy chứng thư số tổ chức còn hạn của UBND xã Bình Mỹ (H21.09.01) — nếu có, "
            "hãy cắm token vào máy này rồi lập lại kế hoạch");
}

TEST(MergerTest, PlansThatCannotBeMadeSayWhy) {
  const auto certificates = fourWards();
  Merger bad = camThanh();
  bad.into.code = "h21.01";
  bad.from[1].name = " ";
  bad.from.push_back(bad.from[0]);
  const auto planning = planMerger(bad, certificates, {}, kNow);
  std::vector<std::string> keys;
  for (const auto& refusal : planning.refusals) keys.push_back(refusal.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"merger.code_invalid", "merger.unit_name_missing",
                                            "merger.code_repeated"}));
  EXPECT_EQ(planning.refusals[1].text(Language::English),
            "The name of unit H21.01.02 is not known: write --from \"H21.01.02=Unit name\" (as "
            "the certificates spell it)");
  EXPECT_TRUE(planning.plan.items.empty());

  Merger empty = camThanh();
  empty.from.clear();
  EXPECT_EQ(planMerger(empty, certificates, {}, kNow).refusals.at(0).key, "merger.from_missing");

  Merger keep = camThanh();
  keep.keep = certificates[4].certificate.fingerprint_sha256;  // a person, not an organisation
  const auto refused = planMerger(keep, certificates, {}, kNow);
  ASSERT_EQ(refused.refusals.size(), 1u);
  EXPECT_EQ(refused.refusals[0].key, "merger.keep_unknown");

  Merger vague = camThanh();
  vague.keep = "0000000";  // too short to be a prefix: said so, not "unknown"
  EXPECT_EQ(planMerger(vague, certificates, {}, kNow).refusals.at(0).key,
            "requests.cert_malformed");
}

TEST(MergerTest, UnitNamesFoldCaseSpacingAndTheLongFormOfUbnd) {
  EXPECT_EQ(foldUnitName("UBND XÃ BÌNH CHƯƠNG"), foldUnitName("UBND xã Bình Chương"));
  EXPECT_EQ(foldUnitName("Ủy ban nhân dân  xã Bình Chương "), foldUnitName("UBND xã Bình Chương"));
  EXPECT_EQ(foldUnitName("UỶ BAN NHÂN DÂN PHƯỜNG ĐỨC PHỔ"), "ubnd phường đức phổ");
  EXPECT_NE(foldUnitName("UBND xã Bình Mỹ"), foldUnitName("UBND xã Bình My"));
}

}  // namespace
}  // namespace cks
