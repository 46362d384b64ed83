// The agency's identity on documents (issue 12, point 4): what the province gives, what
// agent.ini overrides, and what follows from the province.
#include "core/agency_identity.h"

#include <gtest/gtest.h>

namespace cks {
namespace {

TEST(AgencyIdentityTest, TheProvinceGivesTheBodyAboveThePlaceAndTheSo) {
  AgencyIdentity identity;
  identity.code = "H48.10.02";
  identity.name = "UBND phường Hải Châu";
  identity.province = provinceFullName("Đà Nẵng", "thành phố");
  const AgencyIdentity complete = completeIdentity(identity);
  EXPECT_EQ(complete.province, "thành phố Đà Nẵng");
  EXPECT_EQ(complete.parent_body, "UBND thành phố Đà Nẵng");
  EXPECT_EQ(complete.place, "Đà Nẵng");
  EXPECT_EQ(complete.department, "Sở Khoa học và Công nghệ thành phố Đà Nẵng");
  EXPECT_TRUE(missingIdentityFields(complete).empty());

  identity.province = "tỉnh Quảng Ngãi";
  identity.parent_body = "Sở Tài chính tỉnh Quảng Ngãi";  // a department's unit says its own
  const AgencyIdentity unit = completeIdentity(identity);
  EXPECT_EQ(unit.parent_body, "Sở Tài chính tỉnh Quảng Ngãi");
  EXPECT_EQ(unit.place, "Quảng Ngãi");
  EXPECT_EQ(provinceFullName("thành phố Huế", "thành phố"), "thành phố Huế");
  EXPECT_EQ(provinceFullName("Gia Lai", ""), "Gia Lai");
}

TEST(AgencyIdentityTest, WithoutAProvinceNothingIsGuessedAndTheUnknownFieldsAreNamed) {
  AgencyIdentity identity;
  identity.code = "H48.10.02";
  const AgencyIdentity complete = completeIdentity(identity);
  EXPECT_EQ(complete.parent_body, "");
  EXPECT_EQ(complete.place, "");
  EXPECT_EQ(complete.department, "");
  EXPECT_EQ(missingIdentityFields(complete),
            (std::vector<std::string>{"name", "parent_body", "province", "place", "department"}));
}

TEST(AgencyIdentityTest, AnOverrideWinsFieldByFieldAndEmptyOnesLeaveTheBase) {
  AgencyIdentity enrolled{"H48.10.02",
                          "UBND phường Hải Châu",
                          "UBND thành phố Đà Nẵng",
                          "thành phố Đà Nẵng",
                          "Đà Nẵng",
                          "Sở Khoa học và Công nghệ thành phố Đà Nẵng"};
  AgencyIdentity overrides;
  overrides.place = "Hải Châu";
  const AgencyIdentity merged = overlayIdentity(enrolled, overrides);
  EXPECT_EQ(merged.place, "Hải Châu");
  EXPECT_EQ(merged.name, "UBND phường Hải Châu");
  EXPECT_EQ(merged.department, enrolled.department);
}

}  // namespace
}  // namespace cks
