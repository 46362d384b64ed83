#include "agent/agent_config.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "core/ini_document.h"
#include "sync/client/proxy_setting.h"

namespace cks::agent {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
  }
  return items;
}

bool parseBool(const std::string& text, bool& out) {
  if (text == "true" || text == "yes" || text == "on" || text == "1") return out = true, true;
  if (text == "false" || text == "no" || text == "off" || text == "0") return out = false, true;
  return false;
}

bool parseInt(const std::string& text, int low, int high, int& out) {
  if (text.empty() || text.size() > 9) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < low || value > high) return false;
  out = value;
  return true;
}

// A bare address such as vanthu@binhchuong.quangngai.gov.vn (no display name, no spaces).
bool validMailAddress(const std::string& text) {
  const auto at = text.find('@');
  if (at == 0 || at == std::string::npos || at + 1 == text.size()) return false;
  if (text.find('@', at + 1) != std::string::npos) return false;
  return text.find_first_of(" \t,;:<>()[]\"\\") == std::string::npos;
}

bool parseMailList(const std::string& text, std::vector<std::string>& out) {
  std::vector<std::string> addresses = splitList(text);
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
  if (!parseInt(text.substr(0, colon), 0, 23, hours) ||
      !parseInt(text.substr(colon + 1), 0, 59, minutes)) {
    return false;
  }
  out = std::chrono::minutes(hours * 60 + minutes);
  return true;
}

bool isLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string defaultHostName() {
  char name[256] = {};
  return gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("unknown");
}

std::string defaultProbePath() {
  std::error_code ignored;
  const fs::path self = fs::read_symlink("/proc/self/exe", ignored);
  return (self.parent_path() / "cks-p11probe").string();
}

// One key the file may set: how to apply its text, and what a good value looks like.
struct KeySpec {
  std::function<bool(const std::string&, AgentConfig&)> apply;
  std::string expected;
};

}  // namespace

AgencyIdentity agencyOverrides(const AgentConfig& config) {
  AgencyIdentity forms;
  forms.parent_body = config.form_parent_body;
  forms.place = config.form_place;
  forms.department = config.form_province_office;
  return overlayIdentity(forms, config.agency);
}

bool parseMonthDay(std::string_view text, std::chrono::month_day& out) {
  int month = 0;
  int day = 0;
  if (text.size() != 5 || text[2] != '-' ||
      !parseInt(std::string(text.substr(0, 2)), 1, 12, month) ||
      !parseInt(std::string(text.substr(3, 2)), 1, 31, day)) {
    return false;
  }
  const std::chrono::month_day parsed{std::chrono::month(unsigned(month)),
                                      std::chrono::day(unsigned(day))};
  // 29 February would name no day in most years.
  if (!parsed.ok() || parsed == std::chrono::February / 29) return false;
  out = parsed;
  return true;
}

bool parseDuration(std::string_view text, std::chrono::milliseconds& out) {
  size_t digits = 0;
  long long value = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9' && digits < 12) {
    value = value * 10 + (text[digits] - '0');
    ++digits;
  }
  if (digits == 0) return false;
  std::string_view unit = text.substr(digits);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  static const std::map<std::string_view, long long> kUnits = {
      {"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
  const auto found = kUnits.find(unit);
  if (found == kUnits.end()) return false;
  out = std::chrono::milliseconds(value * found->second);
  return true;
}

Status checkOwnerOnly(const std::string& path) {
  std::error_code error;
  const auto status = fs::status(path, error);
  if (error || !fs::exists(status)) return fail(path, ": no such file");
  if (!fs::is_regular_file(status)) return fail(path, ": not a regular file");
  const auto others = fs::perms::group_all | fs::perms::others_all;
  if ((status.permissions() & others) != fs::perms::none) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", unsigned(status.permissions() & fs::perms::mask));
    return fail(path, ": readable or writable by others (mode ", mode,
                "; it holds a password: chmod 600 ", path, ")");
  }
  return ok();
}

Result<AgentConfig> loadAgentConfig(const std::string& path, FileChecks checks) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path, ": cannot read the configuration file: ", std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  auto doc = IniDocument::parse(text.str(), path);
  if (!doc) return tl::unexpected(doc.error());

  const fs::path base = fs::absolute(fs::path(path)).parent_path();
  auto resolve = [&](const std::string& value) {
    return fs::path(value).is_absolute() ? value : (base / value).lexically_normal().string();
  };
  auto duration = [](std::chrono::milliseconds low, auto&& store) {
    return [low, store](const std::string& v, AgentConfig& c) {
      std::chrono::milliseconds d;
      if (!parseDuration(v, d) || d < low) return false;
      store(c, d);
      return true;
    };
  };
  auto boolean = [](bool AgentConfig::*member) {
    return [member](const std::string& v, AgentConfig& c) { return parseBool(v, c.*member); };
  };
  // A number of days, written "60" or "60d".
  auto day_count = [](int low, int high, std::chrono::days AlertPolicy::*member) {
    return [low, high, member](const std::string& v, AgentConfig& c) {
      std::string number = v;
      if (!number.empty() && number.back() == 'd') number.pop_back();
      int count = 0;
      if (!parseInt(number, low, high, count)) return false;
      c.alerts.*member = std::chrono::days(count);
      return true;
    };
  };
  auto oid_list = [](std::vector<std::string> SubscriberKindRules::*member) {
    return [member](const std::string& v, AgentConfig& c) {
      for (const auto& oid : splitList(v)) {
        if (oid.find_first_not_of("0123456789.") != std::string::npos) return false;
      }
      c.classification.*member = splitList(v);
      return true;
    };
  };

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
        "the SMTP server's host name or address, e.g. mail.quangngai.gov.vn"}},
      {"port",
       {[](const std::string& v, AgentConfig& c) { return parseInt(v, 1, 65535, c.email.port); },
        "a TCP port from 1 to 65535 (587 for starttls, 465 for tls)"}},
      {"security",
       {[](const std::string& v, AgentConfig& c) {
          static const std::map<std::string, EmailSettings::Security> kModes = {
              {"starttls", EmailSettings::Security::StartTls},
              {"tls", EmailSettings::Security::Tls},
              {"none", EmailSettings::Security::None}};
          const auto mode = kModes.find(v);
          return mode != kModes.end() && (c.email.security = mode->second, true);
        },
        "starttls, tls or none"}},
      {"user",
       {[](const std::string& v, AgentConfig& c) { return c.email.user = v, true; },
        "the SMTP account name, or empty for no authentication"}},
      {"password_file",
       {[&](const std::string& v, AgentConfig& c) {
          return c.email.password_file = v.empty() ? v : resolve(v), true;
        },
        "the path of a file (mode 0600) holding the SMTP password"}},
      {"from",
       {[](const std::string& v, AgentConfig& c) {
          return validMailAddress(v) && (c.email.from = v, true);
        },
        "one e-mail address, e.g. cks@binhchuong.quangngai.gov.vn"}},
      {"to", {mail_list(&EmailSettings::to), "comma-separated e-mail addresses"}},
      {"to_info", {mail_rule(Severity::Info), "comma-separated e-mail addresses"}},
      {"to_warning", {mail_rule(Severity::Warning), "comma-separated e-mail addresses"}},
      {"to_critical", {mail_rule(Severity::Critical), "comma-separated e-mail addresses"}},
      {"digest_time",
       {[](const std::string& v, AgentConfig& c) { return parseTimeOfDay(v, c.email.digest_time); },
        "a local time of day HH:MM, e.g. 07:30"}},
      {"ca_file",
       {[&](const std::string& v, AgentConfig& c) {
          return c.email.ca_file = v.empty() ? v : resolve(v), true;
        },
        "the path of a PEM file with the CA that issued the server's certificate"}},
      {"language",
       {[&](const std::string& v, AgentConfig& c) {
          return parseLanguage(v, c.email.language) && (email_language_set = true);
        },
        "vi or en"}},
      {"timeout",
       {duration(std::chrono::seconds(1),
                 [](AgentConfig& c, std::chrono::milliseconds d) {
                   c.email.timeout = std::chrono::duration_cast<std::chrono::seconds>(d);
                 }),
        "a duration of at least 1s, e.g. 30s"}},
  };
  for (const AlertKind kind : allAlertKinds()) {
    email_keys["to." + std::string(toString(kind))] = {
        [kind](const std::string& v, AgentConfig& c) {
          return parseMailList(v, c.email.kinds[kind]);
        },
        "comma-separated e-mail addresses"};
  }

  const std::map<std::string, std::map<std::string, KeySpec>> schema = {
      {"agent",
       {{"host_name",
         {[](const std::string& v, AgentConfig& c) {
            return !v.empty() && (c.host_name = v, true);
          },
          "a non-empty name"}},
        {"language",
         {[](const std::string& v, AgentConfig& c) { return parseLanguage(v, c.language); },
          "vi or en"}}}},
      {"display",
       {{"time_zone",
         {[](const std::string& v, AgentConfig& c) {
            const auto zone = parseTimeZone(v);
            return zone && (c.display_zone = *zone, true);
          },
          "Asia/Ho_Chi_Minh, UTC, or a fixed offset such as UTC+07:00"}}}},
      {"pkcs11",
       {{"modules",
         {[&](const std::string& v, AgentConfig& c) {
            c.modules.clear();
            for (const auto& m : splitList(v)) c.modules.push_back(resolve(m));
            return true;
          },
          "comma-separated module paths"}},
        {"use_p11kit", {boolean(&AgentConfig::use_p11kit), "true or false"}},
        {"probe_timeout",
         {duration(std::chrono::milliseconds(100),
                   [](AgentConfig& c, std::chrono::milliseconds d) { c.probe_timeout = d; }),
          "a duration of at least 100ms, e.g. 10s"}},
        {"probe",
         {[&](const std::string& v, AgentConfig& c) {
            return !v.empty() && (c.probe_path = resolve(v), true);
          },
          "the path of cks-p11probe"}}}},
      {"scan",
       {{"interval",
         {duration(std::chrono::seconds(5),
                   [](AgentConfig& c, std::chrono::milliseconds d) {
                     c.scan_interval = std::chrono::duration_cast<std::chrono::seconds>(d);
                   }),
          "a duration of at least 5s, e.g. 5m"}},
        {"slot_events", {boolean(&AgentConfig::slot_events), "true or false"}}}},
      {"expiry",
       {{"expiring_days",
         {[](const std::string& v, AgentConfig& c) {
            return parseInt(v, 1, 3650, c.expiring_days);
          },
          "a number of days from 1 to 3650"}}}},
      {"alerts",
       {{"expiry_thresholds",
         {[](const std::string& v, AgentConfig& c) {
            std::vector<int> days;
            for (const auto& item : splitList(v)) {
              int day = 0;
              if (!parseInt(item, 1, 3650, day)) return false;
              days.push_back(day);
            }
            if (days.empty()) return false;
            c.alerts.expiry_thresholds = days;
            return true;
          },
          "comma-separated numbers of days from 1 to 3650, e.g. 90, 60, 30, 14, 7, 3, 1"}},
        {"renewal_lead",
         {day_count(1, 3650, &AlertPolicy::renewal_lead),
          "a number of days from 1 to 3650, e.g. 60d"}},
        {"renewal_warning",
         {day_count(1, 365, &AlertPolicy::renewal_warning),
          "a number of days from 1 to 365, e.g. 14d"}},
        {"token_not_seen",
         {day_count(1, 3650, &AlertPolicy::token_not_seen),
          "a number of days from 1 to 3650, e.g. 180d"}},
        {"hub_unreachable",
         {day_count(1, 365, &AlertPolicy::hub_unreachable),
          "a number of days from 1 to 365, e.g. 3d"}},
        {"clock_tolerance",
         {duration(std::chrono::seconds(30),
                   [](AgentConfig& c, std::chrono::milliseconds d) {
                     c.alerts.clock_tolerance = std::chrono::duration_cast<std::chrono::seconds>(d);
                   }),
          "a duration of at least 30s, e.g. 5m"}}}},
      {"email", email_keys},
      {"agency",
       {{"code",
         {[](const std::string& v, AgentConfig& c) { return (c.agency.code = v, true); },
          "the agency's mã định danh, e.g. H55.30.05 (empty: as enrolled)"}},
        {"name",
         {[](const std::string& v, AgentConfig& c) { return (c.agency.name = v, true); },
          "the agency's name, e.g. UBND phường Hải Châu (empty: as enrolled)"}},
        {"parent_body",
         {[](const std::string& v, AgentConfig& c) { return (c.agency.parent_body = v, true); },
          "the body above the agency, e.g. UBND thành phố Đà Nẵng"}},
        {"province",
         {[](const std::string& v, AgentConfig& c) { return (c.agency.province = v, true); },
          "the province with its kind, e.g. thành phố Đà Nẵng or tỉnh Quảng Ngãi"}},
        {"place",
         {[](const std::string& v, AgentConfig& c) { return (c.agency.place = v, true); },
          "the place in date lines, e.g. Đà Nẵng"}},
        {"department",
         {[](const std::string& v, AgentConfig& c) { return (c.agency.department = v, true); },
          "the Sở requests are addressed to, e.g. Sở Khoa học và Công nghệ thành phố Đà Nẵng"}},
        {"signer_title",
         {[](const std::string& v, AgentConfig& c) { return (c.signer_title = v, true); },
          "the title over the head's signature, e.g. CHỦ TỊCH"}},
        {"signer",
         {[](const std::string& v, AgentConfig& c) { return (c.signer = v, true); },
          "the head of the agency's name (may be empty)"}}}},
      // Deprecated: read as aliases of [agency] (config/agent.ini).
      {"forms",
       {{"parent_body",
         {[](const std::string& v, AgentConfig& c) { return (c.form_parent_body = v, true); },
          "the body above the agency (deprecated: [agency] parent_body)"}},
        {"place",
         {[](const std::string& v, AgentConfig& c) { return (c.form_place = v, true); },
          "the place in the date line (deprecated: [agency] place)"}},
        {"province_office",
         {[](const std::string& v, AgentConfig& c) { return (c.form_province_office = v, true); },
          "the Sở the forms are addressed to (deprecated: [agency] department)"}},
        {"signer",
         {[](const std::string& v, AgentConfig& c) { return (c.form_signer = v, true); },
          "the head of the agency's name (deprecated: [agency] signer)"}}}},
      {"report",
       {{"remind_from",
         {[](const std::string& v, AgentConfig& c) {
            return parseMonthDay(v, c.report.remind_from);
          },
          "a day of the year MM-DD, e.g. 12-01"}},
        {"deadline",
         {[](const std::string& v, AgentConfig& c) { return parseMonthDay(v, c.report.deadline); },
          "a day of the year MM-DD, e.g. 12-31"}},
        {"reminder",
         {[](const std::string& v, AgentConfig& c) { return parseBool(v, c.report.reminder); },
          "true or false"}}}},
      {"requests",
       {{"renewal_min_days_left",
         {[](const std::string& v, AgentConfig& c) {
            return parseInt(v, 0, 3650, c.requests.renewal_min_days_left);
          },
          "a number of days from 0 to 3650, e.g. 60"}},
        {"max_renewals",
         {[](const std::string& v, AgentConfig& c) {
            return parseInt(v, 0, 100, c.requests.max_renewals);
          },
          "a number of renewals from 0 to 100, e.g. 1"}},
        {"official_email_domains",
         {[](const std::string& v, AgentConfig& c) {
            c.requests.official_email_domains = splitList(v);
            return true;
          },
          "comma-separated domains, e.g. gov.vn, edu.vn (empty: any domain)"}},
        {"recovery_working_days",
         {[](const std::string& v, AgentConfig& c) {
            return parseInt(v, 1, 60, c.requests.recovery_working_days);
          },
          "a number of working days from 1 to 60"}},
        {"processing_working_days",
         {[](const std::string& v, AgentConfig& c) {
            return parseInt(v, 1, 60, c.requests.processing_working_days);
          },
          "a number of working days from 1 to 60"}},
        {"handover_working_days",
         {[](const std::string& v, AgentConfig& c) {
            return parseInt(v, 1, 60, c.requests.handover_working_days);
          },
          "a number of working days from 1 to 60"}},
        {"delegation", {[](const std::string&, AgentConfig&) { return true; }, "see above"}}}},
      {"classification",
       {{"organization_name_prefixes",
         {[](const std::string& v, AgentConfig& c) {
            c.classification.organization_name_prefixes = splitList(v);
            return true;
          },
          "comma-separated name beginnings"}},
        {"individual_policy_oids",
         {oid_list(&SubscriberKindRules::individual_policy_oids), "comma-separated dotted OIDs"}},
        {"organization_policy_oids",
         {oid_list(&SubscriberKindRules::organization_policy_oids), "comma-separated dotted OIDs"}},
        {"device_policy_oids",
         {oid_list(&SubscriberKindRules::device_policy_oids), "comma-separated dotted OIDs"}}}},
      {"store",
       {{"path",
         {[&](const std::string& v, AgentConfig& c) {
            return !v.empty() && (c.store_path = resolve(v), true);
          },
          "a file path"}}}},
      {"api",
       {{"port",
         {[](const std::string& v, AgentConfig& c) { return parseInt(v, 1, 65535, c.api_port); },
          "a TCP port from 1 to 65535"}},
        {"secret_file",
         {[&](const std::string& v, AgentConfig& c) {
            return !v.empty() && (c.api_secret_file = resolve(v), true);
          },
          "a file path"}},
        {"secret_group",
         {[](const std::string& v, AgentConfig& c) {
            // Empty: owner-only. A name as groupadd accepts it.
            const bool name = v.find_first_not_of(
                                  "abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == std::string::npos &&
                              (v.empty() || v[0] != '-');
            return name && (c.api_secret_group = v, true);
          },
          "a group name (empty: only the service account may read the secret)"}}}},
      {"hub",
       {{"dir",
         {[&](const std::string& v, AgentConfig& c) {
            return !v.empty() && (c.hub_dir = resolve(v), true);
          },
          "a folder path"}},
        {"sync_interval",
         {duration(std::chrono::seconds(10),
                   [](AgentConfig& c, std::chrono::milliseconds d) {
                     c.sync_interval = std::chrono::duration_cast<std::chrono::seconds>(d);
                   }),
          "a duration of at least 10s, e.g. 5m"}},
        {"proxy",
         {[](const std::string& v, AgentConfig& c) {
            if (!sync::isProxySetting(v)) return false;
            c.hub_proxy = v;
            return true;
          },
          "empty (no proxy), env (use https_proxy) or http://host:port"}},
        {"timeout",
         {duration(std::chrono::seconds(1),
                   [](AgentConfig& c, std::chrono::milliseconds d) {
                     c.hub_timeout = std::chrono::duration_cast<std::chrono::seconds>(d);
                   }),
          "a duration of at least 1s, e.g. 30s"}},
        {"batch",
         {[](const std::string& v, AgentConfig& c) { return parseInt(v, 1, 1000, c.sync_batch); },
          "a number of entries per push from 1 to 1000"}}}},
      {"log",
       {{"level",
         {[](const std::string& v, AgentConfig& c) {
            static const char* kLevels[] = {"fatal",  "critical",    "error", "warning",
                                            "notice", "information", "debug", "trace"};
            for (const char* level : kLevels) {
              if (v == level) return c.log_level = v, true;
            }
            return false;
          },
          "one of fatal, critical, error, warning, notice, information, debug, trace"}},
        {"file",
         {[&](const std::string& v, AgentConfig& c) {
            return c.log_file = v.empty() ? v : resolve(v), true;
          },
          "a file path, or empty for no log file"}},
        {"rotation",
         {[](const std::string& v, AgentConfig& c) {
            int size = 0;
            const auto space = v.find(' ');
            const std::string number = v.substr(0, space);
            const std::string unit = space == std::string::npos ? "" : v.substr(space + 1);
            if (!parseInt(number, 1, 100000, size) || (unit != "K" && unit != "M")) return false;
            c.log_rotation = v;
            return true;
          },
          "a size such as \"10 M\" or \"500 K\""}},
        {"keep",
         {[](const std::string& v, AgentConfig& c) { return parseInt(v, 1, 100, c.log_keep); },
          "a number of rotated files from 1 to 100"}},
        {"syslog", {boolean(&AgentConfig::log_syslog), "true or false"}},
        {"console", {boolean(&AgentConfig::log_console), "true or false"}}}},
  };

  AgentConfig config;
  config.source = path;
  bool delegations_set = false;
  for (const auto& entry : doc->entries()) {
    if (entry.section == "requests" &&
        (entry.key == "delegation" || entry.key.rfind("delegation.", 0) == 0)) {
      // One key per delegation (delegation, delegation.2, delegation.renewal_2026, …: a key
      // may appear once in an INI file); the first replaces the default, "none" clears them.
      if (!delegations_set) config.delegations.clear();
      delegations_set = true;
      if (entry.value == "none") continue;
      auto delegation = parseDelegation(entry.value);
      if (!delegation) {
        return fail(path, ":", std::to_string(entry.line), ": [requests] ", entry.key, ": ",
                    delegation.error().message,
                    " (expected KIND[,KIND…] YYYY-MM-DD..[YYYY-MM-DD] [decision], or none)");
      }
      config.delegations.push_back(std::move(*delegation));
      continue;
    }
    const std::string where =
        path + ":" + std::to_string(entry.line) + ": [" + entry.section + "] " + entry.key + ": ";
    const auto section = schema.find(entry.section);
    if (section == schema.end()) {
      std::string known;
      for (const auto& [name, keys] : schema) known += (known.empty() ? "" : ", ") + name;
      return fail(path, ":", std::to_string(entry.line), ": [", entry.section,
                  "]: unknown section (known sections: ", known, ")");
    }
    const auto key = section->second.find(entry.key);
    if (key == section->second.end()) {
      std::string known;
      for (const auto& [name, spec] : section->second) known += (known.empty() ? "" : ", ") + name;
      return fail(where, "unknown key (known keys in [", entry.section, "]: ", known, ")");
    }
    if (!key->second.apply(entry.value, config)) {
      return fail(where, "bad value \"", entry.value, "\" (expected ", key->second.expected, ")");
    }
  }

  // One rule for "the last day to file a renewal": the request rules' renewal_min_days_left.
  // [alerts] renewal_lead is its former name, still read, and may not say something else.
  {
    const IniEntry* lead = doc->find("alerts", "renewal_lead");
    const IniEntry* min_days = doc->find("requests", "renewal_min_days_left");
    if (lead && min_days &&
        config.alerts.renewal_lead.count() != config.requests.renewal_min_days_left) {
      return fail(path, ":", std::to_string(lead->line),
                  ": [alerts] renewal_lead: differs from [requests] renewal_min_days_left (line ",
                  std::to_string(min_days->line),
                  "); the renewal deadline is one rule: remove renewal_lead");
    }
    if (lead && !min_days) {
      config.requests.renewal_min_days_left = int(config.alerts.renewal_lead.count());
    }
    config.alerts.renewal_lead = std::chrono::days(config.requests.renewal_min_days_left);
  }
  if (config.report.deadline < config.report.remind_from) {
    const IniEntry* entry = doc->find("report", "deadline");
    if (!entry) entry = doc->find("report", "remind_from");
    return fail(path, ":", entry ? std::to_string(entry->line) : std::string("?"),
                ": [report] deadline: before remind_from (the reminder starts on remind_from and "
                "names the deadline of the same year)");
  }
  if (config.host_name.empty()) config.host_name = defaultHostName();
  if (!email_language_set) config.email.language = config.language;
  if (config.email.enabled()) {
    auto email_error = [&](const std::string& key, const std::string& problem) {
      const IniEntry* entry = doc->find("email", key);
      if (!entry) entry = doc->find("email", "server");
      return fail(path, ":", entry ? std::to_string(entry->line) : std::string("?"), ": [email] ",
                  key, ": ", problem);
    };
    const EmailSettings& email = config.email;
    if (email.from.empty()) {
      return email_error("from", "missing (the sender's address is required when server is set)");
    }
    bool any_recipient = !email.to.empty();
    for (const auto& [severity, addresses] : email.at_least) any_recipient |= !addresses.empty();
    for (const auto& [kind, addresses] : email.kinds) any_recipient |= !addresses.empty();
    if (!any_recipient) {
      return email_error("to", "no recipient (set to, to_critical, … or to.KIND)");
    }
    if (email.security == EmailSettings::Security::None && !isLoopbackHost(email.server)) {
      return email_error("security",
                         "none sends mail unencrypted: allowed only for a server on this PC "
                         "(localhost, 127.0.0.1); use starttls or tls");
    }
    if (!email.user.empty() && email.password_file.empty()) {
      return email_error("password_file", "missing (user is set: the password must be in a file)");
    }
    if (email.user.empty() && !email.password_file.empty()) {
      return email_error("user", "missing (password_file is set)");
    }
    if (checks == FileChecks::Check) {
      if (!email.password_file.empty()) {
        if (auto checked = checkOwnerOnly(email.password_file); !checked) {
          return email_error("password_file", checked.error().message);
        }
      }
      std::error_code error;
      if (!email.ca_file.empty() && !fs::is_regular_file(email.ca_file, error)) {
        return email_error("ca_file", email.ca_file + ": no such file");
      }
    }
  }
  if (config.probe_path.empty()) config.probe_path = defaultProbePath();
  if (config.modules.empty() && !config.use_p11kit) {
    return fail(path,
                ": [pkcs11] modules: no PKCS#11 module configured (set modules = PATH, "
                "or use_p11kit = true)");
  }
  if (checks == FileChecks::Check) {
    const IniEntry* modules_entry = doc->find("pkcs11", "modules");
    const std::string line = modules_entry ? std::to_string(modules_entry->line) : "?";
    for (const auto& module : config.modules) {
      std::error_code error;
      if (!fs::is_regular_file(module, error)) {
        return fail(path, ":", line, ": [pkcs11] modules: ", module,
                    fs::exists(module, error) ? ": not a regular file" : ": no such file");
      }
    }
    if (access(config.probe_path.c_str(), X_OK) != 0) {
      return fail(path, ": [pkcs11] probe: ", config.probe_path,
                  ": not an executable file (cks-p11probe is installed beside cks-agent)");
    }
  }
  return config;
}

}  // namespace cks::agent
