// The parts of agent.ini's reading that other code calls too (agent/agent_config.h): the
// agency's identity with the deprecated [forms] keys, durations, the owner-only file check.
#include <cstdio>
#include <filesystem>
#include <map>

#include "agent/agent_config.h"
#include "core/config_schema.h"

namespace cks::agent {

namespace fs = std::filesystem;

AgencyIdentity agencyOverrides(const AgentConfig& config) {
  AgencyIdentity forms;
  forms.parent_body = config.form_parent_body;
  forms.place = config.form_place;
  forms.department = config.form_province_office;
  return overlayIdentity(forms, config.agency);
}

bool parseDuration(std::string_view text, std::chrono::milliseconds& out) {
  long long value = 0;
  std::string_view unit = text;
  if (!takeConfigNumber(unit, 12, value)) return false;
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  static const std::map<std::string_view, long long> kUnits = {
      {"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
  const auto found = kUnits.find(unit);
  if (found == kUnits.end()) return false;
  out = std::chrono::milliseconds(value * found->second);
  return true;
}

Status checkOwnerOnly(const std::string& path, Language language) {
  std::error_code error;
  const auto status = fs::status(path, error);
  if (error || !fs::exists(status)) return configError(language, path + ": ", "config.no_file");
  if (!fs::is_regular_file(status)) return configError(language, path + ": ", "config.not_a_file");
  const auto others = fs::perms::group_all | fs::perms::others_all;
  if ((status.permissions() & others) != fs::perms::none) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", unsigned(status.permissions() & fs::perms::mask));
    return configError(language, path + ": ", "config.password_file_shared", {mode, path});
  }
  return ok();
}

}  // namespace cks::agent
