#include "core/config_keys.h"

namespace cks {

tl::unexpected<Error> badConfigValueBecause(Language language, const std::string& path,
                                            const IniEntry& entry, std::string_view why,
                                            std::string_view hint_key) {
  return configError(language, configPlace(path, entry), "config.bad_value_because",
                     {entry.value, why, message(language, hint_key)});
}

bool isConfigListItem(const IniEntry& entry, std::string_view section, std::string_view name) {
  if (entry.section != section || entry.key.size() < name.size()) return false;
  const std::string_view key = entry.key;
  return key.substr(0, name.size()) == name &&
         (key.size() == name.size() || key[name.size()] == '.');
}

Status DelegationList::read(const std::string& path, const IniEntry& entry, Language language) {
  if (!replaced_) delegations_.clear();
  replaced_ = true;
  if (entry.value == "none") return ok();
  auto delegation = parseDelegation(entry.value);
  if (!delegation) {
    return badConfigValueBecause(language, path, entry, delegation.error().message,
                                 "config.expect.delegation");
  }
  delegations_.push_back(std::move(*delegation));
  return ok();
}

}  // namespace cks
