// The agency's electronic document exchange code (mã định danh, Decision 20/2020/QĐ-TTg
// Art. 4): at most 35 characters of A-Z, 0-9 and '.', a first group of one letter A-Y and two
// digits ("H21"), then dot-separated sub-levels ("H21.09", "G11.07.05"). Codes change on mergers.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace cks {

class AgencyCode {
 public:
  // Validates `text`; the error says which rule it breaks and where.
  [[nodiscard]] static Result<AgencyCode> parse(std::string_view text);

  [[nodiscard]] const std::string& str() const { return code_; }
  // Number of levels: "H21" is 1, "G11.07.05" is 3.
  [[nodiscard]] int depth() const;
  // True when `other` is this code or below it ("H21" contains "H21.09").
  [[nodiscard]] bool contains(const AgencyCode& other) const;

  friend bool operator==(const AgencyCode&, const AgencyCode&) = default;

 private:
  explicit AgencyCode(std::string code) : code_(std::move(code)) {}
  std::string code_;
};

}  // namespace cks
