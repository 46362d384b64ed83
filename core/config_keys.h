// The keys agent.ini and hub.ini share, bound once: [display] time_zone, [expiry]
// expiring_days, the [requests] working days and delegations, and the key shapes both files
// use (a text, a path next to the file). A program names where each value lives in its own
// configuration with an accessor, `[](HubConfig& c) -> RequestPolicy& { return c.requests.policy;
// }`.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config_schema.h"
#include "core/request_rules.h"
#include "core/time_format.h"

namespace cks {

// The field reached from a configuration through `members`, for the keys below:
// configField(&HubConfig::province, &ProvinceIdentity::name).
template <typename... Members>
[[nodiscard]] auto configField(Members... members) {
  return [members...](auto& config) -> auto& { return (config.*....*members); };
}

// Any text, kept as written.
template <typename Config, typename Field>
[[nodiscard]] ConfigKey<Config> textKey(Field field, ConfigHint hint) {
  return {[field](const std::string& v, Config& c) { return field(c) = v, true; }, std::move(hint)};
}

// A path that may not be empty, made absolute next to the file.
template <typename Config, typename Field>
[[nodiscard]] ConfigKey<Config> pathKey(Field field, ConfigPathResolver resolve, ConfigHint hint) {
  return {[field, resolve = std::move(resolve)](const std::string& v, Config& c) {
            return !v.empty() && (field(c) = resolve(v), true);
          },
          std::move(hint)};
}

// [display]: time_zone, an IANA name or a UTC offset (core/time_format.h).
template <typename Config>
[[nodiscard]] std::map<std::string, ConfigKey<Config>> displaySection(TimeZone Config::*zone) {
  return {{"time_zone",
           {[zone](const std::string& v, Config& c) {
              const auto parsed = parseTimeZone(v);
              return parsed && (c.*zone = *parsed, true);
            },
            {"config.expect.time_zone"}}}};
}

// [expiry]: expiring_days, how near its end a certificate counts as expiring.
template <typename Config>
[[nodiscard]] std::map<std::string, ConfigKey<Config>> expirySection(int Config::*days) {
  return {{"expiring_days",
           {[days](const std::string& v, Config& c) { return parseConfigInt(v, 1, 3650, c.*days); },
            {"config.expect.days", {"1", "3650"}}}}};
}

// A [requests] *_working_days key: `days` of the program's RequestPolicy, 1 to 60.
template <typename Config, typename Policy>
[[nodiscard]] ConfigKey<Config> workingDaysKey(Policy policy, int RequestPolicy::*days) {
  return {[policy, days](const std::string& v, Config& c) {
            return parseConfigInt(v, 1, 60, policy(c).*days);
          },
          {"config.expect.working_days", {"1", "60"}}};
}

// The error "<place>bad value "…": <why> (expected <hint>)" for an entry whose value its parser
// refused with a reason.
[[nodiscard]] tl::unexpected<Error> badConfigValueBecause(Language language,
                                                          const std::string& path,
                                                          const IniEntry& entry,
                                                          std::string_view why,
                                                          std::string_view hint_key);

// Whether `entry` is an item of the list `name` in `section`: the key `name` or `name.ANYTHING`
// (an INI key is set once, so a list takes one key an item).
[[nodiscard]] bool isConfigListItem(const IniEntry& entry, std::string_view section,
                                    std::string_view name);

// The delegations of [requests] delegation, delegation.2, …: the first item read replaces the
// defaults, "none" leaves none.
class DelegationList {
 public:
  explicit DelegationList(std::vector<Delegation>& delegations) : delegations_(delegations) {}

  // Whether `entry` is a delegation item.
  [[nodiscard]] static bool holds(const IniEntry& entry) {
    return isConfigListItem(entry, "requests", "delegation");
  }
  // Reads one item; a value parseDelegation refuses is an error at the entry's place.
  [[nodiscard]] Status read(const std::string& path, const IniEntry& entry, Language language);

 private:
  std::vector<Delegation>& delegations_;
  bool replaced_ = false;
};

}  // namespace cks
