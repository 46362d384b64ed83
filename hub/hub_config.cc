#include "hub/hub_config.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "common/config_file.h"
#include "core/config_keys.h"
#include "core/config_schema.h"
#include "core/ini_document.h"
#include "core/text.h"
#include "hub/postgres_url.h"
#include "platform/ip_address.h"
#include "sync/client/proxy_setting.h"

namespace cks::hub {
namespace {

bool isIpAddress(const std::string& text) { return platform::parseIpAddress(text).has_value(); }

// A DNS name (labels of letters, digits and '-', an optional leading "*.") or an IP address.
bool isServerName(const std::string& name) {
  if (isIpAddress(name)) return true;
  if (name.empty() || name.size() > 253) return false;
  std::string_view rest = name;
  if (rest.substr(0, 2) == "*.") rest.remove_prefix(2);
  for (char c : rest) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return !rest.empty() && rest.front() != '.' && rest.back() != '.' &&
         rest.find("..") == std::string_view::npos;
}

// A [province] text key.
ConfigKey<HubConfig> provinceText(std::string ProvinceIdentity::*member, std::string_view hint) {
  return textKey<HubConfig>(configField(&HubConfig::province, member), {hint});
}

// A [console] duration, from `lowest` to 7 days; the hint `expect` says so.
ConfigKey<HubConfig> consoleDuration(std::chrono::seconds ConsoleSettings::*member,
                                     std::chrono::seconds lowest, std::string_view expect) {
  return {[member, lowest](const std::string& v, HubConfig& c) {
            std::chrono::seconds t{};
            if (!parseSeconds(v, t) || t < lowest || t > std::chrono::days(7)) return false;
            c.console.*member = t;
            return true;
          },
          {expect}};
}

// A proxy setting ([upstream], [revocation]): "", "env" or http://host:port.
template <typename Field>
ConfigKey<HubConfig> proxyKey(Field field) {
  return {[field](const std::string& v, HubConfig& c) {
            return sync::isProxySetting(v) && (field(c) = v, true);
          },
          {"config.expect.upstream_proxy"}};
}

// A network timeout, from a second to 10 minutes.
template <typename Field>
ConfigKey<HubConfig> timeoutKey(Field field) {
  return {[field](const std::string& v, HubConfig& c) {
            std::chrono::seconds t{};
            if (!parseSeconds(v, t) || t.count() < 1 || t > std::chrono::minutes(10)) return false;
            field(c) = t;
            return true;
          },
          {"config.expect.timeout"}};
}

// A byte size from 1K to 1G.
template <typename Field>
ConfigKey<HubConfig> byteSizeKey(Field field) {
  return {[field](const std::string& v, HubConfig& c) {
            std::size_t size = 0;
            if (!parseByteSize(v, size) || size < 1024 || size > (std::size_t{1} << 30)) {
              return false;
            }
            field(c) = size;
            return true;
          },
          {"config.expect.byte_size"}};
}

// Adds `more` to the province's own list of days off and working weekend days.
void addHolidays(const HolidayList& more, HolidayList& own) {
  own.days_off.insert(own.days_off.end(), more.days_off.begin(), more.days_off.end());
  own.working_weekend_days.insert(own.working_weekend_days.end(), more.working_weekend_days.begin(),
                                  more.working_weekend_days.end());
}

}  // namespace

AgencyIdentity ProvinceIdentity::agency(const std::string& agency_code,
                                        const std::string& agency_name) const {
  AgencyIdentity identity;
  identity.code = agency_code;
  identity.name = agency_name;
  identity.province = provinceFullName(name, kind);
  identity.parent_body = people_committee;
  identity.place = place;
  identity.department = department;
  return completeIdentity(identity);
}

AgencyIdentity ProvinceIdentity::office() const {
  AgencyIdentity identity = agency("", "");
  identity.name = identity.department;
  return identity;
}

bool parseByteSize(std::string_view text, std::size_t& out) {
  long long value = 0;
  if (!takeConfigNumber(text, 12, value)) return false;
  std::string unit(trim(text, kSpaces));
  for (char& c : unit) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  static const std::map<std::string, unsigned long long> kUnits = {{"", 1},
                                                                   {"B", 1},
                                                                   {"K", 1ull << 10},
                                                                   {"KB", 1ull << 10},
                                                                   {"KIB", 1ull << 10},
                                                                   {"M", 1ull << 20},
                                                                   {"MB", 1ull << 20},
                                                                   {"MIB", 1ull << 20},
                                                                   {"G", 1ull << 30},
                                                                   {"GB", 1ull << 30},
                                                                   {"GIB", 1ull << 30}};
  const auto found = kUnits.find(unit);
  if (found == kUnits.end()) return false;
  out = static_cast<std::size_t>(static_cast<unsigned long long>(value) * found->second);
  return true;
}

bool parseSeconds(std::string_view text, std::chrono::seconds& out) {
  long long value = 0;
  if (!takeConfigNumber(text, 9, value)) return false;
  static const std::map<std::string, long long> kUnits = {
      {"", 1}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
  const auto found = kUnits.find(std::string(trim(text, kSpaces)));
  if (found == kUnits.end()) return false;
  out = std::chrono::seconds(value * found->second);
  return true;
}

Result<HubConfig> loadHubConfig(const std::string& path, Language language) {
  auto doc = common::readConfigFile(path, language);
  if (!doc) return tl::unexpected(doc.error());
  const ConfigPathResolver resolve = common::resolverNextTo(path);
  // Set when a value is wrong in a way its parser explains ([store] url without any password,
  // a holidays file): reported with the entry's place after it is applied.
  std::string problem_text;
  auto problem = [&](std::string_view key, std::initializer_list<std::string_view> args) {
    problem_text = message(language, key, args);
    return true;
  };

  const auto policy = configField(&HubConfig::requests, &RequestSettings::policy);
  const ConfigSchema<HubConfig> schema = {
      {"server",
       {{"port",
         {[](const std::string& v, HubConfig& c) { return parseConfigInt(v, 1, 65535, c.port); },
          {"config.expect.port"}}},
        {"bind",
         {[](const std::string& v, HubConfig& c) { return isIpAddress(v) && (c.bind = v, true); },
          {"config.expect.bind"}}},
        {"max_body", byteSizeKey(configField(&HubConfig::max_body))},
        {"threads",
         {[](const std::string& v, HubConfig& c) { return parseConfigInt(v, 1, 256, c.threads); },
          {"config.expect.threads"}}},
        {"request_deadline", timeoutKey(configField(&HubConfig::request_deadline))},
        {"connections_per_address",
         {[](const std::string& v, HubConfig& c) {
            return parseConfigInt(v, 1, 512, c.connections_per_address);
          },
          {"config.expect.connection_count"}}},
        {"unenrolled_connections",
         {[](const std::string& v, HubConfig& c) {
            return parseConfigInt(v, 1, 512, c.unenrolled_connections);
          },
          {"config.expect.connection_count"}}},
        {"agent_daily_volume", byteSizeKey(configField(&HubConfig::agent_daily_volume))}}},
      {"tls",
       {{"dir",
         pathKey<HubConfig>(configField(&HubConfig::tls_dir), resolve, {"config.expect.folder"})},
        {"server_names",
         {[](const std::string& v, HubConfig& c) {
            c.server_names = splitConfigList(v);
            for (const auto& name : c.server_names) {
              if (!isServerName(name)) return false;
            }
            return true;
          },
          {"config.expect.server_names"}}},
        {"organization",
         {[](const std::string& v, HubConfig& c) {
            return !v.empty() && v.size() <= 64 && (c.organization = v, true);
          },
          {"config.expect.name_64"}}}}},
      {"store",
       {{"url",
         {[&](const std::string& v, HubConfig& c) {
            if (isPostgresUrl(v)) {
              // Checked here, so that a malformed URL is a configuration error (exit 2); an
              // unreachable server is found at start-up (exit 1).
              if (auto checked = checkPostgresUrl(v); !checked) {
                problem("config.bad_postgres_url", {withoutPassword(v), checked.error().message,
                                                    message(language, "config.expect.store_url")});
              }
              c.store = {StoreLocation::Kind::Postgresql, withoutPassword(v), v};
              return true;
            }
            std::string file = v.rfind("sqlite:", 0) == 0 ? v.substr(7) : v;
            if (file.empty() || file.find("://") != std::string::npos) {
              // The message quotes the value: a URL of another scheme may hold a password.
              return problem("config.bad_value",
                             {withoutPassword(v), message(language, "config.expect.store_url")});
            }
            c.store = {StoreLocation::Kind::Sqlite, resolve(file), ""};
            return true;
          },
          {"config.expect.store_url"}}}}},
      {"province",
       {{"name", provinceText(&ProvinceIdentity::name, "config.expect.province_name")},
        {"kind",
         {[](const std::string& v, HubConfig& c) {
            return (v == "tỉnh" || v == "thành phố") && (c.province.kind = v, true);
          },
          {"config.expect.province_kind"}}},
        {"department",
         provinceText(&ProvinceIdentity::department, "config.expect.province_department")},
        {"people_committee",
         provinceText(&ProvinceIdentity::people_committee, "config.expect.people_committee")},
        {"place", provinceText(&ProvinceIdentity::place, "config.expect.place")},
        {"signer_title",
         provinceText(&ProvinceIdentity::signer_title, "config.expect.province_signer_title")},
        {"signer", provinceText(&ProvinceIdentity::signer, "config.expect.province_signer")}}},
      {"display", displaySection(&HubConfig::display_zone)},
      {"expiry", expirySection(&HubConfig::expiring_days)},
      {"requests",
       {{"holidays_file",
         {[&](const std::string& v, HubConfig& c) {
            if (v.empty()) return false;
            const std::string file = resolve(v);
            std::ifstream holidays(file, std::ios::binary);
            if (!holidays)
              return problem("config.file_unreadable", {v, file, std::strerror(errno)});
            std::ostringstream content;
            content << holidays.rdbuf();
            auto list = parseHolidayList(content.str(), file);
            if (!list) {
              return problem(
                  "config.bad_value_because",
                  {v, list.error().message, message(language, "config.expect.holidays_file")});
            }
            addHolidays(*list, c.requests.holidays);
            return true;
          },
          {"config.expect.holidays_file"}}},
        {"use_default_holidays",
         {[](const std::string& v, HubConfig& c) {
            return parseConfigBool(v, c.requests.use_default_holidays);
          },
          {"config.expect.bool"}}},
        {"cutoff",
         {[](const std::string& v, HubConfig& c) {
            int hours = 0;
            int minutes = 0;
            const auto colon = v.find(':');
            if (colon == std::string::npos || !parseConfigInt(v.substr(0, colon), 0, 23, hours) ||
                v.size() - colon - 1 != 2 || !parseConfigInt(v.substr(colon + 1), 0, 59, minutes)) {
              return false;
            }
            c.requests.cutoff = std::chrono::minutes(hours * 60 + minutes);
            return true;
          },
          {"config.expect.time_of_day", {"17:00"}}}},
        {"recovery_working_days",
         workingDaysKey<HubConfig>(policy, &RequestPolicy::recovery_working_days)},
        {"processing_working_days",
         workingDaysKey<HubConfig>(policy, &RequestPolicy::processing_working_days)}}},
      {"upstream",
       {{"dir", pathKey<HubConfig>(configField(&HubConfig::upstream, &UpstreamSettings::dir),
                                   resolve, {"config.expect.folder"})},
        {"proxy", proxyKey(configField(&HubConfig::upstream, &UpstreamSettings::proxy))},
        {"timeout", timeoutKey(configField(&HubConfig::upstream, &UpstreamSettings::timeout))}}},
      {"console",
       {{"port",
         {[](const std::string& v, HubConfig& c) {
            return parseConfigInt(v, 1, 65535, c.console.port);
          },
          {"config.expect.port"}}},
        {"bind",
         {[](const std::string& v, HubConfig& c) {
            return isIpAddress(v) && (c.console.bind = v, true);
          },
          {"config.expect.bind"}}},
        {"certificate",
         pathKey<HubConfig>(configField(&HubConfig::console, &ConsoleSettings::certificate),
                            resolve, {"config.expect.file"})},
        {"key", pathKey<HubConfig>(configField(&HubConfig::console, &ConsoleSettings::key), resolve,
                                   {"config.expect.file"})},
        {"www", pathKey<HubConfig>(configField(&HubConfig::console, &ConsoleSettings::www), resolve,
                                   {"config.expect.folder"})},
        {"client_ca",
         {[&](const std::string& v, HubConfig& c) {
            if (v.empty()) return false;
            c.console.client_ca = resolve(v);
            std::ifstream file(c.console.client_ca, std::ios::binary);
            if (!file) {
              return problem("config.file_unreadable",
                             {v, c.console.client_ca, std::strerror(errno)});
            }
            std::ostringstream content;
            content << file.rdbuf();
            // Checked again when the listener loads it; here so that the hub says so at once.
            return content.str().find("-----BEGIN CERTIFICATE-----") != std::string::npos;
          },
          {"config.expect.ca_bundle"}}},
        // An idle timeout of seconds shortens only what an unattended PC leaves open (the
        // console's tests wait it out).
        {"idle_timeout", consoleDuration(&ConsoleSettings::idle_timeout, std::chrono::seconds(5),
                                         "config.expect.idle_timeout")},
        {"session_lifetime",
         consoleDuration(&ConsoleSettings::session_lifetime, std::chrono::minutes(1),
                         "config.expect.session_duration")}}},
      {"revocation",
       {{"ca_files",
         {[&](const std::string& v, HubConfig& c) {
            c.revocation.ca_files.clear();
            for (const std::string& item : splitConfigList(v)) {
              const std::string file = resolve(item);
              // Read in full when the hub starts; here so that a wrong path is said at once.
              if (!std::ifstream(file, std::ios::binary)) {
                return problem("config.file_unreadable", {item, file, std::strerror(errno)});
              }
              c.revocation.ca_files.push_back(file);
            }
            return !c.revocation.ca_files.empty();
          },
          {"config.expect.ca_files"}}},
        {"crl_urls",
         {[](const std::string& v, HubConfig& c) {
            c.revocation.crl_urls = splitConfigList(v);
            return std::all_of(c.revocation.crl_urls.begin(), c.revocation.crl_urls.end(),
                               [](const std::string& url) {
                                 return url.rfind("http://", 0) == 0 && url.size() > 7;
                               });
          },
          {"config.expect.crl_urls"}}},
        {"refresh_hours",
         {[](const std::string& v, HubConfig& c) {
            int hours = 0;
            return parseConfigInt(v, 1, 168, hours) &&
                   (c.revocation.refresh = std::chrono::hours(hours), true);
          },
          {"config.expect.refresh_hours"}}},
        {"proxy", proxyKey(configField(&HubConfig::revocation, &RevocationSettings::proxy))},
        {"timeout",
         timeoutKey(configField(&HubConfig::revocation, &RevocationSettings::timeout))}}},
      {"log", common::logSection(&HubConfig::log, resolve, false)},
  };

  HubConfig config;
  config.source = path;
  DelegationList delegations(config.requests.delegations);
  for (const auto& entry : doc->entries()) {
    // Lists: one key per item (core/config_keys.h), delegations and holidays alike.
    if (DelegationList::holds(entry)) {
      CKS_TRY(delegations.read(path, entry, language));
      continue;
    }
    if (isConfigListItem(entry, "requests", "holiday")) {
      auto list = parseHolidayEntry(entry.value);
      if (!list) {
        return badConfigValueBecause(language, path, entry, list.error().message,
                                     "config.expect.holiday");
      }
      addHolidays(*list, config.requests.holidays);
      continue;
    }
    CKS_TRY(applyConfigEntry(schema, path, entry, config, language));
    if (!problem_text.empty()) return fail(configPlace(path, entry), problem_text);
  }
  return config;
}

}  // namespace cks::hub
