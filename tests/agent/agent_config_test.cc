#include "agent/agent_config.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace cks::agent {
namespace {

using namespace std::chrono_literals;

TEST(AgentConfigTest, ReadsEveryKeyAndResolvesRelativePathsAgainstTheFile) {
  test::TempDir dir;
  test::writeFile(dir.file("probe"), "#!/bin/sh\n");
  std::filesystem::permissions(dir.file("probe"), std::filesystem::perms::owner_all);
  test::writeFile(dir.file("vendor.so"), "");
  const std::string path = dir.file("agent.ini");
  test::writeFile(
      path,
      "\xEF\xBB\xBF; Notepad writes a BOM\n"
      "[agent]\nhost_name = PC-VANTHU\nlanguage = en\n"
      "[pkcs11]\nmodules = vendor.so , /usr/lib/softhsm/libsofthsm2.so\n"
      "probe_timeout = 1500ms\nprobe = probe\nuse_p11kit = yes\n"
      "[scan]\ninterval = 2m\nslot_events = off\n"
      "[expiry]\nexpiring_days = 60\n"
      "[classification]\norganization_name_prefixes = UBND, SỞ\n"
      "device_policy_oids = 1.2.3.4\n"
      "[store]\npath = data/agent.db\n"
      "[api]\nport = 9000\nsecret_file = api.secret\n"
      "[log]\nlevel = debug\nfile = agent.log\nrotation = 5 M\nkeep = 3\nsyslog = false\n");
  const auto config = loadAgentConfig(path);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->host_name, "PC-VANTHU");
  EXPECT_EQ(config->language, Language::English);
  ASSERT_EQ(config->modules.size(), 2u);
  EXPECT_EQ(config->modules[0], dir.file("vendor.so"));
  EXPECT_EQ(config->modules[1], "/usr/lib/softhsm/libsofthsm2.so");
  EXPECT_EQ(config->probe_timeout, 1500ms);
  EXPECT_EQ(config->probe_path, dir.file("probe"));
  EXPECT_TRUE(config->use_p11kit);
  EXPECT_EQ(config->scan_interval, 120s);
  EXPECT_FALSE(config->slot_events);
  EXPECT_EQ(config->expiring_days, 60);
  EXPECT_EQ(config->classification.organization_name_prefixes,
            (std::vector<std::string>{"UBND", "SỞ"}));
  EXPECT_EQ(config->classification.device_policy_oids, (std::vector<std::string>{"1.2.3.4"}));
  EXPECT_EQ(config->store_path, dir.file("data/agent.db"));
  EXPECT_EQ(config->api_port, 9000);
  EXPECT_EQ(config->api_secret_file, dir.file("api.secret"));
  EXPECT_EQ(config->log.level, "debug");
  EXPECT_EQ(config->log.file, dir.file("agent.log"));
  EXPECT_EQ(config->log.keep, 3);
  EXPECT_FALSE(config->log.syslog);
}

TEST(AgentConfigTest, DefaultsNeedOnlyTheModules) {
  test::TempDir dir;
  test::writeFile(dir.file("agent.ini"), "[pkcs11]\nmodules = /usr/lib/softhsm/libsofthsm2.so\n");
  const auto config = loadAgentConfig(dir.file("agent.ini"), FileChecks::Skip, Language::English);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->scan_interval, 300s);
  EXPECT_EQ(config->probe_timeout, 10s);
  EXPECT_EQ(config->language, Language::Vietnamese);
  EXPECT_EQ(config->expiring_days, 90);
  EXPECT_EQ(config->store_path, "/var/lib/cks/agent.db");
  EXPECT_FALSE(config->host_name.empty());
}

TEST(AgentConfigTest, SkippingFileChecksToleratesAMissingModule) {
  test::TempDir dir;
  test::writeFile(dir.file("agent.ini"), "[pkcs11]\nmodules = /nowhere/vendor.so\n");
  EXPECT_TRUE(loadAgentConfig(dir.file("agent.ini"), FileChecks::Skip, Language::English));
  const auto checked = loadAgentConfig(dir.file("agent.ini"), FileChecks::Check, Language::English);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message,
            dir.file("agent.ini") + ":2: [pkcs11] modules: /nowhere/vendor.so: no such file");
}

TEST(AgentConfigTest, AlertThresholdsAreReadAndCheckedWithTheirPlace) {
  test::TempDir dir;
  const std::string path = dir.file("agent.ini");
  test::writeFile(path,
                  "[pkcs11]\nmodules = /usr/lib/softhsm/libsofthsm2.so\n"
                  "[alerts]\nexpiry_thresholds = 45, 20, 5\nrenewal_lead = 90d\n"
                  "renewal_warning = 10\ntoken_not_seen = 365d\nclock_tolerance = 2m\n"
                  "hub_unreachable = 7d\n");
  const auto config = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->alerts.expiry_thresholds, (std::vector<int>{45, 20, 5}));
  EXPECT_EQ(config->alerts.renewal_lead, std::chrono::days(90));
  EXPECT_EQ(config->alerts.renewal_warning, std::chrono::days(10));
  EXPECT_EQ(config->alerts.token_not_seen, std::chrono::days(365));
  EXPECT_EQ(config->alerts.clock_tolerance, 120s);
  EXPECT_EQ(config->alerts.hub_unreachable, std::chrono::days(7));

  // The defaults of DOMAIN.md when the section is absent.
  test::writeFile(path, "[pkcs11]\nmodules = /usr/lib/softhsm/libsofthsm2.so\n");
  const auto defaults = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->alerts.expiry_thresholds, (std::vector<int>{90, 60, 30, 14, 7, 3, 1}));
  EXPECT_EQ(defaults->alerts.renewal_lead, std::chrono::days(60));

  for (const auto& [line, problem] : std::vector<std::pair<std::string, std::string>>{
           {"expiry_thresholds = 30, soon", "comma-separated numbers of days"},
           {"expiry_thresholds =", "comma-separated numbers of days"},
           {"renewal_lead = 0d", "a number of days from 1 to 3650"},
           {"clock_tolerance = 5s", "a duration of at least 30s"}}) {
    test::writeFile(
        path, "[pkcs11]\nmodules = /usr/lib/softhsm/libsofthsm2.so\n[alerts]\n" + line + "\n");
    const auto refused = loadAgentConfig(path, FileChecks::Skip, Language::English);
    ASSERT_FALSE(refused) << line;
    EXPECT_NE(refused.error().message.find(path + ":4: [alerts] " + line.substr(0, line.find(' '))),
              std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message.find(problem), std::string::npos) << refused.error().message;
  }
}

// The last day to file a renewal is one rule (issue 12: an alert advised a renewal that the
// request rules then refused): [requests] renewal_min_days_left, which the alerts follow;
// [alerts] renewal_lead, its former name, may not contradict it.
TEST(AgentConfigTest, TheRenewalDeadlineOfAlertsIsTheRequestRule) {
  test::TempDir dir;
  const std::string path = dir.file("agent.ini");
  const std::string modules = "[pkcs11]\nmodules = /usr/lib/softhsm/libsofthsm2.so\n";
  test::writeFile(path, modules + "[requests]\nrenewal_min_days_left = 45\n");
  auto config = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->alerts.renewal_lead, std::chrono::days(45));

  test::writeFile(path, modules + "[alerts]\nrenewal_lead = 75d\n");
  config = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->requests.renewal_min_days_left, 75);

  test::writeFile(
      path, modules + "[alerts]\nrenewal_lead = 90d\n[requests]\nrenewal_min_days_left = 60\n");
  const auto refused = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            path +
                ":4: [alerts] renewal_lead: differs from [requests] renewal_min_days_left "
                "(line 6); the renewal deadline is one rule: remove renewal_lead");
}

TEST(AgentConfigTest, RequestRulesDelegationsAndFormsAreReadAndCheckedWithTheirPlace) {
  test::TempDir dir;
  const std::string path = dir.file("agent.ini");
  const std::string modules = "[pkcs11]\nmodules = /usr/lib/softhsm/libsofthsm2.so\n";
  test::writeFile(path, modules +
                            "[requests]\nrenewal_min_days_left = 30\nmax_renewals = 2\n"
                            "delegation = renewal 2026-01-01..2026-12-31 QĐ 12/QĐ-UBND\n"
                            "delegation.2 = device_recovery 2026-01-01..\n"
                            "[forms]\nparent_body = UBND TỈNH GIA LAI\nplace = Gia Lai\n"
                            "signer = Trần Văn Bảy\n");
  const auto config = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->requests.renewal_min_days_left, 30);
  EXPECT_EQ(config->requests.max_renewals, 2);
  ASSERT_EQ(config->delegations.size(), 2u);
  EXPECT_EQ(config->delegations[0].kinds, std::vector<RequestKind>{RequestKind::Renewal});
  EXPECT_EQ(config->delegations[0].decision, "QĐ 12/QĐ-UBND");
  EXPECT_FALSE(config->delegations[1].until);
  EXPECT_EQ(config->form_parent_body, "UBND TỈNH GIA LAI");
  EXPECT_EQ(config->form_place, "Gia Lai");
  EXPECT_EQ(config->form_signer, "Trần Văn Bảy");
  // The deprecated [forms] keys are read as [agency]'s (issue 12, point 4).
  EXPECT_EQ(agencyOverrides(*config).parent_body, "UBND TỈNH GIA LAI");
  EXPECT_EQ(agencyOverrides(*config).place, "Gia Lai");

  // [agency] wins over [forms] where both say something; no province is assumed.
  test::writeFile(path, modules +
                            "[forms]\nplace = Gia Lai\nprovince_office = Sở KH&CN tỉnh Gia Lai\n"
                            "[agency]\nprovince = thành phố Đà Nẵng\nplace = Đà Nẵng\n"
                            "signer_title = CHỦ TỊCH\n");
  const auto agency = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_TRUE(agency) << agency.error().message;
  const AgencyIdentity overrides = agencyOverrides(*agency);
  EXPECT_EQ(overrides.province, "thành phố Đà Nẵng");
  EXPECT_EQ(overrides.place, "Đà Nẵng");
  EXPECT_EQ(overrides.department, "Sở KH&CN tỉnh Gia Lai");
  EXPECT_EQ(overrides.parent_body, "");
  EXPECT_EQ(agency->signer_title, "CHỦ TỊCH");

  // Without the section: the default delegation, the same one the hub assumes.
  test::writeFile(path, modules);
  const auto defaults = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->delegations.size(), defaultDelegations().size());
  test::writeFile(path, modules + "[requests]\ndelegation = none\n");
  EXPECT_TRUE(loadAgentConfig(path, FileChecks::Skip, Language::English)->delegations.empty());

  test::writeFile(path, modules + "[requests]\ndelegation = renewal 2026-13-01..\n");
  const auto refused = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find(path + ":4: [requests] delegation: "), std::string::npos)
      << refused.error().message;
  // A misspelt identity key stops the agent naming it (an empty one means "as enrolled").
  test::writeFile(path, modules + "[agency]\nprovinse = thành phố Đà Nẵng\n");
  const auto misspelt = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_FALSE(misspelt);
  EXPECT_NE(misspelt.error().message.find(path + ":4: [agency] provinse"), std::string::npos)
      << misspelt.error().message;
}

TEST(AgentConfigTest, TheReportScheduleIsReadAndCheckedWithItsPlace) {
  test::TempDir dir;
  const std::string path = dir.file("agent.ini");
  const std::string modules = "[pkcs11]\nmodules = /usr/lib/softhsm/libsofthsm2.so\n";
  test::writeFile(path, modules);
  const auto defaults = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->report.remind_from, std::chrono::December / 1);
  EXPECT_EQ(defaults->report.deadline, std::chrono::December / 31);
  EXPECT_TRUE(defaults->report.reminder);

  test::writeFile(path,
                  modules + "[report]\nremind_from = 11-15\ndeadline = 01-20\nreminder = no\n");
  const auto backwards = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_FALSE(backwards) << "a deadline before the reminder starts is refused";
  EXPECT_NE(backwards.error().message.find(path + ":5: [report] deadline: "), std::string::npos)
      << backwards.error().message;

  test::writeFile(path,
                  modules + "[report]\nremind_from = 11-15\ndeadline = 12-20\nreminder = no\n");
  const auto config = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->report.remind_from, std::chrono::November / 15);
  EXPECT_EQ(config->report.deadline, std::chrono::December / 20);
  EXPECT_FALSE(config->report.reminder);

  test::writeFile(path, modules + "[report]\nremind_from = 02-30\n");
  const auto refused = loadAgentConfig(path, FileChecks::Skip, Language::English);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find(path + ":4: [report] remind_from: "), std::string::npos)
      << refused.error().message;
}

TEST(AgentConfigTest, DurationsAcceptTheUsualUnits) {
  std::chrono::milliseconds d{};
  ASSERT_TRUE(parseDuration("250ms", d));
  EXPECT_EQ(d, 250ms);
  ASSERT_TRUE(parseDuration("10s", d));
  EXPECT_EQ(d, 10s);
  ASSERT_TRUE(parseDuration("5m", d));
  EXPECT_EQ(d, 5min);
  ASSERT_TRUE(parseDuration("2h", d));
  EXPECT_EQ(d, 2h);
  ASSERT_TRUE(parseDuration("1d", d));
  EXPECT_EQ(d, 24h);
  ASSERT_TRUE(parseDuration("30", d));
  EXPECT_EQ(d, 30s);
  EXPECT_FALSE(parseDuration("", d));
  EXPECT_FALSE(parseDuration("m", d));
  EXPECT_FALSE(parseDuration("5 weeks", d));
  EXPECT_FALSE(parseDuration("-5s", d));
}

}  // namespace
}  // namespace cks::agent
