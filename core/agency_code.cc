#include "core/agency_code.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace cks {

Result<AgencyCode> AgencyCode::parse(std::string_view text) {
  const std::string shown = "\"" + std::string(text) + "\"";
  if (text.empty()) return fail("agency code: empty");
  if (text.size() > 35) {
    return fail("agency code ", shown, ": longer than 35 characters (", std::to_string(text.size()),
                ")");
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.')) {
      return fail("agency code ", shown, ": character ", std::to_string(i + 1),
                  " is not A-Z, 0-9 or '.'");
    }
  }
  // First group: one letter A..Y and two digits (the level-1 body, e.g. H21 for a province).
  if (text.size() < 3 || text[0] < 'A' || text[0] > 'Y' || !std::isdigit(uint8_t(text[1])) ||
      !std::isdigit(uint8_t(text[2])) || (text.size() > 3 && text[3] != '.')) {
    return fail("agency code ", shown,
                ": must start with a letter A-Y and two digits (e.g. H21, G11.07.05)");
  }
  size_t group_start = 4;
  while (group_start <= text.size() && text.size() > 3) {
    const size_t dot = text.find('.', group_start);
    const size_t end = dot == std::string_view::npos ? text.size() : dot;
    if (end == group_start) return fail("agency code ", shown, ": empty level after a '.'");
    if (dot == std::string_view::npos) break;
    group_start = dot + 1;
  }
  return AgencyCode(std::string(text));
}

int AgencyCode::depth() const { return 1 + int(std::count(code_.begin(), code_.end(), '.')); }

bool AgencyCode::contains(const AgencyCode& other) const {
  return other.code_ == code_ ||
         (other.code_.size() > code_.size() && other.code_.compare(0, code_.size(), code_) == 0 &&
          other.code_[code_.size()] == '.');
}

}  // namespace cks
