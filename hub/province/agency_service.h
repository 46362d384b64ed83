// The province's agency directory: the agencies the hub knows (who must report), looked up by
// code, listed, and imported from a directory file. Typed in, typed out (province_context.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hub/agency_directory.h"
#include "hub/province/province_context.h"
#include "hub/store/hub_store.h"

namespace cks::hub {

// What importing a directory file came to: its bad rows (then nothing was stored), else how
// many rows it had and what they changed.
struct DirectoryImport {
  std::vector<DirectoryProblem> problems;  // by line; not empty: nothing imported
  int rows = 0;
  AgencyImport counts;
};

class AgencyService {
 public:
  explicit AgencyService(ProvinceContext context) : context_(context) {}

  // The agency `code` names: InvalidArgument when the code is malformed, NotFound when the hub
  // does not know it.
  [[nodiscard]] Result<Agency> known(const std::string& code) const;
  // known(*code) when a code is given; nullopt (every agency) when not.
  [[nodiscard]] Result<std::optional<Agency>> knownIfGiven(
      const std::optional<std::string>& code) const;
  // Every agency, by code.
  [[nodiscard]] Result<std::vector<Agency>> list() const;
  // Creates or updates every agency of `directory` (hub/agency_directory.h), all or none:
  // InvalidArgument when it holds no agency.
  [[nodiscard]] Result<AgencyImport> import(const std::vector<Agency>& directory,
                                            const std::string& source) const;
  // Reads the directory file `content` (hub/agency_directory.h: a CSV file, or an .xlsx
  // workbook, told apart by its first bytes) named `source` and imports it when every row is
  // good: all rows or none. InvalidArgument when a workbook cannot be read. The admin CLI's
  // `agencies import` and the console's import both come here.
  [[nodiscard]] Result<DirectoryImport> importFile(std::string_view content,
                                                   const std::string& source) const;

 private:
  ProvinceContext context_;
};

}  // namespace cks::hub
