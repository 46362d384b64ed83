#include "hub/province/agency_service.h"

#include "core/agency_code.h"
#include "hub/province/staff_service.h"
#include "hub/workbook_reader.h"

namespace cks::hub {

Result<Agency> AgencyService::known(const std::string& code) const {
  auto parsed = AgencyCode::parse(code);
  if (!parsed) {
    return tl::unexpected(
        context_.refusal(ErrorCode::InvalidArgument, "bad_agency", {parsed.error().message}));
  }
  auto agency = context_.registry.agency(parsed->str());
  if (!agency) return tl::unexpected(agency.error());
  if (!*agency) {
    return tl::unexpected(context_.refusal(ErrorCode::NotFound, "agency.unknown", {parsed->str()}));
  }
  return **agency;
}

Result<std::optional<Agency>> AgencyService::knownIfGiven(
    const std::optional<std::string>& code) const {
  if (!code) return std::optional<Agency>();
  auto agency = known(*code);
  if (!agency) return tl::unexpected(agency.error());
  return std::optional<Agency>(std::move(*agency));
}

Result<std::vector<Agency>> AgencyService::list() const { return context_.registry.agencies(); }

Result<AgencyImport> AgencyService::import(const std::vector<Agency>& directory,
                                           const std::string& source) const {
  if (directory.empty()) {
    return tl::unexpected(
        context_.refusal(ErrorCode::InvalidArgument, "agencies.csv.no_rows", {source}));
  }
  auto imported = context_.registry.importAgencies(directory, context_.clock.now());
  if (!imported) return tl::unexpected(imported.error());
  CKS_TRY(StaffService(context_).record(
      "agency.import", "", source,
      std::to_string(directory.size()) + " agencies: " + std::to_string(imported->added) +
          " new, " + std::to_string(imported->renamed) + " renamed, " +
          std::to_string(imported->updated) + " updated, " + std::to_string(imported->unchanged) +
          " unchanged"));
  return imported;
}

Result<DirectoryImport> AgencyService::importFile(std::string_view content,
                                                  const std::string& source) const {
  ParsedDirectory parsed;
  if (looksLikeWorkbook(content)) {
    auto read = parseAgencyWorkbook(content);
    if (!read) {
      return tl::unexpected(context_.refusal(ErrorCode::InvalidArgument, "agencies.xlsx_unreadable",
                                             {source, read.error().message}));
    }
    parsed = std::move(*read);
  } else {
    parsed = parseAgencyDirectory(content);
  }
  DirectoryImport result;
  result.rows = int(parsed.agencies.size());
  if (!parsed.problems.empty()) {
    result.problems = std::move(parsed.problems);
    return result;
  }
  auto imported = import(parsed.agencies, source);
  if (!imported) return tl::unexpected(imported.error());
  result.counts = *imported;
  return result;
}

}  // namespace cks::hub
