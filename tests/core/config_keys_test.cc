#include "core/config_keys.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cks {
namespace {

struct Rules {
  RequestPolicy policy;
};

// A configuration with the shapes agent.ini and hub.ini have: nested fields and shared sections.
struct TestConfig {
  std::string name;
  std::string folder;
  Rules rules;
  TimeZone zone = vietnamTimeZone();
  int expiring_days = 90;
};

IniEntry entry(std::string section, std::string key, std::string value, int line = 3) {
  return {std::move(section), std::move(key), std::move(value), line};
}

Status apply(const ConfigSchema<TestConfig>& schema, const IniEntry& e, TestConfig& config) {
  return applyConfigEntry(schema, "/etc/cks/test.ini", e, config, Language::English);
}

ConfigSchema<TestConfig> schema() {
  const auto resolve = [](const std::string& v) { return "/etc/cks/" + v; };
  return {{"main",
           {{"name", textKey<TestConfig>(configField(&TestConfig::name), {"config.expect.name"})},
            {"folder", pathKey<TestConfig>(configField(&TestConfig::folder), resolve,
                                           {"config.expect.folder"})},
            {"recovery_working_days",
             workingDaysKey<TestConfig>(configField(&TestConfig::rules, &Rules::policy),
                                        &RequestPolicy::recovery_working_days)}}},
          {"display", displaySection(&TestConfig::zone)},
          {"expiry", expirySection(&TestConfig::expiring_days)}};
}

TEST(ConfigKeysTest, ConfigFieldReachesNestedMembers) {
  TestConfig config;
  configField(&TestConfig::rules, &Rules::policy, &RequestPolicy::handover_working_days)(config) =
      9;
  EXPECT_EQ(config.rules.policy.handover_working_days, 9);
}

TEST(ConfigKeysTest, TextAndPathKeysStoreTheirValue) {
  TestConfig config;
  ASSERT_TRUE(apply(schema(), entry("main", "name", "UBND xã Bình Chương"), config));
  EXPECT_EQ(config.name, "UBND xã Bình Chương");
  ASSERT_TRUE(apply(schema(), entry("main", "folder", "hub"), config));
  EXPECT_EQ(config.folder, "/etc/cks/hub");
  const auto refused = apply(schema(), entry("main", "folder", ""), config);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "/etc/cks/test.ini:3: [main] folder: bad value \"\" (expected a folder path)");
}

TEST(ConfigKeysTest, WorkingDaysAreOneToSixty) {
  TestConfig config;
  ASSERT_TRUE(apply(schema(), entry("main", "recovery_working_days", "60"), config));
  EXPECT_EQ(config.rules.policy.recovery_working_days, 60);
  const auto refused = apply(schema(), entry("main", "recovery_working_days", "61"), config);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "/etc/cks/test.ini:3: [main] recovery_working_days: bad value \"61\" (expected a "
            "number of working days from 1 to 60)");
}

TEST(ConfigKeysTest, DisplayAndExpirySections) {
  TestConfig config;
  ASSERT_TRUE(apply(schema(), entry("expiry", "expiring_days", "30"), config));
  EXPECT_EQ(config.expiring_days, 30);
  EXPECT_FALSE(apply(schema(), entry("expiry", "expiring_days", "0"), config));
  ASSERT_TRUE(apply(schema(), entry("display", "time_zone", "+05:00"), config));
  EXPECT_FALSE(apply(schema(), entry("display", "time_zone", "Mars/Olympus"), config));
}

TEST(ConfigKeysTest, ListItemsAreTheNameOrNameDotAnything) {
  EXPECT_TRUE(isConfigListItem(entry("requests", "holiday", ""), "requests", "holiday"));
  EXPECT_TRUE(isConfigListItem(entry("requests", "holiday.tet", ""), "requests", "holiday"));
  EXPECT_FALSE(isConfigListItem(entry("requests", "holidays", ""), "requests", "holiday"));
  EXPECT_FALSE(isConfigListItem(entry("report", "holiday", ""), "requests", "holiday"));
  EXPECT_FALSE(isConfigListItem(entry("requests", "holi", ""), "requests", "holiday"));
}

TEST(ConfigKeysTest, FirstDelegationReplacesTheDefaultsAndNoneLeavesNone) {
  std::vector<Delegation> delegations = defaultDelegations();
  ASSERT_FALSE(delegations.empty());
  DelegationList list(delegations);
  const auto first = entry("requests", "delegation", "renewal 2026-01-01..2026-12-31 QĐ 1");
  ASSERT_TRUE(DelegationList::holds(first));
  ASSERT_TRUE(list.read("/etc/cks/hub.ini", first, Language::English));
  ASSERT_EQ(delegations.size(), 1u);
  EXPECT_EQ(delegations[0].decision, "QĐ 1");
  ASSERT_TRUE(
      list.read("/etc/cks/hub.ini", entry("requests", "delegation.2", "none"), Language::English));
  EXPECT_EQ(delegations.size(), 1u);  // only the first item clears

  std::vector<Delegation> none = defaultDelegations();
  DelegationList only_none(none);
  ASSERT_TRUE(only_none.read("/etc/cks/hub.ini", entry("requests", "delegation", "none"),
                             Language::English));
  EXPECT_TRUE(none.empty());
}

TEST(ConfigKeysTest, RefusedDelegationSaysWhyAtItsPlace) {
  std::vector<Delegation> delegations;
  DelegationList list(delegations);
  const auto refused = list.read("/etc/cks/hub.ini", entry("requests", "delegation.x", "often", 7),
                                 Language::English);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.rfind(
                "/etc/cks/hub.ini:7: [requests] delegation.x: bad value \"often\": ", 0),
            0u)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("(expected KIND[,KIND…]"), std::string::npos);
}

TEST(ConfigKeysTest, TakeConfigNumberLeavesTheUnit) {
  long long value = 0;
  std::string_view text = "30 s";
  ASSERT_TRUE(takeConfigNumber(text, 9, value));
  EXPECT_EQ(value, 30);
  EXPECT_EQ(text, " s");
  text = "1234567890";
  ASSERT_TRUE(takeConfigNumber(text, 4, value));
  EXPECT_EQ(value, 1234);
  EXPECT_EQ(text, "567890");
  text = "s30";
  EXPECT_FALSE(takeConfigNumber(text, 9, value));
}

}  // namespace
}  // namespace cks
