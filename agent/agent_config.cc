#include "agent/agent_config.h"

#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>

#include "common/config_file.h"
#include "core/config_keys.h"
#include "core/config_schema.h"
#include "core/ini_document.h"
#include "platform/host.h"
#include "sync/client/proxy_setting.h"

namespace cks::agent {
namespace {

namespace fs = std::filesystem;

// A bare address such as vanthu@binhchuong.quangngai.gov.vn (no display name, no spaces).
bool validMailAddress(const std::string& text) {
  const auto at = text.find('@');
  if (at == 0 || at == std::string::npos || at + 1 == text.size()) return false;
  if (text.find('@', at + 1) != std::string::npos) return false;
  return text.find_first_of(" \t,;:<>()[]\"\\") == std::string::npos;
}

bool parseMailList(const std::string& text, std::vector<std::string>& out) {
  std::vector<std::string> addresses = splitConfigList(text);
  for (const auto& address : addresses) {
    if (!validMailAddress(address)) return false;
  }
  out = std::move(addresses);
  return true;
}

// "07:30" or "7:30": minutes after local midnight.
bool parseTimeOfDay(const std::string& text, std::chrono::minutes& out) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 2 || text.size() != colon + 3) {
    return false;
  }
  int hours = 0;
  int minutes = 0;
  if (!parseConfigInt(text.substr(0, colon), 0, 23, hours) ||
      !parseConfigInt(text.substr(colon + 1), 0, 59, minutes)) {
    return false;
  }
  out = std::chrono::minutes(hours * 60 + minutes);
  return true;
}

bool isLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string defaultHostName() { return platform::hostName(); }

std::string defaultProbePath() {
  return (fs::path(platform::executablePath()).parent_path() / "cks-p11probe").string();
}

using KeySpec = ConfigKey<AgentConfig>;

}  // namespace

bool parseMonthDay(std::string_view text, std::chrono::month_day& out) {
  int month = 0;
  int day = 0;
  if (text.size() != 5 || text[2] != '-' ||
      !parseConfigInt(std::string(text.substr(0, 2)), 1, 12, month) ||
      !parseConfigInt(std::string(text.substr(3, 2)), 1, 31, day)) {
    return false;
  }
  const std::chrono::month_day parsed{std::chrono::month(unsigned(month)),
                                      std::chrono::day(unsigned(day))};
  // 29 February would name no day in most years.
  if (!parsed.ok() || parsed == std::chrono::February / 29) return false;
  out = parsed;
  return true;
}

Result<AgentConfig> loadAgentConfig(const std::string& path, FileChecks checks, Language language) {
  auto doc = common::readConfigFile(path, language);
  if (!doc) return tl::unexpected(doc.error());
  // Errors from here on are in the file's own language when it names one.
  language = configLanguage(*doc, "agent", "language", language);

  const ConfigPathResolver resolve = common::resolverNextTo(path);
  auto duration = [](std::chrono::milliseconds low, auto&& store) {
    return [low, store](const std::string& v, AgentConfig& c) {
      std::chrono::milliseconds d;
      if (!parseDuration(v, d) || d < low) return false;
      store(c, d);
      return true;
    };
  };
  auto boolean = [](bool AgentConfig::*member) {
    return [member](const std::string& v, AgentConfig& c) { return parseConfigBool(v, c.*member); };
  };
  // A number of days, written "60" or "60d".
  auto day_count = [](int low, int high, std::chrono::days AlertPolicy::*member) {
    return [low, high, member](const std::string& v, AgentConfig& c) {
      std::string number = v;
      if (!number.empty() && number.back() == 'd') number.pop_back();
      int count = 0;
      if (!parseConfigInt(number, low, high, count)) return false;
      c.alerts.*member = std::chrono::days(count);
      return true;
    };
  };
  auto oid_list = [](std::vector<std::string> SubscriberKindRules::*member) {
    return [member](const std::string& v, AgentConfig& c) {
      for (const auto& oid : splitConfigList(v)) {
        if (oid.find_first_not_of("0123456789.") != std::string::npos) return false;
      }
      c.classification.*member = splitConfigList(v);
      return true;
    };
  };

  auto text = [](std::string AgentConfig::*member, std::string_view hint) {
    return textKey<AgentConfig>(configField(member), {hint});
  };
  auto agency_text = [](std::string AgencyIdentity::*member, std::string_view hint) {
    return textKey<AgentConfig>(configField(&AgentConfig::agency, member), {hint});
  };
  auto path_key = [&](std::string AgentConfig::*member, std::string_view hint) {
    return pathKey<AgentConfig>(configField(member), resolve, {hint});
  };
  const auto policy = configField(&AgentConfig::requests);

  bool email_language_set = false;
  auto mail_list = [](std::vector<std::string> EmailSettings::*member) {
    return [member](const std::string& v, AgentConfig& c) {
      return parseMailList(v, c.email.*member);
    };
  };
  auto mail_rule = [](Severity severity) {
    return [severity](const std::string& v, AgentConfig& c) {
      return parseMailList(v, c.email.at_least[severity]);
    };
  };
  std::map<std::string, KeySpec> email_keys = {
      {"server",
       {[](const std::string& v, AgentConfig& c) {
          if (v.find_first_of(" \t/:@") != std::string::npos && v != "::1") return false;
          c.email.server = v;
          return true;
        },
        {"config.expect.smtp_server"}}},
      {"port",
       {[](const std::string& v, AgentConfig& c) {
          return parseConfigInt(v, 1, 65535, c.email.port);
        },
        {"config.expect.mail_port"}}},
      {"security",
       {[](const std::string& v, AgentConfig& c) {
          static const std::map<std::string, EmailSettings::Security> kModes = {
              {"starttls", EmailSettings::Security::StartTls},
              {"tls", EmailSettings::Security::Tls},
              {"none", EmailSettings::Security::None}};
          const auto mode = kModes.find(v);
          return mode != kModes.end() && (c.email.security = mode->second, true);
        },
        {"config.expect.mail_security"}}},
      {"user",
       {[](const std::string& v, AgentConfig& c) { return c.email.user = v, true; },
        {"config.expect.smtp_user"}}},
      {"password_file",
       {[&](const std::string& v, AgentConfig& c) {
          return c.email.password_file = v.empty() ? v : resolve(v), true;
        },
        {"config.expect.password_file"}}},
      {"from",
       {[](const std::string& v, AgentConfig& c) {
          return validMailAddress(v) && (c.email.from = v, true);
        },
        {"config.expect.mail_address"}}},
      {"to", {mail_list(&EmailSettings::to), {"config.expect.mail_list"}}},
      {"to_info", {mail_rule(Severity::Info), {"config.expect.mail_list"}}},
      {"to_warning", {mail_rule(Severity::Warning), {"config.expect.mail_list"}}},
      {"to_critical", {mail_rule(Severity::Critical), {"config.expect.mail_list"}}},
      {"digest_time",
       {[](const std::string& v, AgentConfig& c) { return parseTimeOfDay(v, c.email.digest_time); },
        {"config.expect.local_time", {"07:30"}}}},
      {"ca_file",
       {[&](const std::string& v, AgentConfig& c) {
          return c.email.ca_file = v.empty() ? v : resolve(v), true;
        },
        {"config.expect.mail_ca_file"}}},
      {"language",
       {[&](const std::string& v, AgentConfig& c) {
          return parseLanguage(v, c.email.language) && (email_language_set = true);
        },
        {"config.expect.language"}}},
      {"timeout",
       {duration(std::chrono::seconds(1),
                 [](AgentConfig& c, std::chrono::milliseconds d) {
                   c.email.timeout = std::chrono::duration_cast<std::chrono::seconds>(d);
                 }),
        {"config.expect.duration", {"1s", "30s"}}}},
  };
  for (const AlertKind kind : allAlertKinds()) {
    email_keys["to." + std::string(toString(kind))] = {
        [kind](const std::string& v, AgentConfig& c) {
          return parseMailList(v, c.email.kinds[kind]);
        },
        {"config.expect.mail_list"}};
  }

  const ConfigSchema<AgentConfig> schema = {
      {"agent",
       {{"host_name",
         {[](const std::string& v, AgentConfig& c) {
            return !v.empty() && (c.host_name = v, true);
          },
          {"config.expect.name"}}},
        {"language",
         {[](const std::string& v, AgentConfig& c) { return parseLanguage(v, c.language); },
          {"config.expect.language"}}}}},
      {"display", displaySection(&AgentConfig::display_zone)},
      {"pkcs11",
       {{"modules",
         {[&](const std::string& v, AgentConfig& c) {
            c.modules.clear();
            for (const auto& m : splitConfigList(v)) c.modules.push_back(resolve(m));
            return true;
          },
          {"config.expect.modules"}}},
        {"use_p11kit", {boolean(&AgentConfig::use_p11kit), {"config.expect.bool"}}},
        {"probe_timeout",
         {duration(std::chrono::milliseconds(100),
                   [](AgentConfig& c, std::chrono::milliseconds d) { c.probe_timeout = d; }),
          {"config.expect.duration", {"100ms", "10s"}}}},
        {"probe", path_key(&AgentConfig::probe_path, "config.expect.probe")}}},
      {"scan",
       {{"interval",
         {duration(std::chrono::seconds(5),
                   [](AgentConfig& c, std::chrono::milliseconds d) {
                     c.scan_interval = std::chrono::duration_cast<std::chrono::seconds>(d);
                   }),
          {"config.expect.duration", {"5s", "5m"}}}},
        {"slot_events", {boolean(&AgentConfig::slot_events), {"config.expect.bool"}}}}},
      {"expiry", expirySection(&AgentConfig::expiring_days)},
      {"alerts",
       {{"expiry_thresholds",
         {[](const std::string& v, AgentConfig& c) {
            std::vector<int> days;
            for (const auto& item : splitConfigList(v)) {
              int day = 0;
              if (!parseConfigInt(item, 1, 3650, day)) return false;
              days.push_back(day);
            }
            if (days.empty()) return false;
            c.alerts.expiry_thresholds = days;
            return true;
          },
          {"config.expect.thresholds"}}},
        {"renewal_lead",
         {day_count(1, 3650, &AlertPolicy::renewal_lead),
          {"config.expect.days_eg", {"1", "3650", "60d"}}}},
        {"renewal_warning",
         {day_count(1, 365, &AlertPolicy::renewal_warning),
          {"config.expect.days_eg", {"1", "365", "14d"}}}},
        {"token_not_seen",
         {day_count(1, 3650, &AlertPolicy::token_not_seen),
          {"config.expect.days_eg", {"1", "3650", "180d"}}}},
        {"hub_unreachable",
         {day_count(1, 365, &AlertPolicy::hub_unreachable),
          {"config.expect.days_eg", {"1", "365", "3d"}}}},
        {"agent_certificate",
         {day_count(1, 3650, &AlertPolicy::agent_certificate),
          {"config.expect.days_eg", {"1", "3650", "30d"}}}},
        {"clock_tolerance",
         {duration(std::chrono::seconds(30),
                   [](AgentConfig& c, std::chrono::milliseconds d) {
                     c.alerts.clock_tolerance = std::chrono::duration_cast<std::chrono::seconds>(d);
                   }),
          {"config.expect.duration", {"30s", "5m"}}}}}},
      {"email", email_keys},
      {"agency",
       {{"code", agency_text(&AgencyIdentity::code, "config.expect.agency_code")},
        {"name", agency_text(&AgencyIdentity::name, "config.expect.agency_name")},
        {"parent_body", agency_text(&AgencyIdentity::parent_body, "config.expect.parent_body")},
        {"province", agency_text(&AgencyIdentity::province, "config.expect.province")},
        {"place", agency_text(&AgencyIdentity::place, "config.expect.place")},
        {"department", agency_text(&AgencyIdentity::department, "config.expect.department")},
        {"signer_title", text(&AgentConfig::signer_title, "config.expect.signer_title")},
        {"signer", text(&AgentConfig::signer, "config.expect.signer")}}},
      // Deprecated: read as aliases of [agency] (config/agent.ini).
      {"forms",
       {{"parent_body", text(&AgentConfig::form_parent_body, "config.expect.forms_parent_body")},
        {"place", text(&AgentConfig::form_place, "config.expect.forms_place")},
        {"province_office",
         text(&AgentConfig::form_province_office, "config.expect.forms_department")},
        {"signer", text(&AgentConfig::form_signer, "config.expect.forms_signer")}}},
      {"report",
       {{"remind_from",
         {[](const std::string& v, AgentConfig& c) {
            return parseMonthDay(v, c.report.remind_from);
          },
          {"config.expect.month_day", {"12-01"}}}},
        {"deadline",
         {[](const std::string& v, AgentConfig& c) { return parseMonthDay(v, c.report.deadline); },
          {"config.expect.month_day", {"12-31"}}}},
        {"reminder",
         {[](const std::string& v, AgentConfig& c) {
            return parseConfigBool(v, c.report.reminder);
          },
          {"config.expect.bool"}}}}},
      {"requests",
       {{"renewal_min_days_left",
         {[](const std::string& v, AgentConfig& c) {
            return parseConfigInt(v, 0, 3650, c.requests.renewal_min_days_left);
          },
          {"config.expect.days_eg", {"0", "3650", "60"}}}},
        {"max_renewals",
         {[](const std::string& v, AgentConfig& c) {
            return parseConfigInt(v, 0, 100, c.requests.max_renewals);
          },
          {"config.expect.renewals"}}},
        {"official_email_domains",
         {[](const std::string& v, AgentConfig& c) {
            c.requests.official_email_domains = splitConfigList(v);
            return true;
          },
          {"config.expect.mail_domains"}}},
        {"recovery_working_days",
         workingDaysKey<AgentConfig>(policy, &RequestPolicy::recovery_working_days)},
        {"processing_working_days",
         workingDaysKey<AgentConfig>(policy, &RequestPolicy::processing_working_days)},
        {"handover_working_days",
         workingDaysKey<AgentConfig>(policy, &RequestPolicy::handover_working_days)},
        {"delegation",
         {[](const std::string&, AgentConfig&) { return true; }, {"config.expect.delegation"}}}}},
      {"classification",
       {{"organization_name_prefixes",
         {[](const std::string& v, AgentConfig& c) {
            c.classification.organization_name_prefixes = splitConfigList(v);
            return true;
          },
          {"config.expect.name_prefixes"}}},
        {"individual_policy_oids",
         {oid_list(&SubscriberKindRules::individual_policy_oids), {"config.expect.oids"}}},
        {"organization_policy_oids",
         {oid_list(&SubscriberKindRules::organization_policy_oids), {"config.expect.oids"}}},
        {"device_policy_oids",
         {oid_list(&SubscriberKindRules::device_policy_oids), {"config.expect.oids"}}}}},
      {"store", {{"path", path_key(&AgentConfig::store_path, "config.expect.file")}}},
      {"api",
       {{"port",
         {[](const std::string& v, AgentConfig& c) {
            return parseConfigInt(v, 1, 65535, c.api_port);
          },
          {"config.expect.port"}}},
        {"secret_file", path_key(&AgentConfig::api_secret_file, "config.expect.file")},
        {"secret_group",
         {[](const std::string& v, AgentConfig& c) {
            // Empty: owner-only. A name as groupadd accepts it.
            const bool name = v.find_first_not_of(
                                  "abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == std::string::npos &&
                              (v.empty() || v[0] != '-');
            return name && (c.api_secret_group = v, true);
          },
          {"config.expect.secret_group"}}}}},
      {"hub",
       {{"dir", path_key(&AgentConfig::hub_dir, "config.expect.folder")},
        {"sync_interval",
         {duration(std::chrono::seconds(10),
                   [](AgentConfig& c, std::chrono::milliseconds d) {
                     c.sync_interval = std::chrono::duration_cast<std::chrono::seconds>(d);
                   }),
          {"config.expect.duration", {"10s", "5m"}}}},
        {"proxy",
         {[](const std::string& v, AgentConfig& c) {
            if (!sync::isProxySetting(v)) return false;
            c.hub_proxy = v;
            return true;
          },
          {"config.expect.proxy"}}},
        {"timeout",
         {duration(std::chrono::seconds(1),
                   [](AgentConfig& c, std::chrono::milliseconds d) {
                     c.hub_timeout = std::chrono::duration_cast<std::chrono::seconds>(d);
                   }),
          {"config.expect.duration", {"1s", "30s"}}}},
        {"renew_before",
         {duration(std::chrono::hours(1),
                   [](AgentConfig& c, std::chrono::milliseconds d) {
                     c.renew_before = std::chrono::duration_cast<std::chrono::seconds>(d);
                   }),
          {"config.expect.duration", {"1h", "90d"}}}},
        {"batch",
         {[](const std::string& v, AgentConfig& c) {
            return parseConfigInt(v, 1, 1000, c.sync_batch);
          },
          {"config.expect.batch"}}}}},
      {"log", common::logSection(&AgentConfig::log, resolve, true)},
  };

  AgentConfig config;
  config.source = path;
  DelegationList delegations(config.delegations);
  for (const auto& entry : doc->entries()) {
    if (DelegationList::holds(entry)) {
      CKS_TRY(delegations.read(path, entry, language));
      continue;
    }
    CKS_TRY(applyConfigEntry(schema, path, entry, config, language));
  }

  // One rule for "the last day to file a renewal": the request rules' renewal_min_days_left.
  // [alerts] renewal_lead is its former name, still read, and may not say something else.
  {
    const IniEntry* lead = doc->find("alerts", "renewal_lead");
    const IniEntry* min_days = doc->find("requests", "renewal_min_days_left");
    if (lead && min_days &&
        config.alerts.renewal_lead.count() != config.requests.renewal_min_days_left) {
      return configError(language, configPlace(path, *lead), "config.renewal_lead_differs",
                         {std::to_string(min_days->line)});
    }
    if (lead && !min_days) {
      config.requests.renewal_min_days_left = int(config.alerts.renewal_lead.count());
    }
    config.alerts.renewal_lead = std::chrono::days(config.requests.renewal_min_days_left);
  }
  if (config.report.deadline < config.report.remind_from) {
    return configError(language, configPlace(path, *doc, "report", "deadline"),
                       "config.deadline_before_reminder");
  }
  if (config.host_name.empty()) config.host_name = defaultHostName();
  if (!email_language_set) config.email.language = config.language;
  if (config.email.enabled()) {
    // The line of the key, or of [email] server when the key is missing.
    auto email_error = [&](const std::string& key, std::string_view problem,
                           std::initializer_list<std::string_view> args = {}) {
      const IniEntry* entry = doc->find("email", key);
      if (!entry) entry = doc->find("email", "server");
      const std::string place =
          path + ":" + (entry ? std::to_string(entry->line) : "?") + ": [email] " + key + ": ";
      return configError(language, place, problem, args);
    };
    const EmailSettings& email = config.email;
    if (email.from.empty()) {
      return email_error("from", "config.email.from_missing");
    }
    bool any_recipient = !email.to.empty();
    for (const auto& [severity, addresses] : email.at_least) any_recipient |= !addresses.empty();
    for (const auto& [kind, addresses] : email.kinds) any_recipient |= !addresses.empty();
    if (!any_recipient) {
      return email_error("to", "config.email.no_recipient");
    }
    if (email.security == EmailSettings::Security::None && !isLoopbackHost(email.server)) {
      return email_error("security", "config.email.unencrypted");
    }
    if (!email.user.empty() && email.password_file.empty()) {
      return email_error("password_file", "config.email.password_file_missing");
    }
    if (email.user.empty() && !email.password_file.empty()) {
      return email_error("user", "config.email.user_missing");
    }
    if (checks == FileChecks::Check) {
      if (!email.password_file.empty()) {
        if (auto checked = checkOwnerOnly(email.password_file, language); !checked) {
          // The check's own text, already in `language`, names the file and the fix.
          return fail(configPlace(path, *doc, "email", "password_file"), checked.error().message);
        }
      }
      std::error_code error;
      if (!email.ca_file.empty() && !fs::is_regular_file(email.ca_file, error)) {
        return email_error("ca_file", "config.file_missing", {email.ca_file});
      }
    }
  }
  if (config.probe_path.empty()) config.probe_path = defaultProbePath();
  if (config.modules.empty() && !config.use_p11kit) {
    return configError(language, configPlace(path, *doc, "pkcs11", "modules"), "config.no_module");
  }
  if (checks == FileChecks::Check) {
    for (const auto& module : config.modules) {
      std::error_code error;
      if (!fs::is_regular_file(module, error)) {
        return configError(
            language, configPlace(path, *doc, "pkcs11", "modules"),
            fs::exists(module, error) ? "config.file_not_regular" : "config.file_missing",
            {module});
      }
    }
    if (!platform::isExecutable(config.probe_path)) {
      return configError(language, configPlace(path, *doc, "pkcs11", "probe"),
                         "config.probe_missing", {config.probe_path});
    }
  }
  return config;
}

}  // namespace cks::agent
